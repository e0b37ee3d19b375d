package dev.cnnip.compiler.layer;

/**
 * The output saturation range in quantized codes: the output type's range narrowed by absorbed Relu or
 * Clip activations ({@code [max(qmin, Q(lo)), min(qmax, Q(hi))]}).
 *
 * @param qmin lowest output code
 * @param qmax highest output code
 */
public record Clamp(int qmin, int qmax) {
}
