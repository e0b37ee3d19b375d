package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a pre-quantized ONNX graph, in QOperator form (QLinearConv, QLinearMatMul, com.microsoft
 * QLinearAdd/QLinearGlobalAveragePool, integer MaxPool/Reshape) or QDQ form (DequantizeLinear → op →
 * [Relu|Clip] → QuantizeLinear groups), into the canonical quantized ops of {@link QGraph}. Relu and
 * Clip between an op and its QuantizeLinear are absorbed into the output's saturation range. A float
 * operator left between DequantizeLinear and QuantizeLinear is an error naming the node.
 */
public final class Canonicalizer {
    private static final Set<String> RESHAPES = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");
    /** Unary operators computed by a lookup table on quantized codes. */
    static final Set<String> LUT_OPS = Set.of("Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip",
            "Elu", "Softplus", "Exp", "Neg", "Abs");

    private final Graph g;
    private final QGraph q;

    private Canonicalizer(Graph g) {
        this.g = g;
        this.q = new QGraph(g);
    }

    public static QGraph run(Graph g) {
        Canonicalizer c = new Canonicalizer(g);
        c.fuseQdqGroups();
        c.fuseRequantPairs();
        c.convertRest();
        g.pruneUnusedValues();
        return c.q;
    }

    // ---------------------------------------------------------------- QDQ groups

    private void fuseQdqGroups() {
        for (Node x : new ArrayList<>(g.nodes())) {
            if (!g.nodes().contains(x) || !x.domain().isEmpty()) continue;
            String op = x.opType();
            List<Integer> acts = switch (op) {
                case "Conv", "MaxPool", "GlobalAveragePool", "AveragePool", "Resize", "Transpose", "Softmax" -> List.of(0);
                case "MatMul", "Add", "Mul" -> List.of(0, 1);
                case "Gemm" -> List.of(0, 1);
                case "Concat" -> java.util.stream.IntStream.range(0, x.inputs().size()).boxed().toList();
                default -> RESHAPES.contains(op) || LUT_OPS.contains(op) ? List.of(0) : List.of();
            };
            if (acts.isEmpty()) continue;
            List<Node> dqs = new ArrayList<>();
            boolean ok = true;
            for (int i : acts) {
                Node p = g.producer(x.input(i));
                boolean binary = op.equals("Add") || op.equals("Mul");
                boolean constW = (op.equals("MatMul") || op.equals("Gemm") || binary) && i == 1 || binary && i == 0;
                if (p == null || !isDq(p) || (!constW && isConst(p.input(0)))) {
                    ok = false;
                    break;
                }
                dqs.add(p);
            }
            if (!ok || g.isOutput(x.output(0))) continue;
            boolean allowAct = op.equals("Conv") || op.equals("MatMul") || op.equals("Gemm") || op.equals("Add")
                    || op.equals("Mul");
            List<Node> chain = new ArrayList<>();
            Node quant = followToQuantize(x.output(0), allowAct, chain);
            if (quant == null) continue;
            fuse(x, dqs, chain, quant);
        }
    }

    /** The QuantizeLinear reached from {@code t} through at most one Relu/Clip (recorded in {@code chain}). */
    private Node followToQuantize(String t, boolean allowAct, List<Node> chain) {
        List<Node> cons = g.consumers(t);
        if (cons.size() != 1) return null;
        Node c = cons.get(0);
        if (isQ(c) && c.input(0).equals(t)) return c;
        if (allowAct && chain.isEmpty() && (c.opType().equals("Relu") || c.opType().equals("Clip"))
                && !g.isOutput(c.output(0))) {
            chain.add(c);
            return followToQuantize(c.output(0), false, chain);
        }
        return null;
    }

    private void fuse(Node x, List<Node> dqs, List<Node> chain, Node quant) {
        QParams out = qparamsOfQ(quant);
        String y = quant.output(0);
        Map<String, Object> attrs = new LinkedHashMap<>(x.attrs());
        int[] range = clampRange(out, chain);
        attrs.put("qmin", (long) range[0]);
        attrs.put("qmax", (long) range[1]);
        List<String> nodes = new ArrayList<>();
        nodes.add(x.name());
        chain.forEach(c -> nodes.add(c.name()));
        nodes.add(quant.name());
        attrs.put("onnx_nodes", String.join(",", nodes));
        attrs.put("onnx_op", x.opType());
        String op = x.opType();
        Node canon;
        switch (op) {
            case "Conv" -> {
                Node dqx = dqs.get(0);
                q.record(dqx.input(0), qparamsOfDq(dqx));
                Node dqw = g.producer(x.input(1));
                if (dqw == null || !isDq(dqw) || !isConst(dqw.input(0))) {
                    throw new GraphException(x, "weights must be DequantizeLinear of a constant");
                }
                putWeightParams(attrs, dqw, "w");
                String bias = x.input(2).isEmpty() ? "" : biasInput(x, x.input(2), qparamsOfDq(dqx), attrs);
                canon = canonical(x.name(), "QConv", List.of(dqx.input(0), dqw.input(0), bias), y, attrs);
            }
            case "MatMul", "Gemm" -> {
                Node dqa = dqs.get(0);
                Node dqb = dqs.get(1);
                q.record(dqa.input(0), qparamsOfDq(dqa));
                putWeightParams(attrs, dqb, "w");
                if (!isConst(dqb.input(0))) q.record(dqb.input(0), qparamsOfDq(dqb));
                String bias = "";
                if (op.equals("Gemm")) {
                    checkGemm(x);
                    if (!x.input(2).isEmpty()) bias = biasInput(x, x.input(2), qparamsOfDq(dqa), attrs);
                }
                canon = canonical(x.name(), "QMatMul", List.of(dqa.input(0), dqb.input(0), bias), y, attrs);
            }
            case "Add", "Mul" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                q.record(dqs.get(1).input(0), qparamsOfDq(dqs.get(1)));
                canon = canonical(x.name(), "Q" + op, List.of(dqs.get(0).input(0), dqs.get(1).input(0)), y, attrs);
            }
            case "GlobalAveragePool" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                canon = canonical(x.name(), "QGlobalAveragePool", List.of(dqs.get(0).input(0)), y, attrs);
            }
            case "Concat" -> {
                List<String> ins = new ArrayList<>();
                for (Node dq : dqs) {
                    q.record(dq.input(0), qparamsOfDq(dq));
                    ins.add(dq.input(0));
                }
                canon = canonical(x.name(), "QConcat", ins, y, attrs);
            }
            case "Softmax", "AveragePool" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                canon = canonical(x.name(), "Q" + op, List.of(dqs.get(0).input(0)), y, attrs);
            }
            case "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip", "Elu", "Softplus", "Exp", "Neg",
                    "Abs" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                attrs.put("lut_op", op);
                List<String> ins = new ArrayList<>();
                ins.add(dqs.get(0).input(0));
                for (int i = 1; i < x.inputs().size(); i++) ins.add(x.input(i));
                canon = canonical(x.name(), "QLut", ins, y, attrs);
            }
            default -> { // MaxPool, Resize, Transpose and reshapes: values pass through, so the parameters must not change
                QParams in = qparamsOfDq(dqs.get(0));
                if (!in.sameAs(out)) {
                    throw new GraphException(x, "input and output quantization differ (" + in + " vs " + out
                            + "); requantizing " + op + " is not supported");
                }
                q.record(dqs.get(0).input(0), in);
                List<String> ins = new ArrayList<>();
                ins.add(dqs.get(0).input(0));
                for (int i = 1; i < x.inputs().size(); i++) ins.add(x.input(i));
                String cop = switch (op) {
                    case "MaxPool" -> "QMaxPool";
                    case "Resize" -> "QResize";
                    case "Transpose" -> "QTranspose";
                    default -> "QReshape";
                };
                canon = canonical(x.name(), cop, ins, y, attrs);
            }
        }
        q.record(y, out);
        int at = g.nodes().indexOf(quant);
        g.nodes().add(at, canon);
        g.nodes().remove(x);
        chain.forEach(g.nodes()::remove);
        g.nodes().remove(quant);
        for (Node dq : dqs) if (g.consumers(dq.output(0)).isEmpty() && !g.isOutput(dq.output(0))) g.nodes().remove(dq);
        Node dqw = op.equals("Conv") ? g.producer(x.input(1)) : null;
        if (dqw != null && g.consumers(dqw.output(0)).isEmpty()) g.nodes().remove(dqw);
    }

    private static void checkGemm(Node x) {
        if (x.attrFloat("alpha", 1f) != 1f || x.attrFloat("beta", 1f) != 1f || x.attrInt("transA", 0) != 0) {
            throw new GraphException(x, "only Gemm with alpha = beta = 1 and transA = 0 is supported");
        }
    }

    /** Weight scale and zero point attributes ({@code w_scale}, {@code w_zero_point}, {@code w_axis}) from a DequantizeLinear. */
    private void putWeightParams(Map<String, Object> attrs, Node dqw, String prefix) {
        attrs.put(prefix + "_scale", constOf(dqw, 1));
        if (!dqw.input(2).isEmpty()) attrs.put(prefix + "_zero_point", constOf(dqw, 2));
        attrs.put(prefix + "_axis", dqw.attrInt("axis", 1));
    }

    /** The int32 bias tensor name: DequantizeLinear of an int32 constant, or a float constant quantized with xs·ws[c]. */
    private String biasInput(Node x, String name, QParams xq, Map<String, Object> attrs) {
        Node p = g.producer(name);
        if (p != null && isDq(p) && isConst(p.input(0))) {
            Tensor b = g.value(p.input(0)).constant();
            if (b.dtype() != DType.INT32) throw new GraphException(x, "bias must be int32 when quantized");
            if (g.consumers(p.output(0)).size() == 1) g.nodes().remove(p);
            return p.input(0);
        }
        if (isConst(name)) {
            Tensor b = g.value(name).constant();
            Tensor ws = (Tensor) attrs.get("w_scale");
            Tensor qb = Tensor.zeros(DType.INT32, b.shape());
            for (int c = 0; c < b.size(); c++) {
                float s = xq.scale0() * ws.getFloat(ws.size() == 1 ? 0 : c);
                qb.setLong(c, (long) Math.rint((double) b.getFloat(c) / (double) s));
            }
            String qn = g.freshName(name + "_quantized");
            g.add(Value.constant(qn, qb));
            return qn;
        }
        throw new GraphException(x, "bias must be a constant");
    }

    /** Output saturation range with absorbed Relu/Clip: [max(qmin, Q(lo)), min(qmax, Q(hi))]. */
    private int[] clampRange(QParams out, List<Node> chain) {
        int lo = out.qmin();
        int hi = out.qmax();
        for (Node c : chain) {
            float fmin = c.opType().equals("Relu") ? 0f : clipBound(c, 1, "min", Float.NEGATIVE_INFINITY);
            float fmax = c.opType().equals("Relu") ? Float.POSITIVE_INFINITY : clipBound(c, 2, "max", Float.POSITIVE_INFINITY);
            if (fmin > Float.NEGATIVE_INFINITY) {
                lo = Math.max(lo, dev.cnnip.numerics.Quantize.quantize(fmin, out.scale0(), out.zp0(), out.qmin(), out.qmax()));
            }
            if (fmax < Float.POSITIVE_INFINITY) {
                hi = Math.min(hi, dev.cnnip.numerics.Quantize.quantize(fmax, out.scale0(), out.zp0(), out.qmin(), out.qmax()));
            }
        }
        return new int[] {lo, hi};
    }

    private float clipBound(Node c, int input, String attr, float dflt) {
        if (!c.input(input).isEmpty()) {
            if (!isConst(c.input(input))) throw new GraphException(c, attr + " must be a constant");
            return g.value(c.input(input)).constant().getFloat(0);
        }
        return c.attrFloat(attr, dflt);
    }

    /**
     * DequantizeLinear directly followed by QuantizeLinear (a precision boundary, or a requantization
     * another tool left) becomes one QRequant.
     */
    private void fuseRequantPairs() {
        for (Node dq : new ArrayList<>(g.nodes())) {
            if (!isDq(dq) || isConst(dq.input(0)) || g.isOutput(dq.output(0))) continue;
            List<Node> cons = g.consumers(dq.output(0));
            if (cons.isEmpty() || !cons.stream().allMatch(c -> isQ(c) && c.input(0).equals(dq.output(0)))) continue;
            q.record(dq.input(0), qparamsOfDq(dq));
            for (Node quant : cons) {
                QParams out = qparamsOfQ(quant);
                q.record(quant.output(0), out);
                Map<String, Object> attrs = new LinkedHashMap<>();
                attrs.put("onnx_nodes", dq.name() + "," + quant.name());
                g.nodes().set(g.nodes().indexOf(quant), canonical(quant.name(), "QRequant", List.of(dq.input(0)),
                        quant.output(0), attrs));
            }
            g.nodes().remove(dq);
        }
    }

    // ---------------------------------------------------------------- QOperator ops and leftovers

    private void convertRest() {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (n.domain().equals(QGraph.DOMAIN)) continue;
            String op = n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType();
            Node canon = switch (op) {
                case "QuantizeLinear" -> {
                    if (isConst(n.input(0))) yield null;
                    yield quantDequant(n, "Quantize");
                }
                case "DequantizeLinear" -> {
                    if (isConst(n.input(0))) {
                        if (!g.consumers(n.output(0)).isEmpty()) {
                            throw new GraphException(g.consumers(n.output(0)).get(0),
                                    "float operator on dequantized constants is not supported");
                        }
                        g.nodes().remove(n);
                        yield null;
                    }
                    yield quantDequant(n, "Dequantize");
                }
                case "QLinearConv" -> qlinearConv(n);
                case "QLinearMatMul" -> qlinearMatMul(n);
                case "com.microsoft:QLinearAdd" -> qlinearBinary(n, "QAdd");
                case "com.microsoft:QLinearMul" -> qlinearBinary(n, "QMul");
                case "com.microsoft:QLinearGlobalAveragePool" -> qlinearGap(n);
                case "com.microsoft:QLinearAveragePool" -> qlinearAveragePool(n);
                case "MaxPool" -> passThrough(n, "QMaxPool");
                default -> {
                    if (RESHAPES.contains(op)) yield passThrough(n, "QReshape");
                    throw new GraphException(n, isFloat(n) ? "float operator outside a QuantizeLinear/DequantizeLinear group; "
                            + "cnnip compiles quantized graphs (quantize the model first)" : "unsupported operator");
                }
            };
            if (canon != null) {
                int at = g.nodes().indexOf(n);
                g.nodes().set(at, canon);
            }
        }
    }

    private boolean isFloat(Node n) {
        for (String in : n.inputs()) {
            if (!in.isEmpty() && g.value(in).dtype() == DType.FLOAT32 && !isConst(in)) return true;
        }
        return false;
    }

    private Node quantDequant(Node n, String op) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("scale", constOf(n, 1));
        if (!n.input(2).isEmpty()) attrs.put("zero_point", constOf(n, 2));
        attrs.put("axis", n.attrInt("axis", 1));
        attrs.put("block_size", n.attrInt("block_size", 0));
        attrs.put("onnx_nodes", n.name());
        boolean quant = op.equals("Quantize");
        String qt = quant ? n.output(0) : n.input(0);
        if (n.attrInt("block_size", 0) == 0) q.record(qt, quant ? qparamsOfQ(n) : qparamsOfDq(n));
        return canonical(n.name(), op, List.of(n.input(0)), n.output(0), attrs);
    }

    private Node qlinearConv(Node n) {
        Map<String, Object> attrs = new LinkedHashMap<>(n.attrs());
        q.record(n.input(0), params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        attrs.put("w_scale", constOf(n, 4));
        attrs.put("w_zero_point", constOf(n, 5));
        attrs.put("w_axis", 0L);
        attrs.put("qmin", (long) y.qmin());
        attrs.put("qmax", (long) y.qmax());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), "QConv", List.of(n.input(0), n.input(3), n.input(8)), n.output(0), attrs);
    }

    private Node qlinearMatMul(Node n) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        q.record(n.input(0), params(n, 1, 2, g.value(n.input(0)).dtype()));
        if (!isConst(n.input(3))) q.record(n.input(3), params(n, 4, 5, g.value(n.input(3)).dtype()));
        QParams y = params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        attrs.put("w_scale", constOf(n, 4));
        attrs.put("w_zero_point", constOf(n, 5));
        attrs.put("w_axis", 1L);
        attrs.put("qmin", (long) y.qmin());
        attrs.put("qmax", (long) y.qmax());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), "QMatMul", List.of(n.input(0), n.input(3), ""), n.output(0), attrs);
    }

    private Node qlinearBinary(Node n, String canonicalOp) {
        q.record(n.input(0), params(n, 1, 2, g.value(n.input(0)).dtype()));
        q.record(n.input(3), params(n, 4, 5, g.value(n.input(3)).dtype()));
        QParams y = params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("qmin", (long) y.qmin());
        attrs.put("qmax", (long) y.qmax());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), canonicalOp, List.of(n.input(0), n.input(3)), n.output(0), attrs);
    }

    private Node qlinearGap(Node n) {
        if (n.attrInt("channels_last", 0) != 0) throw new GraphException(n, "channels_last = 1 is not supported");
        q.record(n.input(0), params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("qmin", (long) y.qmin());
        attrs.put("qmax", (long) y.qmax());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), "QGlobalAveragePool", List.of(n.input(0)), n.output(0), attrs);
    }

    private Node qlinearAveragePool(Node n) {
        if (n.attrInt("channels_last", 0) != 0) throw new GraphException(n, "channels_last = 1 is not supported");
        q.record(n.input(0), params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        Map<String, Object> attrs = new LinkedHashMap<>(n.attrs());
        attrs.put("qmin", (long) y.qmin());
        attrs.put("qmax", (long) y.qmax());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), "QAveragePool", List.of(n.input(0)), n.output(0), attrs);
    }

    private Node passThrough(Node n, String op) {
        Value in = g.value(n.input(0));
        if (!in.dtype().isInteger()) {
            throw new GraphException(n, "float operator outside a QuantizeLinear/DequantizeLinear group; "
                    + "cnnip compiles quantized graphs (quantize the model first)");
        }
        QParams p = q.params().get(n.input(0));
        if (p != null) {
            q.record(n.output(0), p);
        } else if (!op.equals("QMaxPool")) {
            throw new GraphException(n, "input '" + n.input(0) + "' has no known quantization");
        } // a max of integers needs no scale: a plain integer MaxPool stays exact
        Map<String, Object> attrs = new LinkedHashMap<>(n.attrs());
        attrs.put("onnx_nodes", n.name());
        return canonical(n.name(), op, n.inputs(), n.output(0), attrs);
    }

    // ---------------------------------------------------------------- helpers

    private Node canonical(String name, String op, List<String> inputs, String output, Map<String, Object> attrs) {
        return new Node(name, op, QGraph.DOMAIN, inputs, List.of(output), attrs);
    }

    private QParams params(Node n, int scaleIn, int zpIn, DType dtype) {
        Tensor s = constOf(n, scaleIn);
        Tensor z = n.input(zpIn).isEmpty() ? null : constOf(n, zpIn);
        return QParams.of(n.describe(), dtype, s, z, 1);
    }

    private QParams qparamsOfQ(Node quant) {
        Tensor s = constOf(quant, 1);
        Tensor z = quant.input(2).isEmpty() ? null : constOf(quant, 2);
        return QParams.of(quant.describe(), g.value(quant.output(0)).dtype(), s, z, (int) quant.attrInt("axis", 1));
    }

    private QParams qparamsOfDq(Node dq) {
        Tensor s = constOf(dq, 1);
        Tensor z = dq.input(2).isEmpty() ? null : constOf(dq, 2);
        return QParams.of(dq.describe(), g.value(dq.input(0)).dtype(), s, z, (int) dq.attrInt("axis", 1));
    }

    private Tensor constOf(Node n, int i) {
        String name = n.input(i);
        if (name.isEmpty()) throw new GraphException(n, "input " + i + " is missing");
        Value v = g.value(name);
        if (!v.isConstant()) throw new GraphException(n, "input '" + name + "' must be a constant (initializer)");
        return v.constant();
    }

    private boolean isConst(String name) {
        return !name.isEmpty() && g.value(name).isConstant();
    }

    private static boolean isDq(Node n) {
        return n.domain().isEmpty() && n.opType().equals("DequantizeLinear");
    }

    private static boolean isQ(Node n) {
        return n.domain().isEmpty() && n.opType().equals("QuantizeLinear");
    }

    /** Names of the ONNX nodes a canonical node stands for. */
    public static List<String> onnxNodes(Node canonical) {
        String s = canonical.attrString("onnx_nodes", canonical.name());
        return List.of(s.split(","));
    }

    static Set<String> names(List<Node> nodes) {
        Set<String> s = new HashSet<>();
        nodes.forEach(n -> s.add(n.name()));
        return s;
    }
}
