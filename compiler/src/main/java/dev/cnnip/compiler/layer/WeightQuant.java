package dev.cnnip.compiler.layer;

import dev.cnnip.tensor.Tensor;

/**
 * Quantization of a convolution's weights or a matrix product's B operand: one scale (and zero point) for
 * the tensor, or one per output channel.
 *
 * @param scale     float32 scales, one or one per output channel
 * @param zeroPoint zero points of the weights' type (same count as {@code scale}), or null for zero
 * @param axis      ONNX quantization axis of the per-channel parameters
 */
public record WeightQuant(Tensor scale, Tensor zeroPoint, int axis) {
    public WeightQuant {
        if (scale == null) throw new IllegalArgumentException("weight scale is missing");
    }

    /** The scale of each of {@code channels} output channels; {@code owner} is named in errors. */
    public float[] scales(Layer owner, int channels, String what) {
        if (scale.size() != 1 && scale.size() != channels) {
            throw owner.error(what + " has " + scale.size() + " values for " + channels + " channels");
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) out[c] = scale.getFloat(scale.size() == 1 ? 0 : c);
        return out;
    }

    /** The zero point of each of {@code channels} output channels (0 when absent). */
    public int[] zeroPoints(Layer owner, int channels) {
        int[] out = new int[channels];
        if (zeroPoint == null) return out;
        if (zeroPoint.size() != 1 && zeroPoint.size() != channels) {
            throw owner.error("weight zero point has " + zeroPoint.size() + " values for " + channels + " channels");
        }
        for (int c = 0; c < channels; c++) out[c] = (int) zeroPoint.getLong(zeroPoint.size() == 1 ? 0 : c);
        return out;
    }
}
