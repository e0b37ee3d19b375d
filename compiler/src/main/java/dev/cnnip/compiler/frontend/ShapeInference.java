package dev.cnnip.compiler.frontend;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Infers element types and shapes of every node output from its inputs, in graph order. Shapes the
 * model declares are checked against the inferred ones. Unknown operators are an error naming the node.
 */
public final class ShapeInference {
    private ShapeInference() {}

    public static void run(Graph g) {
        java.util.List<Node> folded = new java.util.ArrayList<>();
        for (Node n : g.nodes()) {
            infer(g, n);
            if (ConstantFolder.tryFold(g, n)) folded.add(n);
        }
        g.nodes().removeAll(folded);
        ConstantFolder.removeDeadNodes(g);
    }

    /** Infers and sets the outputs of one node. */
    public static void infer(Graph g, Node n) {
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !g.value(in).hasShape()) {
                throw new GraphException(n, "shape of input '" + in + "' is unknown");
            }
        }
        String op = n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType();
        switch (op) {
            case "QuantizeLinear" -> {
                DType t = n.input(2).isEmpty() ? outputTypeAttr(n, DType.UINT8) : in(g, n, 2).dtype();
                set(g, n, 0, t, in(g, n, 0).shape());
            }
            case "DequantizeLinear" -> set(g, n, 0, n.input(1).isEmpty() ? DType.FLOAT32 : floatOf(in(g, n, 1).dtype()),
                    in(g, n, 0).shape());
            case "Conv", "QLinearConv", "ConvInteger" -> conv(g, n, op);
            case "MaxPool", "AveragePool", "com.microsoft:QLinearAveragePool" -> pool(g, n);
            case "GlobalAveragePool", "GlobalMaxPool", "com.microsoft:QLinearGlobalAveragePool" -> {
                int[] s = in(g, n, 0).shape();
                boolean last = n.attrInt("channels_last", 0) != 0;
                int[] o = s.clone();
                for (int i = last ? 1 : 2; i < (last ? s.length - 1 : s.length); i++) o[i] = 1;
                set(g, n, 0, in(g, n, 0).dtype(), o);
            }
            case "MatMul", "MatMulInteger", "QLinearMatMul" -> {
                int b = op.equals("QLinearMatMul") ? 3 : 1;
                int[] s = matmulShape(n, in(g, n, 0).shape(), in(g, n, b).shape());
                DType t = switch (op) {
                    case "MatMul" -> in(g, n, 0).dtype();
                    case "MatMulInteger" -> DType.INT32;
                    default -> in(g, n, 7).dtype();
                };
                set(g, n, 0, t, s);
            }
            case "Gemm" -> {
                int[] a = in(g, n, 0).shape();
                int[] b = in(g, n, 1).shape();
                if (a.length != 2 || b.length != 2) throw new GraphException(n, "Gemm needs 2-D inputs");
                int m = n.attrInt("transA", 0) != 0 ? a[1] : a[0];
                int nn = n.attrInt("transB", 0) != 0 ? b[0] : b[1];
                set(g, n, 0, in(g, n, 0).dtype(), new int[] {m, nn});
            }
            case "com.microsoft:QGemm" -> {
                int[] a = in(g, n, 0).shape();
                int[] b = in(g, n, 3).shape();
                if (a.length != 2 || b.length != 2) throw new GraphException(n, "QGemm needs 2-D inputs");
                int m = n.attrInt("transA", 0) != 0 ? a[1] : a[0];
                int nn = n.attrInt("transB", 0) != 0 ? b[0] : b[1];
                // without y_scale QGemm returns float; with it, y_zero_point's type (uint8 when absent)
                boolean quantOut = n.inputs().size() > 7 && !n.input(7).isEmpty();
                DType t = !quantOut ? DType.FLOAT32 : n.inputs().size() > 8 && !n.input(8).isEmpty() ? in(g, n, 8).dtype()
                        : DType.UINT8;
                set(g, n, 0, t, new int[] {m, nn});
            }
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Where" -> {
                int[] s = in(g, n, 0).shape();
                for (int i = 1; i < n.inputs().size(); i++) s = broadcast(n, s, in(g, n, i).shape());
                DType t = op.equals("Where") ? in(g, n, 1).dtype() : in(g, n, 0).dtype();
                set(g, n, 0, t, s);
            }
            case "Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual" ->
                    set(g, n, 0, DType.BOOL, broadcast(n, in(g, n, 0).shape(), in(g, n, 1).shape()));
            case "com.microsoft:QLinearAdd", "com.microsoft:QLinearMul" ->
                    set(g, n, 0, in(g, n, 7).dtype(), broadcast(n, in(g, n, 0).shape(), in(g, n, 3).shape()));
            case "Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Identity", "Softmax",
                    "Exp", "Log", "Neg", "Abs", "Sqrt", "Reciprocal", "Erf", "Floor", "Ceil", "Round", "Elu",
                    "BatchNormalization", "LRN", "Dropout", "com.microsoft:QLinearSigmoid",
                    "com.microsoft:QLinearLeakyRelu", "com.microsoft:QLinearSoftmax" -> {
                set(g, n, 0, in(g, n, 0).dtype(), in(g, n, 0).shape());
                for (int i = 1; i < n.outputs().size(); i++) {
                    if (!n.output(i).isEmpty() && op.equals("BatchNormalization")) {
                        set(g, n, i, in(g, n, 0).dtype(), new int[] {in(g, n, 0).shape()[1]});
                    }
                }
            }
            case "Cast" -> set(g, n, 0, DType.fromOnnx((int) n.attrInt("to", 1)), in(g, n, 0).shape());
            case "Flatten" -> {
                int[] s = in(g, n, 0).shape();
                int axis = (int) n.attrInt("axis", 1);
                if (axis < 0) axis += s.length;
                long a = 1;
                long b = 1;
                for (int i = 0; i < s.length; i++) {
                    if (i < axis) a *= s[i]; else b *= s[i];
                }
                set(g, n, 0, in(g, n, 0).dtype(), new int[] {(int) a, (int) b});
            }
            case "Reshape" -> set(g, n, 0, in(g, n, 0).dtype(), reshape(g, n));
            case "Transpose" -> {
                int[] s = in(g, n, 0).shape();
                long[] perm = n.attrInts("perm", null);
                int[] o = new int[s.length];
                for (int i = 0; i < s.length; i++) o[i] = perm == null ? s[s.length - 1 - i] : s[(int) perm[i]];
                set(g, n, 0, in(g, n, 0).dtype(), o);
            }
            case "Concat", "com.microsoft:QLinearConcat" -> concat(g, n, op.startsWith("com"));
            case "Shape" -> set(g, n, 0, DType.INT64, new int[] {in(g, n, 0).rank()});
            case "ConstantOfShape" -> {
                Tensor shape = constInput(g, n, 0, "the shape");
                int[] o = new int[shape.size()];
                for (int i = 0; i < o.length; i++) o[i] = (int) shape.getLong(i);
                Tensor v = n.attrTensor("value");
                set(g, n, 0, v == null ? DType.FLOAT32 : v.dtype(), o);
            }
            case "Squeeze", "Unsqueeze" -> set(g, n, 0, in(g, n, 0).dtype(), squeeze(g, n, op.equals("Unsqueeze")));
            case "Gather" -> gather(g, n);
            case "Pad" -> pad(g, n);
            case "Resize", "Upsample" -> resize(g, n);
            case "Slice" -> set(g, n, 0, in(g, n, 0).dtype(), dev.cnnip.compiler.layer.SliceAttrs.of(n, in(g, n, 0).shape(),
                    i -> g.value(n.input(i)).isConstant() ? g.value(n.input(i)).constant() : null).sizes());
            case "Split" -> {
                int[] s = in(g, n, 0).shape();
                int[] sizes = splitSizes(g, n, s);
                int axis = splitAxis(n, s.length);
                for (int i = 0; i < sizes.length; i++) {
                    int[] o = s.clone();
                    o[axis] = sizes[i];
                    set(g, n, i, in(g, n, 0).dtype(), o);
                }
            }
            case "ConvTranspose" -> {
                int[] x = in(g, n, 0).shape();
                int[] w = in(g, n, 1).shape();
                if (x.length != 4 || w.length != 4) throw new GraphException(n, "only 2-D ConvTranspose (4-D tensors) is supported");
                var a = dev.cnnip.compiler.layer.ConvTransposeAttrs.of(n, x[2], x[3], w[2], w[3]);
                if (x[1] != w[0]) throw new GraphException(n, "input has " + x[1] + " channels, weights expect " + w[0]);
                set(g, n, 0, in(g, n, 0).dtype(), new int[] {x[0], w[1] * a.group(), a.outH(x[2], w[2]), a.outW(x[3], w[3])});
            }
            default -> throw new GraphException(n, "unsupported operator");
        }
    }

    private static Value in(Graph g, Node n, int i) {
        String name = n.input(i);
        if (name.isEmpty()) throw new GraphException(n, "input " + i + " is missing");
        return g.value(name);
    }

    private static DType floatOf(DType scaleType) {
        return scaleType == DType.FLOAT16 ? DType.FLOAT16 : DType.FLOAT32;
    }

    private static DType outputTypeAttr(Node n, DType dflt) {
        long t = n.attrInt("output_dtype", 0);
        return t == 0 ? dflt : DType.fromOnnx((int) t);
    }

    private static void set(Graph g, Node n, int i, DType t, int[] shape) {
        if (i >= n.outputs().size() || n.output(i).isEmpty()) return;
        Value v = g.value(n.output(i));
        int[] declared = v.shape();
        if (declared != null && !Arrays.equals(declared, shape)) {
            throw new GraphException(n, "output '" + v.name() + "' declared " + Arrays.toString(declared)
                    + " but inferred " + Arrays.toString(shape));
        }
        v.setType(t, shape);
    }

    private static void conv(Graph g, Node n, String op) {
        boolean q = op.equals("QLinearConv");
        int[] x = in(g, n, 0).shape();
        int[] w = in(g, n, q ? 3 : 1).shape();
        if (x.length != 4 || w.length != 4) throw new GraphException(n, "only 2-D convolution (4-D tensors) is supported");
        long group = n.attrInt("group", 1);
        if (x[1] != w[1] * group) {
            throw new GraphException(n, "input has " + x[1] + " channels, weights expect " + w[1] * group);
        }
        ConvGeometry geo = ConvGeometry.of(n, x[2], x[3], w[2], w[3], false);
        DType t = switch (op) {
            case "QLinearConv" -> in(g, n, 7).dtype();
            case "ConvInteger" -> DType.INT32;
            default -> in(g, n, 0).dtype();
        };
        set(g, n, 0, t, new int[] {x[0], w[0], geo.oh(), geo.ow()});
    }

    private static void pool(Graph g, Node n) {
        int[] x = in(g, n, 0).shape();
        long[] k = n.attrInts("kernel_shape", null);
        if (k == null || k.length != 2 || x.length != 4) throw new GraphException(n, "only 2-D pooling is supported");
        boolean last = n.attrInt("channels_last", 0) != 0;
        int ih = last ? x[1] : x[2];
        int iw = last ? x[2] : x[3];
        ConvGeometry geo = ConvGeometry.of(n, ih, iw, (int) k[0], (int) k[1], n.attrInt("ceil_mode", 0) != 0);
        int[] o = last ? new int[] {x[0], geo.oh(), geo.ow(), x[3]} : new int[] {x[0], x[1], geo.oh(), geo.ow()};
        set(g, n, 0, in(g, n, 0).dtype(), o);
        if (n.outputs().size() > 1) set(g, n, 1, DType.INT64, o);
    }

    static int[] matmulShape(Node n, int[] a, int[] b) {
        if (a.length < 1 || b.length < 1) throw new GraphException(n, "MatMul of scalars");
        int[] aa = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] bb = b.length == 1 ? new int[] {b[0], 1} : b;
        if (aa[aa.length - 1] != bb[bb.length - 2]) {
            throw new GraphException(n, "inner dimensions differ: " + Arrays.toString(a) + " x " + Arrays.toString(b));
        }
        int[] batch = broadcast(n, Arrays.copyOf(aa, aa.length - 2), Arrays.copyOf(bb, bb.length - 2));
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = aa[aa.length - 2];
        out[batch.length + 1] = bb[bb.length - 1];
        if (a.length == 1) out = remove(out, out.length - 2);
        if (b.length == 1) out = remove(out, out.length - 1);
        return out;
    }

    private static int[] remove(int[] s, int axis) {
        int[] o = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != axis) o[j++] = s[i];
        return o;
    }

    /** Numpy broadcasting of two shapes. */
    public static int[] broadcast(Node n, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] o = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new GraphException(n, "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    private static Tensor constInput(Graph g, Node n, int i, String what) {
        Value v = in(g, n, i);
        if (!v.isConstant()) throw new GraphException(n, what + " must be a constant");
        return v.constant();
    }

    private static int[] reshape(Graph g, Node n) {
        int[] s = in(g, n, 0).shape();
        Tensor shapeT = constInput(g, n, 1, "the target shape");
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        int[] o = new int[shapeT.size()];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < o.length; i++) {
            long d = shapeT.getLong(i);
            if (d == -1) {
                if (infer >= 0) throw new GraphException(n, "more than one -1 in the target shape");
                infer = i;
                continue;
            }
            if (d == 0 && !allowZero) d = s[i];
            o[i] = (int) d;
            known *= d;
        }
        long total = Tensor.numElements(s);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) throw new GraphException(n, "cannot infer -1 in the target shape");
            o[infer] = (int) (total / known);
        }
        if (Tensor.numElements(o) != total) {
            throw new GraphException(n, "cannot reshape " + Arrays.toString(s) + " to " + Arrays.toString(o));
        }
        return o;
    }

    private static void concat(Graph g, Node n, boolean qlinear) {
        int first = qlinear ? 2 : 0;
        int step = qlinear ? 3 : 1;
        int[] s = in(g, n, first).shape();
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += s.length;
        int[] o = s.clone();
        o[axis] = 0;
        for (int i = first; i < n.inputs().size(); i += step) {
            int[] si = in(g, n, i).shape();
            if (si.length != s.length) throw new GraphException(n, "inputs of different ranks");
            o[axis] += si[axis];
        }
        set(g, n, 0, in(g, n, first).dtype(), o);
    }

    private static int[] squeeze(Graph g, Node n, boolean unsqueeze) {
        int[] s = in(g, n, 0).shape();
        long[] axes = n.attrInts("axes", null);
        if (axes == null && !n.input(1).isEmpty()) axes = constInput(g, n, 1, "axes").toLongArray();
        if (unsqueeze) {
            if (axes == null) throw new GraphException(n, "Unsqueeze needs axes");
            int r = s.length + axes.length;
            boolean[] ins = new boolean[r];
            for (long a : axes) ins[(int) (a < 0 ? a + r : a)] = true;
            int[] o = new int[r];
            for (int i = 0, j = 0; i < r; i++) o[i] = ins[i] ? 1 : s[j++];
            return o;
        }
        boolean[] drop = new boolean[s.length];
        if (axes == null) {
            for (int i = 0; i < s.length; i++) drop[i] = s[i] == 1;
        } else {
            for (long a : axes) drop[(int) (a < 0 ? a + s.length : a)] = true;
        }
        return Arrays.stream(java.util.stream.IntStream.range(0, s.length).filter(i -> !drop[i]).map(i -> s[i]).toArray()).toArray();
    }

    private static void gather(Graph g, Node n) {
        int[] s = in(g, n, 0).shape();
        int[] idx = in(g, n, 1).shape();
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += s.length;
        int[] o = new int[s.length - 1 + idx.length];
        int j = 0;
        for (int i = 0; i < axis; i++) o[j++] = s[i];
        for (int d : idx) o[j++] = d;
        for (int i = axis + 1; i < s.length; i++) o[j++] = s[i];
        set(g, n, 0, in(g, n, 0).dtype(), o);
    }

    private static void pad(Graph g, Node n) {
        int[] s = in(g, n, 0).shape();
        long[] pads = n.attrInts("pads", null);
        if (pads == null) pads = constInput(g, n, 1, "pads").toLongArray();
        long[] axes = null;
        if (!n.input(3).isEmpty()) axes = constInput(g, n, 3, "axes").toLongArray();
        int[] o = s.clone();
        int k = axes == null ? s.length : axes.length;
        for (int i = 0; i < k; i++) {
            int a = axes == null ? i : (int) (axes[i] < 0 ? axes[i] + s.length : axes[i]);
            o[a] += (int) (pads[i] + pads[i + k]);
        }
        set(g, n, 0, in(g, n, 0).dtype(), o);
    }

    /** The axis of a Split node, normalized. */
    public static int splitAxis(Node n, int rank) {
        int axis = (int) n.attrInt("axis", 0);
        if (axis < -rank || axis >= rank) throw new GraphException(n, "axis " + axis + " is out of range for rank " + rank);
        return axis < 0 ? axis + rank : axis;
    }

    /**
     * The piece sizes of a Split node: its {@code split} input (opset 13) or attribute, else equal pieces, one per
     * output ({@code num_outputs} of opset 18: the last piece may be smaller).
     */
    public static int[] splitSizes(Graph g, Node n, int[] shape) {
        int axis = splitAxis(n, shape.length);
        long[] split = n.attrInts("split", null);
        if (split == null && n.inputs().size() > 1 && !n.input(1).isEmpty()) split = constInput(g, n, 1, "split").toLongArray();
        int outs = n.outputs().size();
        int dim = shape[axis];
        int[] sizes = new int[outs];
        if (split != null) {
            if (split.length != outs) throw new GraphException(n, split.length + " split sizes for " + outs + " outputs");
            long total = 0;
            for (int i = 0; i < outs; i++) {
                sizes[i] = (int) split[i];
                total += split[i];
            }
            if (total != dim) throw new GraphException(n, "split sizes add up to " + total + ", not the axis' " + dim);
            return sizes;
        }
        int piece = (dim + outs - 1) / outs;
        if (!n.has("num_outputs") && dim % outs != 0) throw new GraphException(n, "axis of " + dim + " does not split into " + outs + " equal parts");
        for (int i = 0, left = dim; i < outs; i++, left -= piece) sizes[i] = Math.max(0, Math.min(piece, left));
        return sizes;
    }

    private static void resize(Graph g, Node n) {
        int[] s = in(g, n, 0).shape();
        int[] o = new int[s.length];
        boolean upsample = n.opType().equals("Upsample");
        String scalesName = upsample ? n.input(1) : n.input(2);
        String sizesName = upsample ? "" : n.input(3);
        if (!sizesName.isEmpty()) {
            Tensor sz = constInput(g, n, 3, "sizes");
            for (int i = 0; i < s.length; i++) o[i] = (int) sz.getLong(i);
        } else if (!scalesName.isEmpty()) {
            Tensor sc = constInput(g, n, upsample ? 1 : 2, "scales");
            for (int i = 0; i < s.length; i++) o[i] = (int) Math.floor(s[i] * sc.getFloat(i));
        } else {
            throw new GraphException(n, "Resize needs scales or sizes");
        }
        set(g, n, 0, in(g, n, 0).dtype(), o);
    }
}
