package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * The sliding-window attributes that 2-D convolution and pooling share (ONNX {@code strides},
 * {@code dilations}, {@code auto_pad}, {@code pads}), with ONNX's defaults: strides and dilations 1, no
 * padding.
 *
 * @param sh      vertical stride, {@code >= 1}
 * @param sw      horizontal stride, {@code >= 1}
 * @param dh      vertical dilation, {@code >= 1}
 * @param dw      horizontal dilation, {@code >= 1}
 * @param autoPad ONNX {@code auto_pad}: NOTSET (use {@code pads}), VALID, SAME_UPPER or SAME_LOWER
 * @param pads    explicit pads {top, left, bottom, right} (ONNX order), used when {@code autoPad} is NOTSET
 */
public record Window2d(int sh, int sw, int dh, int dw, String autoPad, int[] pads) {
    /** Strides and dilations 1, no padding. */
    public static final Window2d DEFAULT = new Window2d(1, 1, 1, 1, "NOTSET", new int[4]);

    public Window2d {
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) throw new IllegalArgumentException("strides and dilations must be >= 1");
        if (pads.length != 4) throw new IllegalArgumentException("pads must have 4 values for 2-D");
        pads = pads.clone();
    }

    @Override
    public int[] pads() {
        return pads.clone();
    }

    /** The window attributes of an ONNX Conv or pooling node, with ONNX's defaults; errors name the node. */
    public static Window2d of(Node node) {
        long[] strides = node.attrInts("strides", new long[] {1, 1});
        long[] dil = node.attrInts("dilations", new long[] {1, 1});
        if (strides.length != 2 || dil.length != 2) throw new GraphException(node, "only 2-D convolution and pooling are supported");
        if (strides[0] < 1 || strides[1] < 1 || dil[0] < 1 || dil[1] < 1) {
            throw new GraphException(node, "strides and dilations must be >= 1");
        }
        String auto = node.attrString("auto_pad", "NOTSET");
        long[] p = node.attrInts("pads", new long[] {0, 0, 0, 0});
        if (auto.equals("NOTSET") && p.length != 4) throw new GraphException(node, "pads must have 4 values for 2-D");
        int[] pads = new int[4];
        if (p.length == 4) for (int i = 0; i < 4; i++) pads[i] = (int) p[i];
        return new Window2d((int) strides[0], (int) strides[1], (int) dil[0], (int) dil[1], auto, pads);
    }

    /**
     * The geometry over an input of {@code ih × iw} with a {@code kh × kw} kernel (pads resolved from
     * {@code autoPad}); errors start with {@code who}.
     */
    public ConvGeometry geometry(String who, int ih, int iw, int kh, int kw, boolean ceilMode) {
        return ConvGeometry.resolve(who, sh, sw, dh, dw, autoPad, pads, ih, iw, kh, kw, ceilMode);
    }
}
