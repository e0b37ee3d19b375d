package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inserts QuantizeLinear/DequantizeLinear pairs into a planned float graph, quantizes weights and
 * biases, and adds the 8-bit copies of 16-bit tensors that 8-bit layers read. Names: a quantized
 * tensor {@code T} becomes {@code T_quantized} → {@code T_dequantized}; a graph output keeps its name
 * on the DequantizeLinear output (its producer's output becomes {@code T_prequant}).
 */
final class QdqInserter {
    private final Graph g;
    private final QuantPlan plan;
    private final QdqQuantizer.Options opts;
    private final Map<String, float[]> groupRange;
    private final Map<String, QParams> params = new HashMap<>();
    private final Map<String, String> dequantized = new HashMap<>();
    private final Map<String, String> dequantized8 = new HashMap<>();

    QdqInserter(Graph g, QuantPlan plan, QdqQuantizer.Options opts, Map<String, float[]> groupRange) {
        this.g = g;
        this.plan = plan;
        this.opts = opts;
        this.groupRange = groupRange;
    }

    QuantSummary apply(Map<String, QdqQuantizer.TensorRange> ranges) {
        Set<String> constants = new HashSet<>();
        for (String t : plan.quantized) if (g.value(t).isConstant()) constants.add(t);
        DType narrow = opts.activationType();
        for (String t : plan.quantized) {
            DType dt = plan.wide.contains(t) ? QdqQuantizer.wideOf(narrow) : narrow;
            params.put(t, plan.softmaxOutputs.contains(t)
                    ? (dt == narrow ? QParams.perTensor(narrow, 1f / 256, narrow == DType.UINT8 ? 0 : -128)
                            : QParams.perTensor(dt, 1f / 65536, dt == DType.UINT16 ? 0 : -32768))
                    : QdqQuantizer.paramsFor(groupRange.get(plan.root(t)), dt));
        }
        List<Node> out = new ArrayList<>();
        Set<String> graphOutputs = new HashSet<>(g.outputs());
        for (String in : g.inputs()) if (plan.quantized.contains(in)) out.addAll(qdq(in, in));
        Map<String, String> renamed = new HashMap<>();
        for (String t : plan.quantized) {
            if (graphOutputs.contains(t) && !g.value(t).isConstant()) {
                String pre = g.freshName(t + "_prequant");
                Value v = g.value(t);
                g.add(new Value(pre, v.dtype(), v.shape(), null));
                renamed.put(t, pre);
            }
        }
        List<QuantSummary.WeightEntry> weightSummary = new ArrayList<>();
        Set<Node> weighted = new HashSet<>(plan.weighted);
        for (Node n : new ArrayList<>(g.nodes())) {
            for (int i = 0; i < n.inputs().size(); i++) {
                String in = n.input(i);
                if (in.isEmpty()) continue;
                if (plan.quantized.contains(in) && g.value(in).isConstant() && !dequantized.containsKey(in)) {
                    out.addAll(constantOperand(in));
                }
                List<Node> narrowReaders = plan.boundaries.get(in);
                if (narrowReaders != null && narrowReaders.contains(n)) {
                    n.inputs().set(i, dequantized8.get(in));
                } else if (dequantized.containsKey(in)) {
                    n.inputs().set(i, dequantized.get(in));
                }
            }
            if (weighted.contains(n)) {
                out.addAll(quantizeWeights(n, weightSummary));
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                if (renamed.containsKey(n.output(i))) n.outputs().set(i, renamed.get(n.output(i)));
            }
            out.add(n);
            for (String o : new ArrayList<>(n.outputs())) {
                String orig = renamed.entrySet().stream().filter(e -> e.getValue().equals(o)).map(Map.Entry::getKey)
                        .findFirst().orElse(o);
                if (plan.quantized.contains(orig)) out.addAll(qdq(orig, o));
            }
        }
        g.nodes().clear();
        g.nodes().addAll(out);
        g.pruneUnusedValues();
        return summary(ranges, weightSummary, constants);
    }

    /** Q and DQ after {@code t} (produced under the name {@code produced}); for boundaries also an 8-bit copy. */
    private List<Node> qdq(String t, String produced) {
        QParams p = params.get(t);
        List<Node> nodes = new ArrayList<>();
        String s = constant(t + "_scale", Tensor.ofFloats(new int[0], p.scale0()));
        String z = constant(t + "_zero_point", Tensor.ofLongs(p.dtype(), new int[0], p.zp0()));
        String q = fresh(t + "_quantized", p.dtype(), t);
        boolean isOutput = g.isOutput(t);
        String dq = isOutput ? t : fresh(t + "_dequantized", DType.FLOAT32, t);
        nodes.add(node(q + "_QuantizeLinear", "QuantizeLinear", List.of(produced, s, z), q));
        nodes.add(node(dq + "_DequantizeLinear", "DequantizeLinear", List.of(q, s, z), dq));
        dequantized.put(t, dq);
        if (plan.boundaries.containsKey(t)) {
            QParams p8 = QdqQuantizer.paramsFor(groupRange.get(plan.root(t)), opts.activationType());
            params.put(t + "#8", p8);
            String s8 = constant(t + "_scale8", Tensor.ofFloats(new int[0], p8.scale0()));
            String z8 = constant(t + "_zero_point8", Tensor.ofLongs(p8.dtype(), new int[0], p8.zp0()));
            String q8 = fresh(t + "_quantized8", p8.dtype(), t);
            String dq8 = fresh(t + "_dequantized8", DType.FLOAT32, t);
            nodes.add(node(q8 + "_QuantizeLinear", "QuantizeLinear", List.of(dq, s8, z8), q8));
            nodes.add(node(dq8 + "_DequantizeLinear", "DequantizeLinear", List.of(q8, s8, z8), dq8));
            dequantized8.put(t, dq8);
        }
        return nodes;
    }

    /** A constant operand (of Add) stored quantized, read through a DequantizeLinear. */
    private List<Node> constantOperand(String t) {
        QParams p = params.get(t);
        Tensor c = g.value(t).constant();
        Tensor q = Tensor.zeros(p.dtype(), c.shape());
        for (int i = 0; i < c.size(); i++) {
            q.setLong(i, dev.cnnip.numerics.Quantize.quantize(c.getFloat(i), p.scale0(), p.zp0(), p.qmin(), p.qmax()));
        }
        String qc = constant(t + "_quantized", q);
        String s = constant(t + "_scale", Tensor.ofFloats(new int[0], p.scale0()));
        String z = constant(t + "_zero_point", Tensor.ofLongs(p.dtype(), new int[0], p.zp0()));
        String dq = fresh(t + "_dequantized", DType.FLOAT32, t);
        dequantized.put(t, dq);
        return List.of(node(dq + "_DequantizeLinear", "DequantizeLinear", List.of(qc, s, z), dq));
    }

    private List<Node> quantizeWeights(Node n, List<QuantSummary.WeightEntry> summary) {
        String wName = n.input(1);
        Tensor w = g.value(wName).constant();
        String op = n.opType();
        // output channels: Conv's axis 0, ConvTranspose's 1, Gemm's B [K, N] 1 (transB: 0), MatMul's B the last axis
        int axis = op.equals("Conv") ? 0 : op.equals("MatMul") ? w.rank() - 1
                : (op.equals("Gemm") && n.attrInt("transB", 0) != 0 ? 0 : 1);
        int[] ws = w.shape();
        int channels = ws[axis];
        int inner = 1;
        for (int i = axis + 1; i < ws.length; i++) inner *= ws[i];
        boolean wide = plan.wideWeights.contains(n.name());
        int qmax = wide ? 32767 : 127;
        DType wt = wide ? DType.INT16 : DType.INT8;
        boolean perChannel = opts.perChannelWeights();
        float[] absmax = new float[perChannel ? channels : 1];
        long zeros = 0;
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            float v = Math.abs(w.getFloat(i));
            absmax[perChannel ? c : 0] = Math.max(absmax[perChannel ? c : 0], v);
        }
        float[] scale = new float[perChannel ? channels : 1];
        for (int c = 0; c < scale.length; c++) scale[c] = QuantMath.compute(-absmax[c], absmax[c], -qmax, qmax, true).scale();
        Tensor wq = Tensor.zeros(wt, ws);
        for (int i = 0; i < w.size(); i++) {
            int c = perChannel ? (i / inner) % channels : 0;
            int q = QuantMath.quantizeWeight(w.getFloat(i), scale[c], 0, -qmax, qmax);
            wq.setLong(i, q);
            if (q == 0) zeros++;
        }
        List<Node> nodes = new ArrayList<>();
        String qn = constant(wName + "_quantized", wq);
        String sn = constant(wName + "_scale", Tensor.ofFloats(new int[] {scale.length}, scale));
        String zn = constant(wName + "_zero_point", Tensor.zeros(wt, scale.length));
        if (!perChannel) {
            sn = constant(wName + "_scale_t", Tensor.ofFloats(new int[0], scale[0]));
            zn = constant(wName + "_zero_point_t", Tensor.zeros(wt));
        }
        String dq = fresh(wName + "_dequantized", DType.FLOAT32, wName);
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (perChannel) attrs.put("axis", (long) axis);
        nodes.add(new Node(dq + "_DequantizeLinear", "DequantizeLinear", "", List.of(qn, sn, zn), List.of(dq), attrs));
        n.inputs().set(1, dq);
        String bName = n.input(2);
        if (!bName.isEmpty()) {
            Tensor b = g.value(bName).constant();
            QParams xq = params.get(inputKey(n));
            Tensor bq = Tensor.zeros(DType.INT32, b.shape());
            float[] bs = new float[b.size()];
            for (int c = 0; c < b.size(); c++) {
                // a grouped ConvTranspose has OC = groups x channels biases; channel c uses scale c mod channels
                float wsc = scale[perChannel && b.size() % channels == 0 ? c % channels : 0];
                bs[c] = xq.scale0() * wsc;
                bq.setLong(c, QuantMath.quantizeBias(b.getFloat(c), xq.scale0(), wsc));
            }
            String bqn = constant(bName + "_quantized", bq.reshape(b.size()));
            String bsn = constant(bName + "_scale", Tensor.ofFloats(new int[] {bs.length}, bs));
            String bzn = constant(bName + "_zero_point", Tensor.zeros(DType.INT32, bs.length));
            String bdq = fresh(bName + "_dequantized", DType.FLOAT32, bName);
            nodes.add(new Node(bdq + "_DequantizeLinear", "DequantizeLinear", "", List.of(bqn, bsn, bzn), List.of(bdq),
                    Map.of("axis", 0L)));
            n.inputs().set(2, bdq);
        }
        summary.add(new QuantSummary.WeightEntry(n.name(), op, wide ? 16 : 8, perChannel, w.size(), (double) zeros / w.size()));
        return nodes;
    }

    /** Key of the parameters of a node's data input as the node reads it (the 8-bit copy at a boundary). */
    private String inputKey(Node n) {
        String in = n.input(0);
        for (Map.Entry<String, String> e : dequantized8.entrySet()) if (e.getValue().equals(in)) return e.getKey() + "#8";
        for (Map.Entry<String, String> e : dequantized.entrySet()) if (e.getValue().equals(in)) return e.getKey();
        return in;
    }

    private QuantSummary summary(Map<String, QdqQuantizer.TensorRange> ranges, List<QuantSummary.WeightEntry> weights,
                                 Set<String> constants) {
        List<QuantSummary.Entry> entries = new ArrayList<>();
        for (String t : plan.quantized) {
            QParams p = params.get(t);
            Node prod = plan.producer.get(t);
            QdqQuantizer.TensorRange r = ranges.get(t);
            entries.add(new QuantSummary.Entry(t, prod == null ? (constants.contains(t) ? "(constant)" : "(input)") : prod.name(),
                    prod == null ? "" : prod.opType(), (int) (p.dtype().size() * 8), p.dtype().shortName(), p.scale0(), p.zp0(),
                    r.min(), r.max(), r.clipped()));
        }
        return new QuantSummary(entries, weights);
    }

    private String constant(String base, Tensor t) {
        String name = g.freshName(base);
        g.add(Value.constant(name, t));
        return name;
    }

    private String fresh(String base, DType dtype, String shapeOf) {
        String name = g.freshName(base);
        g.add(new Value(name, dtype, g.value(shapeOf).shape(), null));
        return name;
    }

    private static Node node(String name, String op, List<String> inputs, String output) {
        return new Node(name, op, "", inputs, List.of(output), Map.of());
    }
}
