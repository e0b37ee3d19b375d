package dev.cnnip.verify;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The graph ONNX Runtime actually executes for a model, and the values of the model's tensors in it,
 * read without changing what ONNX Runtime does.
 *
 * <p>Why: exposing a tensor as a graph output can change ONNX Runtime's graph optimisations. In
 * particular its {@code QDQS8ToU8Transformer} turns an int8 {@code QuantizeLinear → DequantizeLinear}
 * pair into uint8 (codes and zero point + 128) only when the Q node has exactly one consumer and its output
 * is not a graph output; and on x86 its Conv/MatMul QDQ selectors do not fuse groups with int8 activations.
 * So probing the int8 Q outputs of an int8-activation QDQ model (yunet-n-320-qdq-int8) keeps every group
 * int8 and unfused: ONNX Runtime then runs every convolution in float, which is not what it runs for the
 * model itself (there it fuses most groups into uint8 QLinearConv).
 *
 * <p>How: a session with the reference options writes its optimised graph to a file
 * ({@link OrtOptions#withOptimizedModelPath}); that graph is probed instead and run with graph optimisation
 * off, so it executes as written ({@link #reproducesSession} checks that its graph outputs equal those of a
 * session of the original model bit for bit).
 *
 * <p>Tensor correspondence (ONNX Runtime keeps node names when it fuses or converts): a tensor of the
 * original model is found in the executed graph under its own name; else as the output of the node with its
 * producer's name (a Q node whose output the s8→u8 conversion renamed); else, for a QuantizeLinear output, as
 * the output of the node named like the Q node's input producer (a fused group: {@code QLinearConv} carries
 * the name of the {@code Conv}; a MaxPool between dropped Q and DQ keeps its own). Values converted to uint8 are converted back (−128).
 */
public final class OrtExecutedGraph {
    /** How ONNX Runtime computes the tensor. */
    public enum Kernel {
        /** An integer kernel (QLinearConv, QLinearSigmoid, QLinearAdd, MaxPool on codes, QuantizeLinear of an input, …). */
        INTEGER,
        /** Float arithmetic between DequantizeLinear and QuantizeLinear: an unfused QDQ group. */
        FLOAT
    }

    /**
     * Where ONNX Runtime's executed graph holds one tensor of the original model.
     *
     * @param tensor         the tensor's name in the original model
     * @param executedTensor its name in the executed graph
     * @param op             the executed producer ({@code domain:OpType}, {@code OpType} for ai.onnx); for a
     *                       {@link Kernel#FLOAT} tensor the float operator between DQ and Q
     * @param kernel         integer kernel or float group
     */
    public record Probe(String tensor, String executedTensor, String op, Kernel kernel) {}

    private final ModelProto original;
    private final ModelProto executed;
    private final OrtOptions options;
    private final Map<String, NodeProto> originalProducers;
    private final Map<String, NodeProto> executedProducers;
    private final Map<String, NodeProto> executedByName;
    private final Map<String, TensorProto> originalInitializers;

    private OrtExecutedGraph(ModelProto original, ModelProto executed, OrtOptions options) {
        this.original = original;
        this.executed = executed;
        this.options = options;
        this.originalProducers = producers(original.getGraph());
        this.executedProducers = producers(executed.getGraph());
        this.executedByName = new HashMap<>();
        for (NodeProto n : executed.getGraph().getNodeList()) {
            if (!n.getName().isEmpty()) executedByName.put(n.getName(), n);
        }
        this.originalInitializers = initializers(original.getGraph());
    }

    /**
     * Lets ONNX Runtime optimise {@code model} with {@code options} (the reference options, e.g.
     * {@link OrtOptions#defaults()}) and reads back the graph it executes.
     */
    public static OrtExecutedGraph of(ModelProto model, OrtOptions options) {
        try {
            Path file = Files.createTempFile("cnnip-ort-executed-", ".onnx");
            try {
                OrtRunner.create(model, options.withOptimizedModelPath(file)).close(); // writes the file
                return new OrtExecutedGraph(model, OnnxModels.load(file), options.withOptimizedModelPath(null));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The graph ONNX Runtime executes. */
    public ModelProto executed() {
        return executed;
    }

    /** Operator counts of the executed graph ({@code domain:OpType}), in first-seen order. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (NodeProto n : executed.getGraph().getNodeList()) c.merge(opName(n), 1, Integer::sum);
        return c;
    }

    /** Where the executed graph holds {@code tensor} of the original model, if it does. */
    public Optional<Probe> probe(String tensor) {
        String e = executedName(tensor);
        if (e == null) return Optional.empty();
        NodeProto p = executedProducers.get(e);
        if (p == null) return Optional.of(new Probe(tensor, e, "input", Kernel.INTEGER));
        if (p.getOpType().equals("QuantizeLinear") && p.getDomain().isEmpty()) {
            NodeProto floatOp = executedProducers.get(p.getInput(0));
            if (floatOp != null) return Optional.of(new Probe(tensor, e, opName(floatOp), Kernel.FLOAT));
        }
        return Optional.of(new Probe(tensor, e, opName(p), Kernel.INTEGER));
    }

    /**
     * Runs the executed graph on {@code inputs} and returns the named tensors of the original model (in
     * their original element types), in the order asked; tensors it does not hold are left out.
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Collection<String> tensors) {
        List<Probe> probes = new ArrayList<>();
        for (String t : tensors) probe(t).ifPresent(probes::add);
        Map<String, Tensor> got = runExecuted(inputs, probes.stream().map(Probe::executedTensor).toList());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Probe p : probes) {
            Tensor v = got.get(p.executedTensor());
            boolean converted = v.dtype() == DType.UINT8 && originalElemType(p.tensor()) == TensorProto.DataType.INT8_VALUE;
            out.put(p.tensor(), converted ? toInt8(v) : v);
        }
        return out;
    }

    /**
     * Whether the executed graph, run without optimisation, gives the graph outputs of a session of the
     * original model bit for bit on {@code inputs} (that is, whether the file describes what ONNX Runtime runs).
     * Not part of {@link #run}: ONNX Runtime kernels that are not deterministic from run to run (the AMX
     * defect in the design notes) would make it fail for reasons of their own.
     */
    public boolean reproducesSession(Map<String, Tensor> inputs) {
        Map<String, Tensor> reference;
        try (OrtRunner ort = OrtRunner.create(original, options)) {
            reference = ort.run(inputs);
        }
        Map<String, Tensor> mine = runExecuted(inputs, List.of());
        for (Map.Entry<String, Tensor> e : reference.entrySet()) {
            Tensor t = mine.get(e.getKey());
            if (t == null || !t.contentEquals(e.getValue())) return false;
        }
        return true;
    }

    /** Runs the executed graph (optimisation off) with {@code extra} tensors exposed; returns them and the graph outputs. */
    private Map<String, Tensor> runExecuted(Map<String, Tensor> inputs, List<String> extra) {
        List<String> graphOutputs = executed.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
        Set<String> wanted = new LinkedHashSet<>(graphOutputs);
        wanted.addAll(extra);
        ModelProto probed = OnnxModels.withExtraOutputs(executed, wanted.stream().filter(n -> !graphOutputs.contains(n)).toList());
        try (OrtRunner ort = OrtRunner.create(probed, options.withOptLevel(OrtOptions.OptLevel.NONE))) {
            return ort.run(inputs, new ArrayList<>(wanted));
        }
    }

    private String executedName(String tensor) {
        if (executedProducers.containsKey(tensor) || isGraphInput(executed.getGraph(), tensor)) return tensor;
        NodeProto p = originalProducers.get(tensor);
        if (p == null || p.getName().isEmpty()) return null;
        NodeProto same = executedByName.get(p.getName());
        if (same != null && same.getOpType().equals(p.getOpType())) {
            int i = p.getOutputList().indexOf(tensor);
            return i < same.getOutputCount() ? same.getOutput(i) : null;
        }
        if (p.getOpType().equals("QuantizeLinear") && p.getDomain().isEmpty()) {
            NodeProto c = originalProducers.get(p.getInput(0));
            if (c == null || c.getName().isEmpty()) return null;
            NodeProto fused = executedByName.get(c.getName());
            if (fused != null && fused.getOutputCount() >= 1 && runsOnCodes(c.getOpType(), fused.getOpType())) {
                return fused.getOutput(0);
            }
        }
        return null;
    }

    /**
     * Whether {@code executedOp} is what ONNX Runtime makes of a float {@code op} whose QDQ group it fused or
     * dropped: the QLinear operator (QLinearConv, com.microsoft QLinearSigmoid, …), QGemm for Gemm, or the
     * same operator running on the codes (MaxPool, Transpose, Reshape, Resize between dropped Q/DQ).
     */
    private static boolean runsOnCodes(String op, String executedOp) {
        return executedOp.equals(op) || executedOp.equals("QLinear" + op) || (op.equals("Gemm") && executedOp.equals("QGemm"));
    }

    /** Element type of a QuantizeLinear output in the original model (from its zero point), else 0. */
    private int originalElemType(String tensor) {
        NodeProto p = originalProducers.get(tensor);
        if (p == null || !p.getOpType().equals("QuantizeLinear")) return 0;
        if (p.getInputCount() < 3 || p.getInput(2).isEmpty()) return TensorProto.DataType.UINT8_VALUE;
        TensorProto zp = originalInitializers.get(p.getInput(2));
        return zp == null ? 0 : zp.getDataType();
    }

    /** Undoes the s8→u8 conversion (codes and zero point + 128). */
    private static Tensor toInt8(Tensor u8) {
        Tensor s8 = Tensor.zeros(DType.INT8, u8.shape());
        for (int i = 0; i < u8.size(); i++) s8.setLong(i, u8.getLong(i) - 128);
        return s8;
    }

    private static String opName(NodeProto n) {
        String d = n.getDomain();
        return d.isEmpty() || d.equals("ai.onnx") ? n.getOpType() : d + ":" + n.getOpType();
    }

    private static Map<String, NodeProto> producers(GraphProto g) {
        Map<String, NodeProto> p = new HashMap<>();
        for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) p.put(o, n);
        return p;
    }

    private static Map<String, TensorProto> initializers(GraphProto g) {
        Map<String, TensorProto> m = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) m.put(t.getName(), t);
        return m;
    }

    private static boolean isGraphInput(GraphProto g, String name) {
        Set<String> inits = new HashSet<>();
        g.getInitializerList().forEach(t -> inits.add(t.getName()));
        return g.getInputList().stream().anyMatch(v -> v.getName().equals(name)) && !inits.contains(name);
    }
}
