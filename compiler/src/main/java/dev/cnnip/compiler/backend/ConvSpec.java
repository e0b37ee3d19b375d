package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * A quantized convolution as the backend lowers it: NHWC input {@code x} (n, ih, iw, ic), NHWC output
 * {@code y} (n, oh, ow, oc), kernel, strides, dilations, leading pads, groups, and where its constants
 * live in DRAM. MatMul and GEMM arrive here as 1×1 convolutions over an [n, 1, M, K] input.
 *
 * @param weights   DRAM address of constant weights laid out [oc][kh][kw][ic/groups] (unused when dynamic)
 * @param dynamicB  for a product of two activations: the B tensor, a [k][n] matrix per batch read
 *                  transposed by the DMA; null for constant weights
 * @param weightBatchStride bytes between batches of dynamic weights (0 for shared weights)
 * @param params    DRAM address of the per-channel requantization table {bias, mult, shift} (3 × int32)
 * @param wzpTable  DRAM address of per-channel int32 weight zero points, or -1 when {@code wzp} is scalar
 * @param qmin      lowest output code after absorbed activations
 * @param qmax      highest output code after absorbed activations
 * @param intMode   requantize with the integer multiplier ({@code hw} numerics) instead of float32
 */
record ConvSpec(String name, TensorRef x, TensorRef y, int n, int ih, int iw, int ic, int oh, int ow, int oc,
                int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int groups,
                ElemType xt, ElemType wt, ElemType yt, int xzp, int wzp, long wzpTable,
                long weights, TensorRef dynamicB, long weightBatchStride, long params,
                int qmin, int qmax, boolean intMode) {

    boolean dynamicWeights() { return dynamicB != null; }

    int gic() { return ic / groups; }

    int goc() { return oc / groups; }

    /** 64-bit accumulators for 16-bit operands (sums of 2^30-sized products would overflow int32). */
    boolean acc64() { return xt.bytes() > 1 || wt.bytes() > 1; }

    int accBytes() { return acc64() ? 8 : 4; }

    long macs() { return (long) n * oh * ow * oc * kh * kw * gic(); }
}
