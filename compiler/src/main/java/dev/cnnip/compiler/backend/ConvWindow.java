package dev.cnnip.compiler.backend;

/**
 * The sliding window of a convolution or pooling: kernel, strides, dilations, and the leading pads (the
 * trailing ones follow from the sizes).
 */
public record ConvWindow(int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl) {
    /** A 1×1 window with stride 1 and no padding. */
    public static final ConvWindow POINTWISE = new ConvWindow(1, 1, 1, 1, 1, 1, 0, 0);

    public ConvWindow {
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1 || pt < 0 || pl < 0) {
            throw new IllegalArgumentException("bad window " + kh + "x" + kw + " stride " + sh + "x" + sw + " dilation " + dh
                    + "x" + dw + " pads " + pt + "," + pl);
        }
    }
}
