package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * Pooling of an NHWC tensor: input (n, ih, iw, c), output (n, oh, ow, c), window, strides, dilations,
 * leading pads. For average pooling: whether every tap counts in the divisor ({@code countIncludePad}) and
 * the PP register values of the scales, zero points and saturation range ({@code avgRegs}); null for max.
 */
record PoolSpec(TensorRef x, TensorRef y, int n, int ih, int iw, int c, int oh, int ow, int kh, int kw, int sh, int sw,
                int dh, int dw, int pt, int pl, ElemType dt, boolean countIncludePad, Object[] avgRegs) {
    boolean average() {
        return avgRegs != null;
    }
}
