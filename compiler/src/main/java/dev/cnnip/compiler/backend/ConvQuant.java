package dev.cnnip.compiler.backend;

/**
 * The quantized arithmetic of a convolution around its integer accumulation.
 *
 * @param xzp     input zero point (subtracted from every input code)
 * @param params  DRAM address of the per-channel requantization table {bias, mult, shift} (3 × int32)
 * @param qmin    lowest output code after absorbed activations
 * @param qmax    highest output code after absorbed activations
 * @param intMode requantize with the integer multiplier ({@code hw} numerics) instead of float32
 */
public record ConvQuant(int xzp, long params, int qmin, int qmax, boolean intMode) {
}
