package dev.cnnip.verify;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.backend.BackendException;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs ONNX backend node tests (a model.onnx per test folder, with input and output TensorProto files
 * in test_data_set_0) through the compiler and the instruction-set simulator, and compares every output
 * exactly. Graph inputs that are weights or quantization parameters (everything but the operator's
 * data inputs) are bound as constants, as a deployed network has them. Tests of float operators, of
 * integer-accumulator operators and of element types the engines lack are skipped with the reason.
 */
public final class Conformance {
    /** Operators the accelerator runs, with the indices of their data (activation) inputs. */
    private static final Map<String, Set<Integer>> DATA_INPUTS = Map.of(
            "QuantizeLinear", Set.of(0),
            "DequantizeLinear", Set.of(0),
            "QLinearConv", Set.of(0),
            "QLinearMatMul", Set.of(0, 3),
            "MaxPool", Set.of(0));

    /** The engines' element types. */
    private static final Set<DType> ENGINE_TYPES = Set.of(DType.UINT8, DType.INT8, DType.UINT16, DType.INT16,
            DType.INT32, DType.FLOAT32);

    /**
     * Float operators cnnip quantizes and runs, with the indices of their data inputs (null: every input);
     * the other inputs (weights, shapes, pads, scales, clip bounds) are bound as constants.
     */
    private static final Map<String, Set<Integer>> FLOAT_DATA_INPUTS = floatDataInputs();

    /** Quantization steps (of the output's scale) a float-operator test's output may be off by. */
    public static final int FLOAT_TOLERANCE_STEPS = 2;

    /** The pass rules, stated in the output. */
    public static final String RULES = "rules: quantized-operator tests must match the expected output exactly; "
            + "float-operator tests are quantized by cnnip (the test's input as calibration, uint8 activations, "
            + "int8 per-channel weights) and pass when every output is within " + FLOAT_TOLERANCE_STEPS
            + " quantization steps (" + FLOAT_TOLERANCE_STEPS + " x the output's scale) of the expected value";

    private static Map<String, Set<Integer>> floatDataInputs() {
        Map<String, Set<Integer>> m = new java.util.HashMap<>();
        for (String op : List.of("Conv", "Gemm", "AveragePool", "MaxPool", "GlobalAveragePool", "Relu", "Sigmoid", "LeakyRelu",
                "Tanh", "Clip", "Softmax", "Flatten", "Reshape", "Identity", "Transpose", "Pad", "Resize", "Upsample",
                "BatchNormalization", "Squeeze", "Unsqueeze", "HardSigmoid", "HardSwish", "Dropout", "LRN")) {
            m.put(op, Set.of(0));
        }
        for (String op : List.of("Add", "Mul")) m.put(op, Set.of(0, 1));
        m.put("MatMul", Set.of(0)); // B bound as weights, as a deployed network has them
        m.put("Constant", Set.of());
        m.put("Less", Set.of()); // Clip's expansion: x (the first graph input) is data, the bounds are constants
        m.put("Where", Set.of());
        return Map.copyOf(m); // Concat and Sum: every input is data (see floatOpSupported)
    }

    private static boolean floatOpSupported(String op) {
        return FLOAT_DATA_INPUTS.containsKey(op) || op.equals("Concat") || op.equals("Sum");
    }

    public enum Status { PASS, FAIL, SKIP }

    public record Result(String test, Status status, String detail) {}

    private Conformance() {}

    /** Every test folder under {@code dir} (sorted), or {@code dir} itself when it is one test. */
    public static List<Result> runAll(Path dir, HwConfig hw) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a folder");
        List<Path> tests;
        if (Files.exists(dir.resolve("model.onnx"))) {
            tests = List.of(dir);
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                tests = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
            }
        }
        if (tests.isEmpty()) throw new IOException(dir + ": no ONNX node tests (folders with model.onnx)");
        List<Result> out = new ArrayList<>();
        for (Path t : tests) out.add(runOne(t, hw));
        return out;
    }

    public static Result runOne(Path testDir, HwConfig hw) {
        String name = testDir.getFileName().toString();
        ModelProto model;
        try {
            model = OnnxModels.load(testDir.resolve("model.onnx"));
        } catch (RuntimeException e) {
            return new Result(name, Status.FAIL, e.getMessage());
        }
        boolean floatTest = floatGraph(model);
        for (NodeProto n : model.getGraph().getNodeList()) {
            String op = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "." + n.getOpType();
            boolean known = floatTest ? floatOpSupported(op) : DATA_INPUTS.containsKey(op);
            if (!known) return new Result(name, Status.SKIP, reasonFor(op, floatTest));
            if (n.getOpType().equals("BatchNormalization") && n.getAttributeList().stream()
                    .anyMatch(a -> a.getName().equals("training_mode") && a.getI() != 0)) {
                return new Result(name, Status.SKIP, "training-mode BatchNormalization (batch statistics, running-mean "
                        + "outputs): not an inference operator");
            }
            if (n.getOpType().equals("MaxPool") && n.getOutputCount() > 1) {
                return new Result(name, Status.SKIP, "MaxPool's indices output: not an accelerator result");
            }
        }
        Path data = testDir.resolve("test_data_set_0");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try {
            List<ValueInfoProto> gin = model.getGraph().getInputList();
            for (int i = 0; i < gin.size(); i++) {
                TensorProto tp = TensorProtos.readProto(data.resolve("input_" + i + ".pb"));
                boolean bound = !dataInputs(model).contains(gin.get(i).getName()); // becomes a constant: any type
                boolean usable = bound ? TensorProtos.dtype(tp.getDataType()).isPresent()
                        : TensorProtos.dtype(tp.getDataType()).filter(ENGINE_TYPES::contains).isPresent()
                        || tp.getDataType() == DType.FLOAT16.onnxCode();
                if (!usable) {
                    return new Result(name, Status.SKIP, "element type " + TensorProtos.typeName(tp.getDataType())
                            + " of input '" + gin.get(i).getName() + "' is not an engine type");
                }
                inputs.put(gin.get(i).getName(), TensorProtos.toTensor(tp));
            }
            List<ValueInfoProto> gout = model.getGraph().getOutputList();
            for (int i = 0; i < gout.size(); i++) {
                TensorProto tp = TensorProtos.readProto(data.resolve("output_" + i + ".pb"));
                if (TensorProtos.dtype(tp.getDataType()).filter(ENGINE_TYPES::contains).isEmpty()) {
                    return new Result(name, Status.SKIP, "element type " + TensorProtos.typeName(tp.getDataType())
                            + " of output '" + gout.get(i).getName() + "' is not an engine type");
                }
                expected.put(gout.get(i).getName(), TensorProtos.toTensor(tp));
            }
        } catch (RuntimeException e) {
            return new Result(name, Status.SKIP, e.getMessage());
        }
        Map<String, Tensor> frozen = new LinkedHashMap<>();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        splitInputs(model, inputs, frozen, feeds);
        if (floatTest) return runFloat(name, model, frozen, feeds, expected, hw);
        try {
            Program p = Compiler.compile(model, name, CompileOptions.of(hw, Numerics.ORT).withFrozenInputs(frozen));
            Machine m = new Machine(p, SimOptions.defaults(), name);
            feeds.forEach(m::writeInput);
            m.run();
            Map<String, Tensor> got = m.outputs();
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                Tensor g = got.get(e.getKey());
                String diff = difference(g, e.getValue());
                if (diff != null) return new Result(name, Status.FAIL, "output '" + e.getKey() + "': " + diff);
            }
            return new Result(name, Status.PASS, p.instructionCount() + " instructions");
        } catch (RuntimeException e) {
            return new Result(name, Status.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * A float-operator test: the weights are frozen, the model is quantized with the test's input as its only
     * calibration sample, compiled, simulated, and each output compared with a tolerance of
     * {@link #FLOAT_TOLERANCE_STEPS} steps of its quantization scale (the DequantizeLinear producing it).
     */
    private static Result runFloat(String name, ModelProto model, Map<String, Tensor> frozen, Map<String, Tensor> feeds,
                                   Map<String, Tensor> expected, HwConfig hw) {
        if (feeds.isEmpty()) return new Result(name, Status.SKIP, "no data input: the test computes on constants only");
        ModelProto q;
        Program p;
        try {
            ModelProto f = freeze(model, frozen);
            q = QdqQuantizer.quantize(f, List.of(feeds), QdqQuantizer.Options.defaults(), null).model();
            p = Compiler.compile(q, name, CompileOptions.of(hw, Numerics.ORT));
        } catch (GraphException | BackendException | IllegalArgumentException e) {
            return new Result(name, Status.SKIP, "not supported: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Result(name, Status.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            Machine m = new Machine(p, SimOptions.defaults(), name);
            feeds.forEach(m::writeInput);
            m.run();
            Map<String, Tensor> got = m.outputs();
            double worst = 0;
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                float step = outputScale(q, e.getKey());
                Tensor g = got.get(e.getKey());
                Tensor w = e.getValue();
                if (g == null || !Arrays.equals(g.shape(), w.shape())) {
                    return new Result(name, Status.FAIL, "output '" + e.getKey() + "': got " + g + ", expected " + w);
                }
                for (int i = 0; i < g.size(); i++) {
                    double steps = Math.abs(g.getDouble(i) - w.getDouble(i)) / step;
                    if (!(steps <= FLOAT_TOLERANCE_STEPS + 1e-3)) {
                        return new Result(name, Status.FAIL, String.format(java.util.Locale.ROOT,
                                "output '%s' element %d: got %s, expected %s (%.2f steps of %s)", e.getKey(), i,
                                g.getDouble(i), w.getDouble(i), steps, step));
                    }
                    worst = Math.max(worst, steps);
                }
            }
            return new Result(name, Status.PASS, String.format(java.util.Locale.ROOT,
                    "quantized, within %.2f steps; %d instructions", worst, p.instructionCount()));
        } catch (RuntimeException e) {
            return new Result(name, Status.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The scale of the DequantizeLinear producing graph output {@code out} of a QDQ model. */
    private static float outputScale(ModelProto q, String out) {
        for (NodeProto n : q.getGraph().getNodeList()) {
            if (n.getOutputList().contains(out) && n.getOpType().equals("DequantizeLinear")) {
                for (TensorProto t : q.getGraph().getInitializerList()) {
                    if (t.getName().equals(n.getInput(1))) return TensorProtos.toTensor(t).getFloat(0);
                }
            }
        }
        throw new IllegalStateException("output '" + out + "' is not produced by a DequantizeLinear");
    }

    /** The model with {@code frozen} graph inputs turned into initializers. */
    private static ModelProto freeze(ModelProto model, Map<String, Tensor> frozen) {
        if (frozen.isEmpty()) return model;
        ModelProto.Builder mb = model.toBuilder();
        var gb = mb.getGraphBuilder();
        for (Map.Entry<String, Tensor> e : frozen.entrySet()) gb.addInitializer(TensorProtos.fromTensor(e.getKey(), e.getValue()));
        for (int i = gb.getInputCount() - 1; i >= 0; i--) {
            if (frozen.containsKey(gb.getInput(i).getName())) gb.removeInput(i);
        }
        return mb.build();
    }

    private static void splitInputs(ModelProto model, Map<String, Tensor> inputs, Map<String, Tensor> frozen,
                                    Map<String, Tensor> feeds) {
        Set<String> data = dataInputs(model);
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            (data.contains(e.getKey()) ? feeds : frozen).put(e.getKey(), e.getValue());
        }
    }

    /** The graph inputs the operators read as data (activations); the rest are bound as constants. */
    private static Set<String> dataInputs(ModelProto model) {
        java.util.Set<String> data = new java.util.HashSet<>();
        if (floatGraph(model)) data.add(model.getGraph().getInput(0).getName());
        for (NodeProto n : model.getGraph().getNodeList()) {
            String op = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "." + n.getOpType();
            Set<Integer> idx = DATA_INPUTS.containsKey(op) ? DATA_INPUTS.get(op) : FLOAT_DATA_INPUTS.get(op);
            if (idx == null) { // every input is data (Concat, Sum)
                data.addAll(n.getInputList());
                continue;
            }
            for (int i : idx) if (i < n.getInputCount()) data.add(n.getInput(i));
        }
        return data;
    }

    /** Null when equal (same type, shape and bytes), else a description of the first difference. */
    static String difference(Tensor got, Tensor want) {
        if (got == null) return "missing";
        if (got.dtype() != want.dtype() || !Arrays.equals(got.shape(), want.shape())) {
            return "got " + got + ", expected " + want;
        }
        long bad = 0;
        int first = -1;
        for (int i = 0; i < got.size(); i++) {
            boolean same = got.dtype().isInteger() ? got.getLong(i) == want.getLong(i)
                    : Float.floatToRawIntBits(got.getFloat(i)) == Float.floatToRawIntBits(want.getFloat(i));
            if (!same) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad == 0) return null;
        return bad + " of " + got.size() + " elements differ; first at " + first + ": got " + got.getDouble(first)
                + ", expected " + want.getDouble(first);
    }

    private static String reasonFor(String op, boolean floatGraph) {
        if (op.equals("ConvInteger") || op.equals("MatMulInteger")) {
            return op + " returns raw int32 accumulators; the accelerator requantizes every layer";
        }
        return floatGraph ? "float operator " + op + ": cnnip does not quantize it"
                : "integer " + op + " outside a quantized layer is not an accelerator operation";
    }

    /** Whether the first graph input is floating point and no node is a quantization operator: a float-operator test. */
    private static boolean floatGraph(ModelProto m) {
        if (m.getGraph().getInputCount() == 0) return false;
        int t = m.getGraph().getInput(0).getType().getTensorType().getElemType();
        boolean floatIn = t == DType.FLOAT32.onnxCode() || t == DType.FLOAT16.onnxCode() || t == DType.FLOAT64.onnxCode();
        return floatIn && m.getGraph().getNodeList().stream().noneMatch(n -> DATA_INPUTS.containsKey(n.getOpType())
                && !n.getOpType().equals("MaxPool") || n.getOpType().endsWith("Integer"));
    }

    /** Skip reasons grouped (the text before the first ':' after "not supported: node '…'" is normalised) with counts, most first. */
    public static List<String> skipReasons(List<Result> results) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Result r : results) if (r.status() == Status.SKIP) counts.merge(group(r.detail()), 1, Integer::sum);
        return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> String.format(java.util.Locale.ROOT, "%4d  %s", e.getValue(), e.getKey())).toList();
    }

    /** A reason without the node names, so that equal reasons group. */
    static String group(String detail) {
        return detail.replaceAll("node '[^']*' ", "node ").replaceAll("'[^']*'", "'…'");
    }

    /** The summary line: {@code N passed, N failed, N skipped}. */
    public static String summary(List<Result> results) {
        long p = results.stream().filter(r -> r.status() == Status.PASS).count();
        long f = results.stream().filter(r -> r.status() == Status.FAIL).count();
        long s = results.stream().filter(r -> r.status() == Status.SKIP).count();
        return p + " passed, " + f + " failed, " + s + " skipped";
    }
}
