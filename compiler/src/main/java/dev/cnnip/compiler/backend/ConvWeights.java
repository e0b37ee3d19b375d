package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * Where a convolution's weights come from: constant weights in DRAM laid out [oc][kh][kw][ic/groups], or
 * for a product of two activations the B tensor (a [k][n] matrix per batch, read transposed by the DMA).
 *
 * @param type           element type of the weights
 * @param zeroPoint      weight zero point (the first channel's when {@code zeroPointTable} is used)
 * @param zeroPointTable DRAM address of per-channel int32 zero points, or -1 when {@code zeroPoint} holds for all
 * @param address        DRAM address of constant weights (unused when dynamic)
 * @param dynamicB       the B activation of a dynamic product, or null for constant weights
 * @param batchStride    bytes between batches of dynamic weights (0 for weights shared by the batches)
 */
public record ConvWeights(ElemType type, int zeroPoint, long zeroPointTable, long address, TensorRef dynamicB,
                          long batchStride) {
    /** Constant weights at {@code address}. */
    public static ConvWeights constant(ElemType type, int zeroPoint, long zeroPointTable, long address) {
        return new ConvWeights(type, zeroPoint, zeroPointTable, address, null, 0);
    }

    /** Weights read from activation {@code b}, {@code batchStride} bytes apart per batch. */
    public static ConvWeights dynamic(ElemType type, int zeroPoint, long zeroPointTable, TensorRef b, long batchStride) {
        return new ConvWeights(type, zeroPoint, zeroPointTable, -1, b, batchStride);
    }
}
