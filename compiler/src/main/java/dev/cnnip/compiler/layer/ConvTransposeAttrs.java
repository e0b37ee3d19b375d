package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of a 2-D ConvTranspose with its padding resolved (ONNX rules): the output size per spatial
 * axis is {@code s·(in − 1) + outputPadding + (k − 1)·d + 1 − padBegin − padEnd}. When the node gives
 * {@code output_shape}, the total padding follows from it ({@code SAME_UPPER} puts the larger half at the
 * end, otherwise at the beginning), as the ONNX specification states.
 *
 * @param sh     vertical stride {@code >= 1}
 * @param sw     horizontal stride
 * @param dh     vertical dilation {@code >= 1}
 * @param dw     horizontal dilation
 * @param pads   {top, left, bottom, right}, each {@code >= 0}
 * @param outPad output_padding {h, w}, each {@code >= 0}
 * @param group  group count {@code >= 1}
 */
public record ConvTransposeAttrs(int sh, int sw, int dh, int dw, int[] pads, int[] outPad, int group) {
    public ConvTransposeAttrs {
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) throw new IllegalArgumentException("strides and dilations must be >= 1");
        if (pads.length != 4 || outPad.length != 2) throw new IllegalArgumentException("pads need 4 values, output_padding 2");
        for (int p : pads) if (p < 0) throw new IllegalArgumentException("negative padding");
        if (outPad[0] < 0 || outPad[1] < 0) throw new IllegalArgumentException("negative output_padding");
        if (group < 1) throw new IllegalArgumentException("group must be >= 1");
        pads = pads.clone();
        outPad = outPad.clone();
    }

    @Override
    public int[] pads() {
        return pads.clone();
    }

    @Override
    public int[] outPad() {
        return outPad.clone();
    }

    /** The attributes of an ONNX ConvTranspose over an {@code ih × iw} input with a {@code kh × kw} kernel. */
    public static ConvTransposeAttrs of(Node n, int ih, int iw, int kh, int kw) {
        long[] s = n.attrInts("strides", new long[] {1, 1});
        long[] d = n.attrInts("dilations", new long[] {1, 1});
        long[] op = n.attrInts("output_padding", new long[] {0, 0});
        if (s.length != 2 || d.length != 2 || op.length != 2) throw new GraphException(n, "only 2-D ConvTranspose is supported");
        String auto = n.attrString("auto_pad", "NOTSET");
        long[] outShape = n.attrInts("output_shape", null);
        int[] in = {ih, iw};
        int[] k = {kh, kw};
        int[] pads = new int[4];
        if (outShape != null || auto.startsWith("SAME")) {
            for (int a = 0; a < 2; a++) {
                long out = outShape != null ? outShape[outShape.length - 2 + a] : in[a] * s[a];
                long total = s[a] * (in[a] - 1) + op[a] + (k[a] - 1) * d[a] + 1 - out;
                if (total < 0) throw new GraphException(n, "output_shape " + out + " needs negative padding");
                boolean upper = auto.equals("SAME_UPPER");
                pads[a] = (int) (upper ? total / 2 : total - total / 2);
                pads[a + 2] = (int) (total - pads[a]);
            }
        } else if (auto.equals("NOTSET")) {
            long[] p = n.attrInts("pads", new long[4]);
            if (p.length != 4) throw new GraphException(n, "pads must have 4 values for 2-D");
            for (int i = 0; i < 4; i++) pads[i] = (int) p[i];
        } else if (!auto.equals("VALID")) {
            throw new GraphException(n, "unknown auto_pad '" + auto + "'");
        }
        for (int p : pads) if (p < 0) throw new GraphException(n, "negative padding is not supported");
        if (s[0] < 1 || s[1] < 1 || d[0] < 1 || d[1] < 1) throw new GraphException(n, "strides and dilations must be >= 1");
        long group = n.attrInt("group", 1);
        if (group < 1) throw new GraphException(n, "group must be >= 1");
        return new ConvTransposeAttrs((int) s[0], (int) s[1], (int) d[0], (int) d[1], pads, new int[] {(int) op[0], (int) op[1]},
                (int) group);
    }

    /** Output height for input height {@code ih} and kernel height {@code kh}. */
    public int outH(int ih, int kh) {
        return sh * (ih - 1) + outPad[0] + (kh - 1) * dh + 1 - pads[0] - pads[2];
    }

    /** Output width for input width {@code iw} and kernel width {@code kw}. */
    public int outW(int iw, int kw) {
        return sw * (iw - 1) + outPad[1] + (kw - 1) * dw + 1 - pads[1] - pads[3];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvTransposeAttrs c && sh == c.sh && sw == c.sw && dh == c.dh && dw == c.dw
                && java.util.Arrays.equals(pads, c.pads) && java.util.Arrays.equals(outPad, c.outPad) && group == c.group;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sh, sw, dh, dw, java.util.Arrays.hashCode(pads), java.util.Arrays.hashCode(outPad), group);
    }
}
