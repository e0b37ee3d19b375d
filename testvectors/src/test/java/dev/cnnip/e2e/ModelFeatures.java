package dev.cnnip.e2e;

import dev.cnnip.onnx.Attributes;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The features a model exercises, read from its ONNX graph (not from what the generator says it made):
 * operators and forms, kernel sizes, strides, dilations, pads, groups, activation and weight types,
 * scale granularity, absorbed activations, matrix-product variants, pooling options and chain length.
 */
final class ModelFeatures {
    private static final Set<String> COMPUTE = Set.of("QLinearConv", "Conv", "QLinearMatMul", "MatMul", "Gemm",
            "QLinearAdd", "Add", "MaxPool", "QLinearGlobalAveragePool", "GlobalAveragePool");

    private final Map<String, TensorProto> inits = new HashMap<>();
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, Integer> inputRanks = new HashMap<>();
    private final Map<String, long[]> inputShapes = new HashMap<>();
    private final Set<String> graphInputs = new TreeSet<>();
    private final Set<String> out = new TreeSet<>();

    private ModelFeatures(ModelProto m) {
        m.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        m.getGraph().getInputList().forEach(v -> {
            graphInputs.add(v.getName());
            var dims = v.getType().getTensorType().getShape().getDimList();
            inputRanks.put(v.getName(), dims.size());
            inputShapes.put(v.getName(), dims.stream().mapToLong(d -> d.getDimValue()).toArray());
        });
        for (NodeProto n : m.getGraph().getNodeList()) n.getOutputList().forEach(o -> producer.put(o, n));
    }

    static Set<String> of(ModelProto m) {
        ModelFeatures f = new ModelFeatures(m);
        int compute = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            String op = n.getOpType();
            if (COMPUTE.contains(op)) compute++;
            switch (op) {
                case "QLinearConv" -> f.conv(n, "qop", 2, 3, 4, 5, n.getInputCount() > 8 && !n.getInput(8).isEmpty());
                case "Conv" -> f.qdqConv(n);
                case "QLinearMatMul" -> {
                    f.ranks(n.getInput(0), n.getInput(3));
                    f.matmul(n, "qop", n.getInput(3), 4, 5);
                }
                case "MatMul", "Gemm" -> f.qdqMatmul(n);
                case "MaxPool" -> {
                    f.out.add("maxpool");
                    if (Attributes.getInt(n, "ceil_mode", 0) != 0) f.out.add("maxpool:ceil");
                    if (nonZero(Attributes.getInts(n, "pads", 0, 0, 0, 0))) f.out.add("maxpool:pads");
                }
                case "QLinearAdd" -> f.out.add("add:qop");
                case "Add" -> f.out.add("add:qdq");
                case "QLinearGlobalAveragePool" -> f.out.add("gap:qop");
                case "GlobalAveragePool" -> f.out.add("gap:qdq");
                case "Flatten" -> f.out.add("flatten");
                case "Reshape" -> f.out.add("reshape");
                case "Relu" -> f.out.add("act:relu");
                case "Clip" -> f.out.add("act:clip");
                case "QuantizeLinear" -> {
                    if (f.graphInputs.contains(n.getInput(0))) f.out.add("quantize-input");
                }
                case "DequantizeLinear" -> {
                    if (m.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals(n.getOutput(0)))) {
                        f.out.add("dequantize-output");
                    }
                }
                default -> { }
            }
        }
        if (compute >= 2 && compute <= 4) f.out.add("chain:2-4");
        if (compute > 4) f.out.add("chain:5+");
        return f.out;
    }

    private void qdqConv(NodeProto n) {
        NodeProto dqx = producer.get(n.getInput(0));
        NodeProto dqw = producer.get(n.getInput(1));
        if (dqx == null || dqw == null) return;
        boolean bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        conv(n, "qdq", zpType(dqx.getInput(2)), dqw.getInput(0), dqw.getInput(1), dqw.getInput(2), bias);
    }

    private void conv(NodeProto n, String form, int xZp, int w, int ws, int wzp, boolean bias) {
        conv(n, form, zpType(n.getInput(xZp)), n.getInput(w), n.getInput(ws), n.getInput(wzp), bias);
    }

    private void conv(NodeProto n, String form, DType act, String w, String ws, String wzp, boolean bias) {
        out.add("conv:" + form);
        out.add("conv:act-" + act.shortName());
        NodeProto xp = producer.get(n.getInput(0));
        String x = n.getOpType().equals("Conv") && xp != null ? xp.getInput(0) : n.getInput(0);
        if (inputShapes.containsKey(x)) {
            long[] d = inputShapes.get(x);
            if (d[2] != d[3]) out.add("conv:input-non-square");
            if (Math.min(d[2], d[3]) == 1) out.add("conv:input-side-1");
            if (Math.max(d[2], d[3]) >= 36) out.add("conv:input-side-36+");
            if (d[1] == 1) out.add("conv:input-channels-1");
            if (d[1] >= 40) out.add("conv:input-channels-40+");
        }
        weights(w, ws, wzp);
        Tensor wt = TensorProtos.toTensor(inits.get(w));
        long[] k = {wt.dim(2), wt.dim(3)};
        for (long v : k) out.add("conv:kernel-" + v);
        if (k[0] != k[1]) out.add("conv:kernel-non-square");
        for (long s : Attributes.getInts(n, "strides", 1, 1)) out.add("conv:stride-" + s);
        for (long d : Attributes.getInts(n, "dilations", 1, 1)) out.add("conv:dilation-" + d);
        long[] p = Attributes.getInts(n, "pads", 0, 0, 0, 0);
        if (p[0] != p[2] || p[1] != p[3]) out.add("conv:pads-asymmetric");
        else if (nonZero(p)) out.add("conv:pads-symmetric");
        long group = Attributes.getInt(n, "group", 1);
        long icPerGroup = wt.dim(1);
        if (group > 1 && icPerGroup == 1) out.add("conv:depthwise");
        if (group > 1 && icPerGroup > 1) out.add("conv:grouped");
        out.add(bias ? "conv:bias" : "conv:no-bias");
    }

    private void qdqMatmul(NodeProto n) {
        NodeProto dqa = producer.get(n.getInput(0));
        NodeProto dqb = producer.get(n.getInput(1));
        if (dqa == null || dqb == null) return;
        ranks(dqa.getInput(0), dqb.getInput(0));
        if (n.getOpType().equals("Gemm")) {
            out.add("gemm");
            if (Attributes.getInt(n, "transB", 0) != 0) out.add("gemm:transB");
        }
        matmul(dqb, "qdq", dqb.getInput(0), 1, 2);
    }

    private void matmul(NodeProto n, String form, String b, int bs, int bzp) {
        TensorProto bInit = inits.get(b);
        if (bInit == null) {
            out.add("matmul:" + form + "-dynamic");
            return;
        }
        out.add("matmul:" + form + "-const");
        weights(b, n.getInput(bs), n.getInput(bzp));
    }

    /** Ranks of matrix-product operands that are graph inputs (an initializer B counts as rank 2). */
    private void ranks(String a, String b) {
        if (inputRanks.containsKey(a)) out.add("matmul:a-rank-" + inputRanks.get(a));
        if (inputRanks.containsKey(b)) out.add("matmul:dynamic-b-rank-" + inputRanks.get(b));
    }

    private void weights(String w, String ws, String wzp) {
        Tensor wt = TensorProtos.toTensor(inits.get(w));
        out.add("weights:" + wt.dtype().shortName());
        Tensor s = TensorProtos.toTensor(inits.get(ws));
        out.add(s.size() > 1 ? "weights:per-channel" : "weights:per-tensor");
        Tensor z = TensorProtos.toTensor(inits.get(wzp));
        for (int i = 0; i < z.size(); i++) {
            if (z.getLong(i) != 0) {
                out.add("weights:" + wt.dtype().shortName() + "-non-zero-zp");
                break;
            }
        }
    }

    private DType zpType(String zp) {
        return TensorProtos.toTensor(inits.get(zp)).dtype();
    }

    private static boolean nonZero(long[] v) {
        for (long x : v) if (x != 0) return true;
        return false;
    }
}
