package dev.cnnip.verify.compare;

import dev.cnnip.compiler.frontend.GraphExporter;
import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.prep.FloatGraphPrep;
import dev.cnnip.compiler.prep.OpsetUpgrade;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The float model's side of a comparison: the model prepared as the quantizer prepares it (BatchNormalization
 * folded, biases fused, HardSwish recognised: the same float function, with the tensor names the quantized
 * model keeps), the map from program symbols to its tensors, and one ONNX Runtime session that returns every
 * mapped tensor. A program symbol {@code T_quantized} (or the 8-bit copy {@code T_quantized8}) holds the codes
 * of the float tensor {@code T}; a float symbol (graph input or output) has the float tensor's own name.
 */
final class FloatReference implements AutoCloseable {
    private static final Pattern QUANTIZED = Pattern.compile("(.+)_quantized8?(_\\d+)?");

    private final Graph prepared;
    private final Map<String, String> floatOf = new LinkedHashMap<>();
    private final OrtRunner ort;
    private final List<String> fetched;

    private FloatReference(Graph prepared, ModelProto model, Map<String, String> floatOf) {
        this.prepared = prepared;
        this.floatOf.putAll(floatOf);
        this.fetched = new ArrayList<>(new LinkedHashSet<>(floatOf.values()));
        List<String> outputs = model.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
        List<String> extra = fetched.stream().filter(n -> !outputs.contains(n)).toList();
        this.ort = OrtRunner.create(OnnxModels.withExtraOutputs(model, extra), OrtOptions.defaults());
    }

    /**
     * Prepares {@code floatModel} and maps {@code program}'s symbols onto it.
     *
     * @throws IllegalArgumentException naming {@code floatName} when the model's inputs differ from the
     *     program's, when a mapped tensor's shape differs from its symbol's, or when nothing maps
     */
    static FloatReference open(ModelProto floatModel, String floatName, Program program, String programName) {
        Map<String, int[]> shapes = new HashMap<>();
        for (String in : program.inputs()) {
            Symbol s = program.symbol(in).orElseThrow();
            shapes.put(in, s.shape());
        }
        Set<String> floatInputs = new LinkedHashSet<>();
        floatModel.getGraph().getInputList().forEach(v -> floatInputs.add(v.getName()));
        floatModel.getGraph().getInitializerList().forEach(t -> floatInputs.remove(t.getName()));
        if (!floatInputs.equals(new LinkedHashSet<>(program.inputs()))) {
            throw new IllegalArgumentException(floatName + ": inputs " + floatInputs + ", " + programName + " takes "
                    + program.inputs() + ": the float model does not match the program");
        }
        Graph g;
        ModelProto model;
        try {
            g = GraphImporter.importModel(floatModel, shapes);
            FloatGraphPrep.run(g);
            OpsetUpgrade.run(g, g.nodes().stream().anyMatch(n -> n.opType().equals("HardSwish")) ? 14 : 13);
            int opset = g.opsets().getOrDefault("", 13);
            model = GraphExporter.export(g, opset >= 21 ? 10 : 8, g.opsets(), "cnnip");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(floatName + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Symbol s : program.symbols()) {
            String f = floatName(s);
            if (f == null || !g.hasValue(f) || g.value(f).isConstant()) continue;
            int[] fs = g.value(f).shape();
            if (fs != null && fs.length > 0 && Tensor.numElements(fs) != s.elementCount()) {
                throw new IllegalArgumentException(floatName + ": tensor '" + f + "' is " + Arrays.toString(fs) + ", "
                        + programName + " holds it as " + Arrays.toString(s.shape()) + " (layer "
                        + (s.layer() >= 0 ? "'" + program.layers().get(s.layer()).name() + "'" : "input") + ")"
                        + ": the float model does not match the program");
            }
            map.put(s.name(), f);
        }
        long layersMapped = map.keySet().stream().filter(n -> program.symbol(n).orElseThrow().layer() >= 0).count();
        if (layersMapped == 0) {
            throw new IllegalArgumentException(floatName + ": no layer output of " + programName
                    + " is a tensor of this model: the float model does not match the program");
        }
        return new FloatReference(g, model, map);
    }

    /** The float tensor name a symbol holds, or null when its name follows no known pattern. */
    static String floatName(Symbol s) {
        if (!s.isQuantized()) return s.dtype().isInteger() ? null : s.name();
        Matcher m = QUANTIZED.matcher(s.name());
        return m.matches() ? m.group(1) : null;
    }

    /** The float tensor of a program symbol, if mapped. */
    Optional<String> floatOf(String symbol) {
        return Optional.ofNullable(floatOf.get(symbol));
    }

    /** The float (prepared) weights of a node, if it is a Conv, Gemm or MatMul with a constant weight. */
    Optional<Tensor> weights(String nodeName) {
        for (Node n : prepared.nodes()) {
            if (!n.name().equals(nodeName)) continue;
            if (!(n.opType().equals("Conv") || n.opType().equals("Gemm") || n.opType().equals("MatMul"))) return Optional.empty();
            if (n.inputs().size() < 2 || !prepared.value(n.input(1)).isConstant()) return Optional.empty();
            return Optional.of(prepared.value(n.input(1)).constant());
        }
        return Optional.empty();
    }

    /** The op type of a node of the prepared model, or empty. */
    Optional<Node> node(String nodeName) {
        return prepared.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    /** Every mapped float tensor on one item. */
    Map<String, Tensor> run(Map<String, Tensor> item) {
        return ort.run(item, fetched);
    }

    @Override
    public void close() {
        ort.close();
    }
}
