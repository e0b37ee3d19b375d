package dev.cnnip.cli;

import dev.cnnip.debugger.ReferenceProvider;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.OrtExecutedGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The debugger's {@code compare} references from ONNX Runtime (DESIGN section 3's reference options):
 * the program's layer outputs read from the graph ONNX Runtime executes for the quantized model
 * ({@link OrtExecutedGraph}, so that exposing them does not change which QDQ groups it fuses), and their float
 * counterparts ({@code T} for {@code T_quantized}, else the same name) exposed on the float model. Each
 * model runs once, on the session's inputs, the first time it is asked; the results are kept.
 */
final class DebugReference implements ReferenceProvider {
    private final Program program;
    private final ModelProto quantized;
    private final ModelProto floatModel;
    private final Map<String, Tensor> inputs;
    private Map<String, Tensor> qCache;
    private Map<String, Tensor> fCache;

    DebugReference(Program program, ModelProto quantized, ModelProto floatModel, Map<String, Tensor> inputs) {
        this.program = program;
        this.quantized = quantized;
        this.floatModel = floatModel;
        this.inputs = inputs;
    }

    /** Whether a model holds quantization nodes (QDQ or QOperator form). */
    static boolean isQuantized(ModelProto m) {
        for (NodeProto n : m.getGraph().getNodeList()) {
            String op = n.getOpType();
            if (op.equals("QuantizeLinear") || op.equals("DequantizeLinear") || op.startsWith("QLinear")
                    || op.equals("ConvInteger") || op.equals("MatMulInteger")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean hasQuantized() {
        return quantized != null;
    }

    @Override
    public boolean hasFloat() {
        return floatModel != null;
    }

    private List<String> layerOutputs() {
        List<String> out = new ArrayList<>();
        for (LayerInfo l : program.layers()) for (String o : l.outputs()) if (program.symbol(o).isPresent()) out.add(o);
        return out;
    }

    @Override
    public Map<String, Tensor> quantized(Collection<String> names) {
        if (quantized == null) return Map.of();
        if (qCache == null) {
            Set<String> known = defined(quantized);
            List<String> wanted = layerOutputs().stream().filter(known::contains).distinct().toList();
            // Read from the graph ONNX Runtime executes for the model: exposing int8 Q outputs on the model
            // itself would change which groups it fuses (see OrtExecutedGraph).
            qCache = new LinkedHashMap<>(OrtExecutedGraph.of(quantized, OrtOptions.defaults()).run(feeds(quantized), wanted));
            // A tensor the executed graph does not hold (its producer had no name to follow) comes from the
            // model itself, as before.
            List<String> missing = wanted.stream().filter(t -> !qCache.containsKey(t)).toList();
            if (!missing.isEmpty()) qCache.putAll(run(quantized, missing, missing));
        }
        return pick(qCache, names);
    }

    @Override
    public Map<String, Tensor> floating(Collection<String> names) {
        if (floatModel == null) return Map.of();
        if (fCache == null) {
            Set<String> known = defined(floatModel);
            List<String> programNames = new ArrayList<>();
            List<String> floatNames = new ArrayList<>();
            for (String t : layerOutputs()) {
                String f = t.endsWith("_quantized") && known.contains(t.substring(0, t.length() - "_quantized".length()))
                        ? t.substring(0, t.length() - "_quantized".length()) : known.contains(t) ? t : null;
                if (f != null && !programNames.contains(t)) {
                    programNames.add(t);
                    floatNames.add(f);
                }
            }
            Map<String, Tensor> byFloat = run(floatModel, floatNames.stream().distinct().toList(), floatNames);
            fCache = new LinkedHashMap<>();
            for (int i = 0; i < programNames.size(); i++) {
                Tensor t = byFloat.get(floatNames.get(i));
                if (t != null && t.dtype() == DType.FLOAT32) fCache.put(programNames.get(i), t);
            }
        }
        return pick(fCache, names);
    }

    private Map<String, Tensor> run(ModelProto m, List<String> wanted, List<String> unused) {
        List<String> graphOutputs = m.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
        ModelProto probe = OnnxModels.withExtraOutputs(m, wanted.stream().filter(n -> !graphOutputs.contains(n)).toList());
        try (OrtRunner ort = OrtRunner.create(probe, OrtOptions.defaults())) {
            return ort.run(feeds(m), new ArrayList<>(wanted));
        }
    }

    /** The session's inputs that are inputs of {@code m}. */
    private Map<String, Tensor> feeds(ModelProto m) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        Set<String> modelInputs = new HashSet<>();
        m.getGraph().getInputList().forEach(v -> modelInputs.add(v.getName()));
        inputs.forEach((k, v) -> {
            if (modelInputs.contains(k)) feeds.put(k, v);
        });
        return feeds;
    }

    private static Map<String, Tensor> pick(Map<String, Tensor> all, Collection<String> names) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) if (all.containsKey(n)) out.put(n, all.get(n));
        return out;
    }

    /** Tensor names a model defines: graph inputs and node outputs. */
    private static Set<String> defined(ModelProto m) {
        Set<String> s = new HashSet<>();
        m.getGraph().getInputList().forEach(v -> s.add(v.getName()));
        m.getGraph().getNodeList().forEach(n -> s.addAll(n.getOutputList()));
        return s;
    }
}
