package dev.cnnip.compiler.layer;

import dev.cnnip.tensor.Tensor;

/**
 * The parameters of a QuantizeLinear or DequantizeLinear: per tensor, per axis, or blocked along the axis.
 *
 * @param scale     float32 scale tensor (one value, one per axis element, or one per block)
 * @param zeroPoint zero point tensor of the quantized type, or null for zero
 * @param axis      ONNX {@code axis} (may be negative), default 1
 * @param blockSize ONNX {@code block_size}; 0 when not blocked
 */
public record AxisQuant(Tensor scale, Tensor zeroPoint, int axis, int blockSize) {
    public AxisQuant {
        if (scale == null) throw new IllegalArgumentException("scale is missing");
        if (blockSize < 0) throw new IllegalArgumentException("block_size must be >= 0, not " + blockSize);
    }
}
