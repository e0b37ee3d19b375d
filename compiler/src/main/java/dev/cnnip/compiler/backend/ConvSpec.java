package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * A quantized convolution as the backend lowers it: NHWC input {@code x}, NHWC output {@code y}, their
 * sizes and groups, the window, the weights and the quantized arithmetic. MatMul and GEMM arrive here as
 * 1×1 convolutions over an [n, 1, M, K] input. The flat accessors below name the parts the tiling and
 * the instruction emission read.
 */
record ConvSpec(String name, TensorRef x, TensorRef y, ConvShape shape, ConvWindow window, ConvWeights filter,
                ConvQuant quant) {

    int n() { return shape.n(); }

    int ih() { return shape.ih(); }

    int iw() { return shape.iw(); }

    int ic() { return shape.ic(); }

    int oh() { return shape.oh(); }

    int ow() { return shape.ow(); }

    int oc() { return shape.oc(); }

    int groups() { return shape.groups(); }

    int kh() { return window.kh(); }

    int kw() { return window.kw(); }

    int sh() { return window.sh(); }

    int sw() { return window.sw(); }

    int dh() { return window.dh(); }

    int dw() { return window.dw(); }

    int pt() { return window.pt(); }

    int pl() { return window.pl(); }

    ElemType xt() { return ElemType.of(x.dtype()); }

    ElemType wt() { return filter.type(); }

    ElemType yt() { return ElemType.of(y.dtype()); }

    int xzp() { return quant.xzp(); }

    int wzp() { return filter.zeroPoint(); }

    /** DRAM address of per-channel weight zero points, or -1. */
    long wzpTable() { return filter.zeroPointTable(); }

    /** DRAM address of constant weights. */
    long weights() { return filter.address(); }

    TensorRef dynamicB() { return filter.dynamicB(); }

    long weightBatchStride() { return filter.batchStride(); }

    /** DRAM address of the requantization table. */
    long params() { return quant.params(); }

    int qmin() { return quant.qmin(); }

    int qmax() { return quant.qmax(); }

    boolean intMode() { return quant.intMode(); }

    boolean dynamicWeights() { return filter.dynamicB() != null; }

    int gic() { return ic() / groups(); }

    int goc() { return oc() / groups(); }

    /** 64-bit accumulators for 16-bit operands (sums of 2^30-sized products would overflow int32). */
    boolean acc64() { return xt().bytes() > 1 || wt().bytes() > 1; }

    int accBytes() { return acc64() ? 8 : 4; }

    long macs() { return (long) n() * oh() * ow() * oc() * kh() * kw() * gic(); }
}
