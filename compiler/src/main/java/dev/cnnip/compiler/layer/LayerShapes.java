package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The construction checks the {@link Layer} records share and the longer shape relations, kept out of
 * {@code Layer} so that it holds the record list. Each relation is the body of one record's
 * {@link Layer#outputShape}: it takes the layer (for its attributes and its error messages) and the input
 * shapes in {@link Layer#inputs()} order, and throws {@link GraphException} naming the layer's node when the
 * inputs do not fit.
 */
final class LayerShapes {
    private LayerShapes() {}

    // ---------------------------------------------------------------- construction checks

    /** Construction checks every record shares: a name, the ONNX node list, non-empty inputs and output. */
    static void check(String name, List<String> onnxNodes, List<String> inputs, String y) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("layer name is missing");
        Objects.requireNonNull(onnxNodes, "onnxNodes");
        for (String in : inputs) {
            if (in == null || in.isEmpty()) throw new IllegalArgumentException("node '" + name + "': an input is missing");
        }
        if (y == null || y.isEmpty()) throw new IllegalArgumentException("node '" + name + "': the output is missing");
    }

    /** The {@link Layer.QPad} construction checks: a supported mode and 8 pads {@code >= 0}. */
    static void checkPad(String name, int[] pads, String mode) {
        if (!List.of("constant", "reflect", "edge").contains(mode)) {
            throw new GraphException("node '" + name + "' (" + Layer.DOMAIN + ".QPad): mode " + mode + " is not supported");
        }
        if (pads.length != 8 || Arrays.stream(pads).anyMatch(v -> v < 0)) {
            throw new GraphException("node '" + name + "' (" + Layer.DOMAIN + ".QPad): pads must be 8 values >= 0 (N, C, H, W begins, "
                    + "then ends), not " + Arrays.toString(pads));
        }
    }

    // ---------------------------------------------------------------- shared relations

    static int[] rank(Layer l, int[] s, int rank, String what) {
        if (s.length != rank) throw l.error(what + " must have rank " + rank + ", not " + s.length + " " + Arrays.toString(s));
        return s;
    }

    static int normalizeAxis(Layer l, int axis, int rank) {
        if (axis < -rank || axis >= rank) throw l.error("axis " + axis + " is out of range for rank " + rank);
        return axis < 0 ? axis + rank : axis;
    }

    static int[] pool(Layer l, int[] xs, PoolAttrs p) {
        rank(l, xs, 4, "input");
        ConvGeometry geo = p.window().geometry(l.describe(), xs[2], xs[3], p.kh(), p.kw(), p.ceilMode());
        return new int[] {xs[0], xs[1], geo.oh(), geo.ow()};
    }

    /** Multidirectional (numpy) broadcast of two shapes. */
    static int[] broadcast(Layer l, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw l.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Two inputs of one shape (element-wise {@code op} without broadcasting); the output has that shape. */
    static int[] sameShapes(Layer l, List<int[]> in, String op) {
        if (!Arrays.equals(in.get(0), in.get(1))) {
            throw l.error("inputs of shapes " + Arrays.toString(in.get(0)) + " and "
                    + Arrays.toString(in.get(1)) + " differ (broadcast " + op + " is not supported)");
        }
        return in.get(0).clone();
    }

    // ---------------------------------------------------------------- per-record relations

    /** {@link Layer.QConv}: [N, C, H, W] and [OC, C/group, KH, KW] → [N, OC, OH, OW]. */
    static int[] conv(Layer.QConv l, List<int[]> in) {
        int[] xs = rank(l, in.get(0), 4, "input");
        int[] ws = rank(l, in.get(1), 4, "weights");
        int g = l.attrs().group();
        if (xs[1] != ws[1] * g) {
            throw l.error("input has " + xs[1] + " channels, weights [" + ws[1] + " per group x " + g + " groups] expect "
                    + ws[1] * g);
        }
        if (ws[0] % g != 0) throw l.error(ws[0] + " output channels do not divide into " + g + " groups");
        ConvGeometry geo = l.attrs().window().geometry(l.describe(), xs[2], xs[3], ws[2], ws[3], false);
        return new int[] {xs[0], ws[0], geo.oh(), geo.ow()};
    }

    /** {@link Layer.QConvTranspose}: [N, C, H, W] and [C, OC/group, KH, KW] → [N, OC, OH, OW]. */
    static int[] convTranspose(Layer.QConvTranspose l, List<int[]> in) {
        int[] xs = rank(l, in.get(0), 4, "input");
        int[] ws = rank(l, in.get(1), 4, "weights");
        int g = l.attrs().group();
        if (xs[1] != ws[0]) throw l.error("input has " + xs[1] + " channels, weights expect " + ws[0]);
        if (ws[0] % g != 0) throw l.error(ws[0] + " input channels do not divide into " + g + " groups");
        int oh = l.attrs().outH(xs[2], ws[2]);
        int ow = l.attrs().outW(xs[3], ws[3]);
        if (oh < 1 || ow < 1) throw l.error("output would be empty (" + oh + "x" + ow + ")");
        return new int[] {xs[0], ws[1] * g, oh, ow};
    }

    /** {@link Layer.QMatMul}: [..., M, K] and [K, N] ([N, K] when transB, [..., K, N]) → [..., M, N]. */
    static int[] matMul(Layer.QMatMul l, List<int[]> in) {
        boolean transB = l.transB();
        int[] as = in.get(0);
        int[] bs = in.get(1);
        if (as.length < 2 || as.length > 4) throw l.error("MatMul input A must have rank 2 to 4, not " + as.length);
        if (bs.length < 2 || bs.length > 4 || transB && bs.length != 2) {
            throw l.error("B must have rank 2" + (transB ? "" : " to 4") + ", not " + bs.length);
        }
        int k = as[as.length - 1];
        int bk = transB ? bs[1] : bs[bs.length - 2];
        int n = transB ? bs[0] : bs[bs.length - 1];
        if (k != bk) throw l.error("A has " + k + " columns but B has " + bk + " rows");
        int[] out = as.length == 2 && bs.length > 2 ? Arrays.copyOf(bs, bs.length) : as.clone();
        if (as.length == 2 && bs.length > 2) out[out.length - 2] = as[0];
        out[out.length - 1] = n;
        return out;
    }

    /** {@link Layer.QPad}: each NCHW axis grows by its begin and end pads. */
    static int[] pad(Layer.QPad l, List<int[]> in) {
        int[] pads = l.pads();
        String mode = l.mode();
        int[] xs = in.get(0);
        if (xs.length != 4) throw l.error("only Pad of a rank-4 (NCHW) tensor is supported, not rank " + xs.length);
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (mode.equals("reflect") && (pads[i] >= xs[i] || pads[4 + i] >= xs[i]) && pads[i] + pads[4 + i] > 0) {
                throw l.error("reflect pads " + pads[i] + "/" + pads[4 + i] + " must be smaller than the axis' " + xs[i]);
            }
            out[i] = xs[i] + pads[i] + pads[4 + i];
        }
        return out;
    }

    /** {@link Layer.QTranspose}: the input's axes in {@code perm} order (reversed when perm is null). */
    static int[] transpose(Layer.QTranspose l, List<int[]> in) {
        int[] xs = in.get(0);
        int[] p = l.perm();
        if (p == null) {
            p = new int[xs.length];
            for (int i = 0; i < p.length; i++) p[i] = xs.length - 1 - i;
        }
        if (p.length != xs.length) throw l.error("perm " + Arrays.toString(p) + " does not fit rank " + xs.length);
        boolean[] seen = new boolean[p.length];
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= p.length || seen[p[i]]) throw l.error("perm " + Arrays.toString(p) + " is not a permutation");
            seen[p[i]] = true;
            out[i] = xs[p[i]];
        }
        return out;
    }

    /** {@link Layer.QConcat}: inputs equal outside {@code axis}; the output's axis is the sum of theirs. */
    static int[] concat(Layer.QConcat l, List<int[]> in) {
        int[] out = in.get(0).clone();
        int ax = normalizeAxis(l, l.axis(), out.length);
        for (int k = 1; k < in.size(); k++) {
            int[] s = in.get(k);
            if (s.length != out.length) throw l.error("input " + k + " has rank " + s.length + ", not " + out.length);
            for (int i = 0; i < s.length; i++) {
                if (i != ax && s[i] != out[i]) {
                    throw l.error("input " + k + " " + Arrays.toString(s) + " differs from " + Arrays.toString(in.get(0))
                            + " outside axis " + ax);
                }
            }
            out[ax] += s[ax];
        }
        return out;
    }

    /** {@link Layer.QReshape}: the target shape, when it keeps the element count. */
    static int[] reshape(Layer.QReshape l, List<int[]> in) {
        int[] shape = l.shape();
        if (Tensor.numElements(in.get(0)) != Tensor.numElements(shape)) {
            throw l.error("cannot reshape " + Arrays.toString(in.get(0)) + " (" + Tensor.numElements(in.get(0))
                    + " elements) to " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** {@link Layer.QResize}: the resolved sizes, when they have the input's rank. */
    static int[] resize(Layer.QResize l, List<int[]> in) {
        int[] sizes = l.sizes();
        if (in.get(0).length != sizes.length) {
            throw l.error("output rank " + sizes.length + " differs from the input's " + in.get(0).length);
        }
        return sizes.clone();
    }
}
