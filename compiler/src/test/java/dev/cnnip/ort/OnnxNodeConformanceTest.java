package dev.cnnip.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.NodeTests;
import dev.cnnip.onnx.OnnxException;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the ONNX backend node tests through {@link OrtRunner} (EXTENDED optimisation) and compares
 * with their expected outputs: floats within |a−b| ≤ 1e-7 + 1e-3·|b| (the ONNX runner's
 * tolerance), integers exactly. A test is skipped when an input cannot be given to ONNX Runtime
 * (a type TensorProtos or the Java API does not support) and failed when ONNX Runtime rejects the
 * model or the run, or a result differs.
 */
class OnnxNodeConformanceTest {

    @Test
    void onnxRuntimePassesTheNodeTests() {
        int passed = 0;
        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path folder : NodeTests.folders()) {
            String test = folder.getFileName().toString();
            ModelProto model = OnnxModels.load(folder.resolve("model.onnx"));
            try (OrtRunner runner = OrtRunner.create(model, OrtOptions.defaults())) {
                String skip = unsupportedInput(runner);
                if (skip != null) {
                    skipped.add(test + ": " + skip);
                    continue;
                }
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                for (Path pb : NodeTests.inputs(folder)) feeds.put(TensorProtos.nameOf(pb), TensorProtos.read(pb));
                Map<String, Tensor> actual = runner.run(feeds);
                String diff = null;
                for (Path pb : NodeTests.outputs(folder)) {
                    String name = TensorProtos.nameOf(pb);
                    diff = compare(name, TensorProtos.read(pb), actual.get(name));
                    if (diff != null) break;
                }
                if (diff == null) {
                    passed++;
                } else {
                    failed.add(test + ": " + diff);
                }
            } catch (OrtBridgeException | OnnxException e) {
                failed.add(test + ": " + e.getMessage());
            }
        }
        System.out.printf("ONNX node tests in ONNX Runtime: %d passed, %d failed, %d skipped%n",
                passed, failed.size(), skipped.size());
        failed.forEach(f -> System.out.println("  FAIL " + f));
        skipped.forEach(s -> System.out.println("  SKIP " + s));
        assertEquals(185, passed + failed.size() + skipped.size());
        assertTrue(passed >= 160, passed + " passed");
    }

    /** Why an input cannot be fed to ONNX Runtime, or null when all can. */
    private static String unsupportedInput(OrtRunner runner) {
        for (OrtTensorInfo in : runner.inputInfo()) {
            if (in.dtype().isEmpty() || OrtTensors.creatableType(in.dtype().get()) == null) {
                return "input '" + in.name() + "' is " + in.typeName();
            }
        }
        return null;
    }

    /** A description of the first difference, or null when {@code actual} matches. */
    static String compare(String name, Tensor expected, Tensor actual) {
        if (actual == null) return "no output '" + name + "'";
        if (expected.dtype() != actual.dtype() || !Arrays.equals(expected.shape(), actual.shape())) {
            return name + " is " + actual + ", expected " + expected;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (expected.dtype().isInteger()) {
                if (expected.getLong(i) != actual.getLong(i)) {
                    return name + "[" + i + "] = " + actual.getLong(i) + ", expected " + expected.getLong(i);
                }
            } else {
                double a = actual.getDouble(i);
                double b = expected.getDouble(i);
                boolean same = (Double.isNaN(a) && Double.isNaN(b)) || a == b || Math.abs(a - b) <= 1e-7 + 1e-3 * Math.abs(b);
                if (!same) return name + "[" + i + "] = " + a + ", expected " + b;
            }
        }
        return null;
    }
}
