package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.layer.Clamp;
import dev.cnnip.compiler.layer.ConvAttrs;
import dev.cnnip.compiler.layer.ConvTransposeAttrs;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.layer.LrnAttrs;
import dev.cnnip.compiler.layer.PoolAttrs;
import dev.cnnip.compiler.layer.WeightQuant;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a pre-quantized ONNX graph, in QOperator form (QLinearConv, QLinearMatMul, com.microsoft
 * QLinearAdd/QLinearGlobalAveragePool, integer MaxPool/Reshape) or QDQ form (DequantizeLinear → op →
 * [Relu|Clip] → QuantizeLinear groups), into the canonical quantized ops of {@link QGraph}. Relu and
 * Clip between an op and its QuantizeLinear are absorbed into the output's saturation range. A float
 * operator left between DequantizeLinear and QuantizeLinear is an error naming the node.
 *
 * <p>Each canonical op is a typed {@link Layer} record; the graph keeps one node per layer (domain
 * {@code cnnip}, no attributes) only for its topology. At the end every layer's output shape is checked
 * against its shape relation.
 */
public final class Canonicalizer {
    static final Set<String> RESHAPES = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");
    /** Unary operators computed by a lookup table on quantized codes. */
    static final Set<String> LUT_OPS = Set.of("Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip",
            "Elu", "Softplus", "Exp", "Neg", "Abs");

    private final Graph g;
    private final QGraph q;
    /** The typed layer of each canonical node. */
    private final Map<Node, Layer> layers = new IdentityHashMap<>();

    /** Nodes that cannot be converted, with the reason, in graph order: reported together. */
    private final Map<Node, String> problems = new java.util.LinkedHashMap<>();

    /** Layers of the operators that move values (Slice, Split, Resize, Transpose, Pad, MaxPool, reshapes). */
    private final MovementLayers moves;
    /** The pass over what no QDQ group took: QOperator and contrib ops, integer pass-through ops. */
    private final QOperatorConverter qop;

    private Canonicalizer(Graph g) {
        this.g = g;
        this.q = new QGraph(g);
        this.moves = new MovementLayers(this, g, q);
        this.qop = new QOperatorConverter(this, g, q, moves);
    }

    /**
     * The canonical graph; when nodes cannot be converted, one {@link UnsupportedNodesException} names every
     * one of them (node, op type, what is missing).
     */
    public static QGraph run(Graph g) {
        Analysis a = analyze(g);
        if (!a.problems().isEmpty()) throw new UnsupportedNodesException(a.problems());
        return a.graph();
    }

    /**
     * What {@link #run} finds: the canonical graph (null when a node fails), the layers converted, every node that
     * fails, and the partial canonical graph (the converted layers with their parameters, also when nodes fail) so
     * that the layers that did convert can still be tried in lowering.
     */
    public record Analysis(QGraph graph, List<Layer> layers, List<UnsupportedNodesException.Problem> problems, QGraph partial) {}

    /** Converts as much as it can and collects every node that cannot be converted instead of stopping at the first. */
    public static Analysis analyze(Graph g) {
        Canonicalizer c = new Canonicalizer(g);
        c.dropViews();
        c.fuseQdqGroups();
        c.fuseRequantPairs();
        c.convertRest();
        g.pruneUnusedValues();
        c.collectLayers();
        List<UnsupportedNodesException.Problem> ps = new ArrayList<>();
        c.problems.forEach((n, why) -> ps.add(UnsupportedNodesException.Problem.of(n, why)));
        return new Analysis(ps.isEmpty() ? c.q : null, List.copyOf(c.q.layers()), ps, c.q);
    }

    /** The layers in graph order, each checked against its shape relation. */
    private void collectLayers() {
        for (Node n : g.nodes()) {
            if (problems.containsKey(n)) continue;
            Layer l = layers.get(n);
            if (l == null && isDq(n) && isConst(n.input(0))) continue; // weights of a node reported on its own
            if (l == null) {
                problems.put(n, "was not converted to a canonical layer");
                continue;
            }
            try {
                checkShape(l);
            } catch (GraphException e) {
                problems.put(n, e.getMessage());
                continue;
            }
            q.layers().add(l);
        }
    }

    private void checkShape(Layer l) {
        List<int[]> shapes = new ArrayList<>();
        for (String in : l.inputs()) {
            Value v = g.value(in);
            if (!v.hasShape()) return;
            shapes.add(v.shape());
        }
        int[] computed = l.outputShape(shapes);
        Value out = g.value(l.output());
        if (out.hasShape() && !Arrays.equals(computed, out.shape())) {
            throw l.error("output shape " + Arrays.toString(out.shape()) + " differs from " + Arrays.toString(computed)
                    + ", the shape its inputs give");
        }
    }

    /**
     * Identity and inference-mode Dropout are views: their consumers read the input instead and the nodes leave
     * the graph (float or integer, inside a QDQ group or not). One that produces a graph output stays.
     */
    private void dropViews() {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (!n.domain().isEmpty() || !(n.opType().equals("Identity") || n.opType().equals("Dropout"))) continue;
            String in = n.input(0);
            String out = n.output(0);
            if (g.isOutput(out)) continue;
            if (n.outputs().size() > 1 && !n.output(1).isEmpty() && !g.consumers(n.output(1)).isEmpty()) continue;
            if (n.opType().equals("Dropout") && n.inputs().size() > 2 && !n.input(2).isEmpty()) {
                if (!isConst(n.input(2)) || g.value(n.input(2)).constant().getLong(0) != 0) continue; // training mode
            }
            for (Node c : g.consumers(out)) {
                for (int i = 0; i < c.inputs().size(); i++) if (c.input(i).equals(out)) c.inputs().set(i, in);
            }
            g.nodes().remove(n);
        }
    }

    // ---------------------------------------------------------------- QDQ groups

    private void fuseQdqGroups() {
        for (Node x : new ArrayList<>(g.nodes())) {
            if (!g.nodes().contains(x) || !x.domain().isEmpty()) continue;
            String op = x.opType();
            if (op.equals("Split")) {
                fuseSplit(x);
                continue;
            }
            List<Integer> acts = switch (op) {
                case "Conv", "ConvTranspose", "Slice", "MaxPool", "GlobalAveragePool", "AveragePool", "Resize", "Transpose", "Softmax", "Pad", "LRN" -> List.of(0);
                case "MatMul", "Add", "Mul" -> List.of(0, 1);
                case "Gemm" -> List.of(0, 1);
                case "Max", "Min" -> x.inputs().size() == 2 ? List.of(0, 1) : List.of();
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
            boolean allowAct = op.equals("Conv") || op.equals("ConvTranspose") || op.equals("MatMul") || op.equals("Gemm") || op.equals("Add")
                    || op.equals("Mul");
            List<Node> chain = new ArrayList<>();
            Node quant = followToQuantize(x.output(0), allowAct, chain);
            if (quant == null && op.equals("LRN")) quant = followMaxPoolToQuantize(x.output(0), chain);
            if (quant == null) continue;
            try {
                fuse(x, dqs, chain, quant);
            } catch (GraphException e) {
                problems.put(x, e.getMessage());
            }
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

    /**
     * LRN → MaxPool → QuantizeLinear, as ONNX Runtime's quantize_static leaves AlexNet's and GoogLeNet's
     * normalisation (it quantizes neither operator): the MaxPool joins the LRN's group (recorded in
     * {@code chain}). QuantizeLinear is monotone, so quantizing before the max equals quantizing after it.
     */
    private Node followMaxPoolToQuantize(String t, List<Node> chain) {
        List<Node> cons = g.consumers(t);
        if (cons.size() != 1) return null;
        Node mp = cons.get(0);
        boolean indices = mp.outputs().size() > 1 && !mp.output(1).isEmpty();
        if (!mp.domain().isEmpty() || !mp.opType().equals("MaxPool") || indices || g.isOutput(mp.output(0))) return null;
        List<Node> next = g.consumers(mp.output(0));
        if (next.size() != 1 || !isQ(next.get(0)) || !next.get(0).input(0).equals(mp.output(0))) return null;
        chain.add(mp);
        return next.get(0);
    }

    private void fuse(Node x, List<Node> dqs, List<Node> chain, Node quant) {
        QParams out = qparamsOfQ(quant);
        String y = quant.output(0);
        int[] range = clampRange(out, chain.stream().filter(c -> !c.opType().equals("MaxPool")).toList());
        Clamp clamp = new Clamp(range[0], range[1]);
        List<String> nodes = new ArrayList<>();
        nodes.add(x.name());
        chain.forEach(c -> nodes.add(c.name()));
        nodes.add(quant.name());
        String op = x.opType();
        String name = x.name();
        Node canon;
        Node extra = null; // a requantization after a pass-through op whose output parameters differ
        Node pre = null; // a transpose of Gemm's A (transA)
        switch (op) {
            case "Conv" -> {
                Node dqx = dqs.get(0);
                q.record(dqx.input(0), qparamsOfDq(dqx));
                Node dqw = g.producer(x.input(1));
                if (dqw == null || !isDq(dqw) || !isConst(dqw.input(0))) {
                    throw new GraphException(x, "weights must be DequantizeLinear of a constant");
                }
                WeightQuant wq = weightQuant(dqw);
                String bias = x.input(2).isEmpty() ? "" : biasInput(x, x.input(2), qparamsOfDq(dqx), wq.scale());
                canon = canonical(new Layer.QConv(name, nodes, dqx.input(0), dqw.input(0), bias, y, wq, ConvAttrs.of(x), clamp),
                        List.of(dqx.input(0), dqw.input(0), bias));
            }
            case "ConvTranspose" -> {
                Node dqx = dqs.get(0);
                q.record(dqx.input(0), qparamsOfDq(dqx));
                Node dqw = g.producer(x.input(1));
                if (dqw == null || !isDq(dqw) || !isConst(dqw.input(0))) {
                    throw new GraphException(x, "weights must be DequantizeLinear of a constant");
                }
                WeightQuant wq = weightQuant(dqw);
                String bias = x.inputs().size() < 3 || x.input(2).isEmpty() ? ""
                        : biasInput(x, x.input(2), qparamsOfDq(dqx), wq.scale());
                int[] xs = knownShape(x, dqx.input(0));
                int[] ws = knownShape(x, dqw.input(0));
                canon = canonical(new Layer.QConvTranspose(name, nodes, dqx.input(0), dqw.input(0), bias, y, wq,
                        ConvTransposeAttrs.of(x, xs[2], xs[3], ws[2], ws[3]), clamp), List.of(dqx.input(0), dqw.input(0), bias));
            }
            case "MatMul", "Gemm" -> {
                Node dqa = dqs.get(0);
                Node dqb = dqs.get(1);
                q.record(dqa.input(0), qparamsOfDq(dqa));
                WeightQuant wq = weightQuant(dqb);
                if (!isConst(dqb.input(0))) q.record(dqb.input(0), qparamsOfDq(dqb));
                String bias = "";
                if (op.equals("Gemm")) {
                    checkGemm(x);
                    if (!x.input(2).isEmpty()) bias = biasInput(x, x.input(2), qparamsOfDq(dqa), wq.scale());
                }
                String a = dqa.input(0);
                if (op.equals("Gemm") && x.attrInt("transA", 0) != 0) {
                    a = transposedA(x, a, nodes);
                    pre = layersNode(a);
                }
                canon = canonical(new Layer.QMatMul(name, nodes, a, dqb.input(0), bias, y, wq,
                        x.attrInt("transB", 0) != 0, op, clamp), List.of(a, dqb.input(0), bias));
            }
            case "Add", "Mul" -> {
                String a = dqs.get(0).input(0);
                String b = dqs.get(1).input(0);
                q.record(a, qparamsOfDq(dqs.get(0)));
                q.record(b, qparamsOfDq(dqs.get(1)));
                Layer l = op.equals("Add") ? new Layer.QAdd(name, nodes, a, b, y, clamp) : new Layer.QMul(name, nodes, a, b, y, clamp);
                canon = canonical(l, List.of(a, b));
            }
            case "Max", "Min" -> {
                String a = dqs.get(0).input(0);
                String b = dqs.get(1).input(0);
                q.record(a, qparamsOfDq(dqs.get(0)));
                q.record(b, qparamsOfDq(dqs.get(1)));
                canon = canonical(op.equals("Max") ? new Layer.QMax(name, nodes, a, b, y) : new Layer.QMin(name, nodes, a, b, y),
                        List.of(a, b));
            }
            case "GlobalAveragePool" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                canon = canonical(new Layer.QGlobalAveragePool(name, nodes, dqs.get(0).input(0), y, clamp),
                        List.of(dqs.get(0).input(0)));
            }
            case "Concat" -> {
                List<String> ins = new ArrayList<>();
                for (Node dq : dqs) {
                    q.record(dq.input(0), qparamsOfDq(dq));
                    ins.add(dq.input(0));
                }
                canon = canonical(new Layer.QConcat(name, nodes, ins, y, (int) x.attrInt("axis", 0)), ins);
            }
            case "Softmax" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                canon = canonical(new Layer.QSoftmax(name, nodes, dqs.get(0).input(0), y, (int) x.attrInt("axis", -1)),
                        List.of(dqs.get(0).input(0)));
            }
            case "LRN" -> {
                // no integer LRN exists: ONNX Runtime runs this group as DequantizeLinear -> float LRN -> QuantizeLinear
                String in = dqs.get(0).input(0);
                q.record(in, qparamsOfDq(dqs.get(0)));
                if (chain.isEmpty()) {
                    canon = canonical(new Layer.QLrn(name, nodes, in, y, LrnAttrs.of(x)), List.of(in));
                } else {
                    // DQ -> LRN -> MaxPool -> Q: the LRN's output becomes codes with Q's parameters, then a QMaxPool
                    Node mp = chain.get(0);
                    // a new tensor: the float model's LRN output keeps its name and meaning (float) for comparisons
                    Value f = g.value(x.output(0));
                    String mid = g.freshName(x.output(0) + "_quantized");
                    g.add(new Value(mid, out.dtype(), f.hasShape() ? f.shape() : null, null));
                    q.record(mid, out);
                    g.nodes().add(g.nodes().indexOf(quant), canonical(new Layer.QLrn(name, List.of(name), in, mid, LrnAttrs.of(x)),
                            List.of(in)));
                    canon = canonical(new Layer.QMaxPool(mp.name(), List.of(mp.name(), quant.name()), mid, y, PoolAttrs.of(mp, "max")),
                            List.of(mid));
                }
            }
            case "AveragePool" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                canon = canonical(new Layer.QAveragePool(name, nodes, dqs.get(0).input(0), y, PoolAttrs.of(x, "average"), clamp),
                        List.of(dqs.get(0).input(0)));
            }
            case "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip", "Elu", "Softplus", "Exp", "Neg",
                    "Abs" -> {
                q.record(dqs.get(0).input(0), qparamsOfDq(dqs.get(0)));
                List<String> ins = new ArrayList<>();
                ins.add(dqs.get(0).input(0));
                for (int i = 1; i < x.inputs().size(); i++) ins.add(x.input(i));
                // the float operator as ONNX states it, evaluated on every input code to fill the table
                Node function = new Node(name, op, "", ins, List.of(y), x.attrs());
                canon = canonical(new Layer.QLut(name, nodes, dqs.get(0).input(0), y, function), ins);
            }
            default -> { // MaxPool, Resize, Transpose and reshapes: values pass through, so the parameters must not change
                QParams in = qparamsOfDq(dqs.get(0));
                String moved = y;
                // a bilinear Resize computes (weighs its taps) and requantizes to the output's parameters itself
                boolean computes = op.equals("Resize") && x.attrString("mode", "nearest").equals("linear");
                if (!in.sameAs(out) && !computes) {
                    // ONNX Runtime runs DQ -> float op -> Q: the values move unchanged, then one requantization (the
                    // order of a monotonic dequantization does not matter); a padding value would be quantized twice
                    if (op.equals("Pad") || in.dtype().size() != out.dtype().size()) {
                        throw new GraphException(x, "input and output quantization differ (" + in + " vs " + out
                                + "); requantizing " + op + " is not supported");
                    }
                    moved = g.freshName(y + "_moved");
                    g.add(new Value(moved, g.value(dqs.get(0).input(0)).dtype(), g.value(y).shape(), null));
                    q.record(moved, in);
                    extra = canonical(new Layer.QRequant(name + "_requant", nodes, moved, y), List.of(moved));
                }
                q.record(dqs.get(0).input(0), in);
                List<String> ins = new ArrayList<>();
                ins.add(dqs.get(0).input(0));
                for (int i = 1; i < x.inputs().size(); i++) ins.add(x.input(i));
                Layer pl = moves.passThroughLayer(x, op, nodes, dqs.get(0).input(0), moved);
                if (computes && in.sameAs(out) && pl instanceof Layer.QResize r) {
                    // ONNX Runtime 1.24 drops the DQ/Q pair of a Resize whose parameters do not change and runs its
                    // uint8 kernel, which truncates: the same arithmetic as a Resize on codes
                    pl = new Layer.QResize(r.name(), r.onnxNodes(), r.x(), r.y(), r.sizes(), r.attrs(), true);
                }
                canon = canonical(pl, ins);
            }
        }
        q.record(y, out);
        int at = g.nodes().indexOf(quant);
        if (pre != null) g.nodes().add(at++, pre);
        g.nodes().add(at, canon);
        if (extra != null) g.nodes().add(at + 1, extra);
        g.nodes().remove(x);
        chain.forEach(g.nodes()::remove);
        g.nodes().remove(quant);
        for (Node dq : dqs) if (g.consumers(dq.output(0)).isEmpty() && !g.isOutput(dq.output(0))) g.nodes().remove(dq);
        Node dqw = op.equals("Conv") || op.equals("ConvTranspose") ? g.producer(x.input(1)) : null;
        if (dqw != null && g.consumers(dqw.output(0)).isEmpty()) g.nodes().remove(dqw);
    }

    private static void checkGemm(Node x) {
        if (x.attrFloat("alpha", 1f) != 1f || x.attrFloat("beta", 1f) != 1f) {
            throw new GraphException(x, "only Gemm with alpha = beta = 1 is supported");
        }
    }

    /** Transposed copies of Gemm A operands (transA), by their output name, until inserted into the graph. */
    private final Map<String, Node> transposes = new java.util.HashMap<>();

    /**
     * Gemm's transA: a QTranspose (a DMA gather) of the 2-D A into a fresh tensor with A's parameters, which the
     * matrix product then reads; returns that tensor's name.
     */
    String transposedA(Node x, String a, List<String> nodes) {
        int[] s = knownShape(x, a);
        if (s.length != 2) throw new GraphException(x, "transA needs a 2-D A, not " + Arrays.toString(s));
        String t = g.freshName(a + "_transposed");
        g.add(new Value(t, g.value(a).dtype(), new int[] {s[1], s[0]}, null));
        q.record(t, q.params().get(a));
        transposes.put(t, canonical(new Layer.QTranspose(x.name() + "_transA", nodes, a, t, new int[] {1, 0}), List.of(a)));
        return t;
    }

    Node layersNode(String transposed) {
        return transposes.remove(transposed);
    }

    /** Weight scale, zero point and axis from a DequantizeLinear of the weights. */
    private WeightQuant weightQuant(Node dqw) {
        return new WeightQuant(constOf(dqw, 1), dqw.input(2).isEmpty() ? null : constOf(dqw, 2), (int) dqw.attrInt("axis", 1));
    }

    /**
     * A QDQ Split (DequantizeLinear → Split → one QuantizeLinear per output, all with the input's parameters)
     * becomes one {@link Layer.QSlice} per output; an output that is not quantized so leaves the Split alone.
     */
    private void fuseSplit(Node x) {
        Node dq = g.producer(x.input(0));
        if (dq == null || !isDq(dq) || isConst(dq.input(0))) return;
        List<Node> quants = new ArrayList<>();
        for (String o : x.outputs()) {
            if (o.isEmpty() || g.isOutput(o)) return;
            List<Node> cons = g.consumers(o);
            if (cons.size() != 1 || !isQ(cons.get(0))) return;
            quants.add(cons.get(0));
        }
        QParams in = qparamsOfDq(dq);
        try {
            for (Node quant : quants) {
                QParams out = qparamsOfQ(quant);
                if (!in.sameAs(out)) {
                    throw new GraphException(x, "input and output quantization differ (" + in + " vs " + out
                            + "); requantizing Split is not supported");
                }
            }
            q.record(dq.input(0), in);
            List<String> outs = quants.stream().map(qn -> qn.output(0)).toList();
            List<Node> canon = moves.splitLayers(x, dq.input(0), outs, quants);
            for (int i = 0; i < quants.size(); i++) {
                q.record(outs.get(i), in);
                g.nodes().set(g.nodes().indexOf(quants.get(i)), canon.get(i));
            }
            g.nodes().remove(x);
            if (g.consumers(dq.output(0)).isEmpty() && !g.isOutput(dq.output(0))) g.nodes().remove(dq);
        } catch (GraphException e) {
            problems.put(x, e.getMessage());
        }
    }

    int[] knownShape(Node x, String value) {
        int[] s = g.value(value).shape();
        if (s == null) throw new GraphException(x, "the shape of '" + value + "' is unknown");
        return s;
    }

    /** The int32 bias tensor name: DequantizeLinear of an int32 constant, or a float constant quantized with xs·ws[c]. */
    private String biasInput(Node x, String name, QParams xq, Tensor ws) {
        Node p = g.producer(name);
        if (p != null && isDq(p) && isConst(p.input(0))) {
            Tensor b = g.value(p.input(0)).constant();
            if (b.dtype() != DType.INT32) throw new GraphException(x, "bias must be int32 when quantized");
            if (g.consumers(p.output(0)).size() == 1) g.nodes().remove(p);
            return p.input(0);
        }
        if (isConst(name)) {
            Tensor b = g.value(name).constant();
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
                Layer l = new Layer.QRequant(quant.name(), List.of(dq.name(), quant.name()), dq.input(0), quant.output(0));
                g.nodes().set(g.nodes().indexOf(quant), canonical(l, List.of(dq.input(0))));
            }
            g.nodes().remove(dq);
        }
    }

    // ---------------------------------------------------------------- QOperator ops and leftovers

    /** Every node no group took goes to {@link QOperatorConverter}; a node it cannot convert is collected as a problem. */
    private void convertRest() {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (n.domain().equals(QGraph.DOMAIN) || problems.containsKey(n)) continue;
            try {
                qop.convert(n);
            } catch (GraphException e) {
                problems.put(n, e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The graph node standing for {@code layer}: its topology ({@code inputs} as the graph sees them), no attributes. */
    Node canonical(Layer layer, List<String> inputs) {
        Node n = new Node(layer.name(), layer.kind(), QGraph.DOMAIN, inputs, List.of(layer.output()), Map.of());
        layers.put(n, layer);
        return n;
    }

    QParams params(Node n, int scaleIn, int zpIn, DType dtype) {
        Tensor s = constOf(n, scaleIn);
        Tensor z = n.input(zpIn).isEmpty() ? null : constOf(n, zpIn);
        return QParams.of(n.describe(), dtype, s, z, 1);
    }

    QParams qparamsOfQ(Node quant) {
        Tensor s = constOf(quant, 1);
        Tensor z = quant.input(2).isEmpty() ? null : constOf(quant, 2);
        return QParams.of(quant.describe(), g.value(quant.output(0)).dtype(), s, z, (int) quant.attrInt("axis", 1));
    }

    QParams qparamsOfDq(Node dq) {
        Tensor s = constOf(dq, 1);
        Tensor z = dq.input(2).isEmpty() ? null : constOf(dq, 2);
        return QParams.of(dq.describe(), g.value(dq.input(0)).dtype(), s, z, (int) dq.attrInt("axis", 1));
    }

    Tensor constOf(Node n, int i) {
        String name = n.input(i);
        if (name.isEmpty()) throw new GraphException(n, "input " + i + " is missing");
        Value v = g.value(name);
        if (!v.isConstant()) throw new GraphException(n, "input '" + name + "' must be a constant (initializer)");
        return v.constant();
    }

    boolean isConst(String name) {
        return !name.isEmpty() && g.value(name).isConstant();
    }

    static boolean isDq(Node n) {
        return n.domain().isEmpty() && n.opType().equals("DequantizeLinear");
    }

    static boolean isQ(Node n) {
        return n.domain().isEmpty() && n.opType().equals("QuantizeLinear");
    }

    static Set<String> names(List<Node> nodes) {
        Set<String> s = new HashSet<>();
        nodes.forEach(n -> s.add(n.name()));
        return s;
    }
}
