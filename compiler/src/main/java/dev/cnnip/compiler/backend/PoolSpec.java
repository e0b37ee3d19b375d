package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/**
 * Pooling of an NHWC tensor: sizes, window, element type. For average pooling: whether every tap counts
 * in the divisor ({@code countIncludePad}) and the PP register values of the scales, zero points and
 * saturation range ({@code avgRegs}); null for max pooling.
 */
record PoolSpec(TensorRef x, TensorRef y, PoolShape shape, ConvWindow window, ElemType dt, boolean countIncludePad,
                RegWrites avgRegs) {
    boolean average() {
        return avgRegs != null;
    }

    int n() { return shape.n(); }

    int ih() { return shape.ih(); }

    int iw() { return shape.iw(); }

    int c() { return shape.c(); }

    int oh() { return shape.oh(); }

    int ow() { return shape.ow(); }

    int kh() { return window.kh(); }

    int kw() { return window.kw(); }

    int sh() { return window.sh(); }

    int sw() { return window.sw(); }

    int dh() { return window.dh(); }

    int dw() { return window.dw(); }

    int pt() { return window.pt(); }

    int pl() { return window.pl(); }
}
