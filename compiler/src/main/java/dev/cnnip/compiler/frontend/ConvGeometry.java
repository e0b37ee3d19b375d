package dev.cnnip.compiler.frontend;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * Spatial geometry of Conv-like and pooling nodes (2-D): kernel, strides, dilations, pads resolved
 * from {@code auto_pad}, and the output size
 * {@code out = floor_or_ceil((in + pb + pe − ((k − 1)·d + 1)) / s) + 1}; with {@code ceil_mode} a last
 * window that would start in the end padding is dropped (ONNX rule).
 */
public record ConvGeometry(int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int pb, int pr, int oh, int ow) {

    /** Geometry of {@code node} over an input of spatial size {@code ih × iw} and kernel {@code kh × kw}. */
    public static ConvGeometry of(Node node, int ih, int iw, int kh, int kw, boolean ceilMode) {
        long[] strides = node.attrInts("strides", new long[] {1, 1});
        long[] dil = node.attrInts("dilations", new long[] {1, 1});
        if (strides.length != 2 || dil.length != 2) throw new GraphException(node, "only 2-D convolution and pooling are supported");
        int sh = (int) strides[0];
        int sw = (int) strides[1];
        int dh = (int) dil[0];
        int dw = (int) dil[1];
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) throw new GraphException(node, "strides and dilations must be >= 1");
        String auto = node.attrString("auto_pad", "NOTSET");
        int[] explicit = new int[4];
        if (auto.equals("NOTSET")) {
            long[] p = node.attrInts("pads", new long[] {0, 0, 0, 0});
            if (p.length != 4) throw new GraphException(node, "pads must have 4 values for 2-D");
            for (int i = 0; i < 4; i++) explicit[i] = (int) p[i];
        }
        return resolve(node.describe(), sh, sw, dh, dw, auto, explicit, ih, iw, kh, kw, ceilMode);
    }

    /**
     * Geometry from typed window attributes: pads {top, left, bottom, right} are used when {@code auto}
     * is NOTSET, else resolved from it. Errors start with {@code who} (the node's description).
     */
    public static ConvGeometry resolve(String who, int sh, int sw, int dh, int dw, String auto, int[] explicitPads,
                                       int ih, int iw, int kh, int kw, boolean ceilMode) {
        int[] pads = new int[4];
        switch (auto) {
            case "NOTSET" -> System.arraycopy(explicitPads, 0, pads, 0, 4);
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] in = {ih, iw};
                int[] k = {kh, kw};
                int[] s = {sh, sw};
                int[] d = {dh, dw};
                for (int a = 0; a < 2; a++) {
                    int out = (in[a] + s[a] - 1) / s[a];
                    int total = Math.max(0, (out - 1) * s[a] + (k[a] - 1) * d[a] + 1 - in[a]);
                    int small = total / 2;
                    int big = total - small;
                    boolean upper = auto.equals("SAME_UPPER");
                    pads[a] = upper ? small : big;
                    pads[a + 2] = upper ? big : small;
                }
            }
            default -> throw new GraphException(who + ": unknown auto_pad '" + auto + "'");
        }
        for (int p : pads) if (p < 0) throw new GraphException(who + ": negative padding is not supported");
        int oh = outSize(ih, kh, sh, dh, pads[0], pads[2], ceilMode);
        int ow = outSize(iw, kw, sw, dw, pads[1], pads[3], ceilMode);
        if (oh < 1 || ow < 1) throw new GraphException(who + ": output would be empty (" + oh + "x" + ow + ")");
        return new ConvGeometry(kh, kw, sh, sw, dh, dw, pads[0], pads[1], pads[2], pads[3], oh, ow);
    }

    static int outSize(int in, int k, int s, int d, int pb, int pe, boolean ceil) {
        int span = (k - 1) * d + 1;
        int num = in + pb + pe - span;
        if (num < 0) return 0;
        int out = (ceil ? (num + s - 1) / s : num / s) + 1;
        if (ceil && (out - 1) * s >= in + pb) out--;
        return out;
    }
}
