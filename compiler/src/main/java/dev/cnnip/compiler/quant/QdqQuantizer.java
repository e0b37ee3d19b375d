package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.OperatorSetIdProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Post-training quantization of a float model into QDQ form: activations per tensor (uint8 asymmetric
 * by default), weights symmetric int8 per output channel, int32 bias with scale {@code xs · ws[c]}.
 * Relu/Clip after Conv/Gemm/MatMul/Add are absorbed (only their output is quantized); MaxPool, Flatten
 * and Reshape outputs share their input's parameters, so ONNX Runtime drops their QDQ pairs.
 */
public final class QdqQuantizer {
    /** Operators the quantizer understands. */
    private static final Set<String> COMPUTE = Set.of("Conv", "Gemm", "MatMul", "Add", "GlobalAveragePool");
    private static final Set<String> PASS = Set.of("MaxPool", "Flatten", "Reshape");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Clip");

    /** @param activationType UINT8 (asymmetric) or INT8 */
    public record Options(DType activationType, boolean perChannelWeights) {
        public static Options defaults() {
            return new Options(DType.UINT8, true);
        }
    }

    /** One quantized activation: its calibrated range and chosen parameters. */
    public record TensorQuant(String name, float min, float max, float scale, int zeroPoint, DType dtype) {}

    public record Result(ModelProto model, List<TensorQuant> activations) {}

    private QdqQuantizer() {}

    public static Result quantize(ModelProto model, List<Map<String, Tensor>> calib, Options opts, IntConsumer progress) {
        if (calib.isEmpty()) throw new IllegalArgumentException("no calibration data");
        Map<String, int[]> shapes = new HashMap<>();
        for (Map.Entry<String, Tensor> e : calib.get(0).entrySet()) shapes.put(e.getKey(), e.getValue().shape());
        Graph g = GraphImporter.importModel(model, shapes);
        Plan plan = plan(g);
        Map<String, RangeStats> ranges = Calibrator.minMax(model, new ArrayList<>(plan.calibrated), calib, progress);
        int qmin = (int) opts.activationType().min();
        int qmax = (int) opts.activationType().max();
        Map<String, QParams> params = new LinkedHashMap<>();
        List<TensorQuant> summary = new ArrayList<>();
        for (String t : plan.quantized) {
            String src = plan.root(t);
            RangeStats r = ranges.get(src);
            QuantMath.ScaleZp sz = QuantMath.compute(r.min(), r.max(), qmin, qmax, false);
            params.put(t, QParams.perTensor(opts.activationType(), sz.scale(), sz.zeroPoint()));
            summary.add(new TensorQuant(t, r.min(), r.max(), sz.scale(), sz.zeroPoint(), opts.activationType()));
        }
        return new Result(rewrite(model, g, plan, params, opts), summary);
    }

    /** Which tensors get Q/DQ pairs, which share parameters, and which ops carry weights. */
    private static final class Plan {
        final Set<String> quantized = new LinkedHashSet<>();
        final Set<String> calibrated = new LinkedHashSet<>();
        final Map<String, String> sharesWith = new HashMap<>();
        final List<Node> weighted = new ArrayList<>();

        String root(String t) {
            String s = t;
            while (sharesWith.containsKey(s)) s = sharesWith.get(s);
            return s;
        }
    }

    private static Plan plan(Graph g) {
        Plan p = new Plan();
        Map<String, List<Node>> consumers = g.consumerIndex();
        Set<String> absorbed = new HashSet<>();
        for (Node n : g.nodes()) {
            String op = n.opType();
            if (!n.domain().isEmpty()) throw new GraphException(n, "operator of domain " + n.domain() + " cannot be quantized");
            if (COMPUTE.contains(op)) {
                int acts = op.equals("Add") ? 2 : 1;
                for (int i = 0; i < acts; i++) need(p, g, n, n.input(i));
                if (!op.equals("Add") && !op.equals("GlobalAveragePool")) {
                    if (!g.value(n.input(1)).isConstant()) throw new GraphException(n, "weights must be constant to quantize");
                    p.weighted.add(n);
                }
                String out = n.output(0);
                List<Node> cons = consumers.getOrDefault(out, List.of());
                boolean absorb = !op.equals("GlobalAveragePool") && cons.size() == 1 && ACTIVATIONS.contains(cons.get(0).opType())
                        && !g.isOutput(out);
                if (absorb) {
                    absorbed.add(cons.get(0).name());
                    mark(p, cons.get(0).output(0), null);
                } else {
                    mark(p, out, null);
                }
            } else if (PASS.contains(op)) {
                need(p, g, n, n.input(0));
                mark(p, n.output(0), n.input(0));
            } else if (ACTIVATIONS.contains(op)) {
                if (!absorbed.contains(n.name())) {
                    throw new GraphException(n, "a " + op + " that does not follow Conv, Gemm, MatMul or Add cannot be quantized yet");
                }
            } else {
                throw new GraphException(n, "operator " + op + " is not supported by the quantizer");
            }
        }
        return p;
    }

    private static void need(Plan p, Graph g, Node n, String t) {
        if (g.value(t).isConstant()) throw new GraphException(n, "constant activation input '" + t + "' is not supported");
        if (!p.quantized.contains(t)) {
            if (!g.inputs().contains(t)) throw new GraphException(n, "input '" + t + "' was not quantized by its producer");
            mark(p, t, null);
        }
    }

    private static void mark(Plan p, String t, String shareWith) {
        p.quantized.add(t);
        if (shareWith != null) {
            p.sharesWith.put(t, shareWith);
        } else {
            p.calibrated.add(t);
        }
    }

    // ---------------------------------------------------------------- rewriting the model

    private static ModelProto rewrite(ModelProto model, Graph g, Plan plan, Map<String, QParams> params, Options opts) {
        GraphProto src = model.getGraph();
        GraphProto.Builder gb = src.toBuilder().clearNode();
        Set<String> outputs = new HashSet<>(g.outputs());
        Map<String, String> use = new HashMap<>();     // float tensor -> its dequantized replacement
        Map<String, String> rename = new HashMap<>();  // graph output -> producer's new output name
        for (String t : plan.quantized) {
            use.put(t, outputs.contains(t) ? t : t + "_dequantized");
            if (outputs.contains(t)) rename.put(t, t + "_float");
        }
        List<NodeProto> nodes = new ArrayList<>();
        Set<String> removedInits = new HashSet<>();
        List<TensorProto> newInits = new ArrayList<>();
        for (String in : g.inputs()) {
            if (plan.quantized.contains(in)) addQdq(nodes, newInits, in, in, params.get(in), use.get(in));
        }
        Map<String, Node> weightedByName = new HashMap<>();
        plan.weighted.forEach(n -> weightedByName.put(n.name(), n));
        int idx = 0;
        for (NodeProto np : src.getNodeList()) {
            String name = np.getName().isEmpty() ? np.getOpType() + "_" + idx : np.getName();
            idx++;
            NodeProto.Builder nb = np.toBuilder();
            if (np.getName().isEmpty()) nb.setName(name);
            for (int i = 0; i < nb.getInputCount(); i++) {
                String in = nb.getInput(i);
                if (use.containsKey(in) && !(outputs.contains(in))) nb.setInput(i, use.get(in));
                else if (rename.containsKey(in)) nb.setInput(i, use.get(in));
            }
            Node n = weightedByName.get(name);
            if (n != null) quantizeWeights(g, n, nb, params, nodes, newInits, removedInits, opts);
            for (int i = 0; i < nb.getOutputCount(); i++) {
                if (rename.containsKey(nb.getOutput(i))) nb.setOutput(i, rename.get(nb.getOutput(i)));
            }
            nodes.add(nb.build());
            for (String out : np.getOutputList()) {
                if (plan.quantized.contains(out)) {
                    String produced = rename.getOrDefault(out, out);
                    addQdq(nodes, newInits, out, produced, params.get(out), use.get(out));
                }
            }
        }
        gb.addAllNode(nodes);
        List<TensorProto> keep = new ArrayList<>();
        for (TensorProto t : src.getInitializerList()) if (!removedInits.contains(t.getName())) keep.add(t);
        gb.clearInitializer().addAllInitializer(keep).addAllInitializer(newInits);
        // value_info of rewritten tensors may now be wrong: drop it, ONNX Runtime infers types
        gb.clearValueInfo();
        List<ValueInfoProto> inputs = new ArrayList<>();
        Set<String> initNames = new HashSet<>();
        gb.getInitializerList().forEach(t -> initNames.add(t.getName()));
        for (ValueInfoProto vi : src.getInputList()) {
            if (!removedInits.contains(vi.getName())) inputs.add(vi);
        }
        gb.clearInput().addAllInput(inputs);
        ModelProto.Builder mb = model.toBuilder().setGraph(gb.build());
        ensureOpset(mb, 13);
        if (mb.getIrVersion() < 7) mb.setIrVersion(7);
        return mb.build();
    }

    private static void ensureOpset(ModelProto.Builder mb, int min) {
        boolean found = false;
        for (int i = 0; i < mb.getOpsetImportCount(); i++) {
            OperatorSetIdProto o = mb.getOpsetImport(i);
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                found = true;
                if (o.getVersion() < min) mb.setOpsetImport(i, o.toBuilder().setVersion(min));
            }
        }
        if (!found) mb.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(min));
    }

    /** Appends QuantizeLinear(produced) → name_quantized → DequantizeLinear → dequantized. */
    private static void addQdq(List<NodeProto> nodes, List<TensorProto> inits, String base, String produced, QParams p,
                               String dequantized) {
        String s = base + "_scale";
        String z = base + "_zero_point";
        inits.add(TensorProtos.fromTensor(s, Tensor.ofFloats(new int[0], p.scale0())));
        inits.add(TensorProtos.fromTensor(z, Tensor.ofLongs(p.dtype(), new int[0], p.zp0())));
        String q = base + "_quantized";
        nodes.add(NodeProto.newBuilder().setName(base + "_QuantizeLinear").setOpType("QuantizeLinear")
                .addInput(produced).addInput(s).addInput(z).addOutput(q).build());
        nodes.add(NodeProto.newBuilder().setName(base + "_DequantizeLinear").setOpType("DequantizeLinear")
                .addInput(q).addInput(s).addInput(z).addOutput(dequantized).build());
    }

    private static void quantizeWeights(Graph g, Node n, NodeProto.Builder nb, Map<String, QParams> params,
                                        List<NodeProto> nodes, List<TensorProto> inits, Set<String> removed, Options opts) {
        String wName = n.input(1);
        Tensor w = g.value(wName).constant();
        String op = n.opType();
        int axis = op.equals("Conv") ? 0 : (op.equals("Gemm") && n.attrInt("transB", 0) != 0 ? 0 : 1);
        int[] ws = w.shape();
        int channels = ws[axis];
        int inner = 1;
        for (int i = axis + 1; i < ws.length; i++) inner *= ws[i];
        float[] scale = new float[channels];
        float[] absmax = new float[opts.perChannelWeights() ? channels : 1];
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            int k = opts.perChannelWeights() ? c : 0;
            absmax[k] = Math.max(absmax[k], Math.abs(w.getFloat(i)));
        }
        for (int c = 0; c < channels; c++) {
            float a = absmax[opts.perChannelWeights() ? c : 0];
            scale[c] = QuantMath.compute(-a, a, -127, 127, true).scale();
        }
        Tensor wq = Tensor.zeros(DType.INT8, ws);
        for (int i = 0; i < w.size(); i++) {
            int c = (i / inner) % channels;
            wq.setLong(i, QuantMath.quantizeWeight(w.getFloat(i), scale[c], 0, -127, 127));
        }
        String wqName = wName + "_quantized";
        String sName = wName + "_scale";
        String zName = wName + "_zero_point";
        inits.add(TensorProtos.fromTensor(wqName, wq));
        inits.add(TensorProtos.fromTensor(sName, Tensor.ofFloats(new int[] {channels}, scale)));
        inits.add(TensorProtos.fromTensor(zName, Tensor.zeros(DType.INT8, channels)));
        String wdq = wName + "_dequantized";
        nodes.add(NodeProto.newBuilder().setName(wName + "_DequantizeLinear").setOpType("DequantizeLinear")
                .addInput(wqName).addInput(sName).addInput(zName).addOutput(wdq)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis))
                .build());
        nb.setInput(1, wdq);
        if (g.consumers(wName).size() == 1) removed.add(wName);
        String bName = n.input(2);
        if (!bName.isEmpty()) {
            Tensor b = g.value(bName).constant();
            if (b == null) throw new GraphException(n, "bias must be constant");
            float xs = params.get(n.input(0)).scale0();
            Tensor bq = Tensor.zeros(DType.INT32, b.shape());
            float[] bs = new float[b.size()];
            for (int c = 0; c < b.size(); c++) {
                bs[c] = xs * scale[b.size() == channels ? c : 0];
                bq.setLong(c, QuantMath.quantizeBias(b.getFloat(c), xs, scale[b.size() == channels ? c : 0]));
            }
            String bq1 = bName + "_quantized";
            inits.add(TensorProtos.fromTensor(bq1, bq));
            inits.add(TensorProtos.fromTensor(bName + "_scale", Tensor.ofFloats(new int[] {bs.length}, bs)));
            inits.add(TensorProtos.fromTensor(bName + "_zero_point", Tensor.zeros(DType.INT32, bs.length)));
            String bdq = bName + "_dequantized";
            nodes.add(NodeProto.newBuilder().setName(bName + "_DequantizeLinear").setOpType("DequantizeLinear")
                    .addInput(bq1).addInput(bName + "_scale").addInput(bName + "_zero_point").addOutput(bdq)
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0))
                    .build());
            nb.setInput(2, bdq);
            if (g.consumers(bName).size() == 1) removed.add(bName);
        }
    }
}
