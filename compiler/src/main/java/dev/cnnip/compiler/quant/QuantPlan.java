package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tensors of a prepared float graph get quantized, which must share parameters, and how many
 * bits each uses.
 * <ul>
 * <li>Conv, ConvTranspose, Gemm, MatMul (constant B), Add, Mul and GlobalAveragePool quantize their activation inputs and
 *     their output — or, when the output's only consumer is Relu or Clip with constant bounds, the
 *     activation's output instead (the activation is absorbed into the saturation range);</li>
 * <li>Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish and unabsorbed Relu/Clip become lookup tables:
 *     input and output quantized;</li>
 * <li>MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Slice, Split and Resize (nearest; linear stays in the input's range) move values
 *     unchanged: their outputs share the input's parameters; Concat's inputs share the output's;</li>
 * <li>Softmax: input quantized, output fixed at scale 1/256 over [0, 1) (zero point 0, or −128 for int8); a 16-bit
 *     Softmax's at 1/65536 (zero point 0, or −32768 for int16).</li>
 * <li>LRN: input and output quantized, each with its own parameters (ONNX Runtime runs the group in float).</li>
 * </ul>
 * A layer named in the 16-bit set (by node name or output tensor name) produces a 16-bit output; a
 * 16-bit tensor read by an 8-bit layer is requantized to 8 bits first (a precision boundary).
 */
final class QuantPlan {
    static final Set<String> COMPUTE = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Mul", "GlobalAveragePool", "AveragePool");
    static final Set<String> ACTIVATIONS = Set.of("Relu", "Clip");
    static final Set<String> LUT = Set.of("Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Relu", "Clip");
    static final Set<String> PASS = Set.of("MaxPool", "Pad", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Resize",
            "Identity", "Slice");

    /** Quantized tensors in graph order. */
    final Set<String> quantized = new LinkedHashSet<>();
    /** Nodes with constant weights to quantize. */
    final List<Node> weighted = new ArrayList<>();
    /** The layer (node) producing each quantized tensor, or null for graph inputs. */
    final Map<String, Node> producer = new HashMap<>();
    /** Union-find parent for parameter sharing. */
    private final Map<String, String> parent = new HashMap<>();
    /** Tensors with 16-bit codes. */
    final Set<String> wide = new HashSet<>();
    /** Nodes with 16-bit weights. */
    final Set<String> wideWeights = new HashSet<>();
    /**
     * Softmax outputs: their parameters are fixed over [0, 1): scale 1/256 for 8-bit codes (as ONNX Runtime's
     * QLinearSoftmax expects), 1/65536 for 16-bit ones (a 16-bit Softmax, which ONNX Runtime runs in float).
     */
    final Set<String> softmaxOutputs = new HashSet<>();
    /** 16-bit tensors that 8-bit layers read, with those consumers. */
    final Map<String, List<Node>> boundaries = new LinkedHashMap<>();

    static QuantPlan build(Graph g, Set<String> wideLayers, Set<String> wideWeightLayers) {
        QuantPlan p = new QuantPlan();
        Map<String, List<Node>> consumers = g.consumerIndex();
        Set<Node> absorbed = new HashSet<>();
        Set<String> matched = new HashSet<>();
        for (Node n : g.nodes()) {
            String op = n.opType();
            if (!n.domain().isEmpty()) throw new GraphException(n, "operator of domain " + n.domain() + " cannot be quantized");
            boolean wideLayer = named(n, wideLayers, matched);
            if (named(n, wideWeightLayers, matched)) p.wideWeights.add(n.name());
            if (COMPUTE.contains(op)) {
                int acts = op.equals("Add") || op.equals("Mul") ? 2 : 1;
                for (int i = 0; i < acts; i++) p.needInput(g, n, n.input(i));
                if (op.equals("Conv") || op.equals("ConvTranspose") || op.equals("Gemm") || op.equals("MatMul")) {
                    if (!g.value(n.input(1)).isConstant()) throw new GraphException(n, "weights must be constant to quantize");
                    p.weighted.add(n);
                }
                String out = n.output(0);
                List<Node> cons = consumers.getOrDefault(out, List.of());
                Node act = cons.size() == 1 && !g.isOutput(out) && !op.endsWith("AveragePool") ? cons.get(0) : null;
                if (act != null && ACTIVATIONS.contains(act.opType()) && constantBounds(g, act)) {
                    absorbed.add(act);
                    p.mark(act.output(0), n, wideLayer || named(act, wideLayers, matched));
                } else {
                    p.mark(out, n, wideLayer);
                }
            } else if (absorbed.contains(n)) {
                continue;
            } else if (LUT.contains(op) || op.equals("Softmax") || op.equals("LRN")) {
                p.needInput(g, n, n.input(0));
                p.mark(n.output(0), n, wideLayer);
                if (op.equals("Softmax")) {
                    p.softmaxOutputs.add(n.output(0));
                }
            } else if (PASS.contains(op)) {
                if (op.equals("Pad") && n.attrString("mode", "constant").equals("wrap")) {
                    throw new GraphException(n, "only constant, reflect and edge Pad can be quantized");
                }
                if (op.equals("Resize") && n.attrString("mode", "nearest").equals("cubic")) {
                    throw new GraphException(n, "only nearest and linear Resize can be quantized");
                }
                p.needInput(g, n, n.input(0));
                p.mark(n.output(0), n, p.wide.contains(n.input(0)));
                p.union(n.output(0), n.input(0));
                // values moved from a Softmax keep its fixed parameters
                if (p.softmaxOutputs.contains(n.input(0))) p.softmaxOutputs.add(n.output(0));
            } else if (op.equals("Split")) { // every piece shares the input's parameters
                p.needInput(g, n, n.input(0));
                for (String o : n.outputs()) {
                    if (o.isEmpty()) continue;
                    p.mark(o, n, p.wide.contains(n.input(0)));
                    p.union(o, n.input(0));
                }
            } else if (op.equals("Concat") || (op.equals("Max") || op.equals("Min")) && n.inputs().size() == 2) {
                p.mark(n.output(0), n, wideLayer);
                for (String in : n.inputs()) {
                    p.needInput(g, n, in);
                    p.union(in, n.output(0));
                }
            } else {
                throw new GraphException(n, "operator " + op + " is not supported by the quantizer");
            }
        }
        for (String name : wideLayers) {
            if (!matched.contains(name)) throw new GraphException("--bits names '" + name + "', which is no node or tensor of the model");
        }
        p.spreadWidth();
        p.findBoundaries(g, consumers);
        return p;
    }

    private static boolean named(Node n, Set<String> names, Set<String> matched) {
        boolean hit = false;
        if (names.contains(n.name())) {
            matched.add(n.name());
            hit = true;
        }
        for (String o : n.outputs()) {
            if (names.contains(o)) {
                matched.add(o);
                hit = true;
            }
        }
        return hit;
    }

    private static boolean constantBounds(Graph g, Node act) {
        if (act.opType().equals("Relu")) return true;
        for (int i = 1; i < act.inputs().size(); i++) {
            if (!act.input(i).isEmpty() && !g.value(act.input(i)).isConstant()) return false;
        }
        return true;
    }

    private void needInput(Graph g, Node n, String t) {
        if (g.value(t).isConstant()) {
            if (n.opType().equals("Add") || n.opType().equals("Mul")) { // a constant operand is quantized like an activation
                mark(t, null, false);
                return;
            }
            throw new GraphException(n, "constant input '" + t + "' cannot be quantized here");
        }
        if (!quantized.contains(t)) {
            if (!g.inputs().contains(t)) throw new GraphException(n, "input '" + t + "' comes from an operator the quantizer left in float");
            mark(t, null, false);
        }
    }

    private void mark(String t, Node prod, boolean isWide) {
        quantized.add(t);
        parent.putIfAbsent(t, t);
        if (prod != null) producer.put(t, prod);
        if (isWide) wide.add(t);
    }

    void union(String a, String b) {
        String ra = root(a);
        String rb = root(b);
        if (!ra.equals(rb)) parent.put(ra, rb);
    }

    /** The representative of {@code t}'s sharing group. */
    String root(String t) {
        String r = t;
        while (!parent.get(r).equals(r)) r = parent.get(r);
        return r;
    }

    /** Members of a sharing group all have the width of the widest. */
    private void spreadWidth() {
        Set<String> wideRoots = new HashSet<>();
        for (String t : wide) wideRoots.add(root(t));
        for (String t : quantized) if (wideRoots.contains(root(t))) wide.add(t);
    }

    private void findBoundaries(Graph g, Map<String, List<Node>> consumers) {
        for (String t : quantized) {
            if (!wide.contains(t)) continue;
            List<Node> narrow = new ArrayList<>();
            for (Node c : consumers.getOrDefault(t, List.of())) {
                boolean reads8 = (COMPUTE.contains(c.opType()) || LUT.contains(c.opType()) || c.opType().equals("Softmax")
                        || c.opType().equals("LRN"))
                        && !wide.contains(outputOf(c, g));
                if (reads8) narrow.add(c);
            }
            if (!narrow.isEmpty()) boundaries.put(t, narrow);
        }
    }

    /** The quantized tensor a node produces (its absorbed activation's output when fused). */
    private String outputOf(Node c, Graph g) {
        String out = c.output(0);
        if (quantized.contains(out)) return out;
        for (Map.Entry<String, Node> e : producer.entrySet()) if (e.getValue() == c) return e.getKey();
        return out;
    }
}
