package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cnnip.emulator.Machine;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ort numerics on every generated model: each layer output on the simulator equals ONNX Runtime's exactly
 * wherever ONNX Runtime runs an integer kernel, and within ±1 code where it runs DQ → float op → Q
 * (decided from its optimised graph, see {@link OrtFusion}); see {@link OrtComparison} for the handling of
 * ONNX Runtime's own AMX kernel defect.
 */
class OrtBitExactTest {
    @TestFactory
    Stream<DynamicTest> everyLayerMatchesOnnxRuntime() {
        List<GeneratedModel> models = RandomModels.all();
        List<LayerVerdict> verdicts = new ArrayList<>();
        Stream<DynamicTest> perModel = models.stream().map(g -> dynamicTest(g.name(), () -> verdicts.addAll(check(g))));
        return Stream.concat(perModel, Stream.of(dynamicTest("summary", () -> summarize(models, verdicts))));
    }

    private static List<LayerVerdict> check(GeneratedModel g) {
        Program p = Sim.compile(g, Numerics.ORT);
        assertEquals(Numerics.ORT, p.numerics());
        Map<String, Tensor> inputs = g.randomInputs();
        Machine m = Sim.run(p, inputs, false);
        List<LayerVerdict> verdicts = OrtComparison.compare(g.name(), g.model(), m, inputs);
        assertEquals(p.layers().size(), verdicts.size(), g.name() + ": every layer is compared");
        for (LayerVerdict v : verdicts) {
            if (v.integerKernel()) {
                assertEquals(0, v.unexplained(), v::toString);
            } else {
                assertTrue(v.maxAbsDiff() <= 1, v::toString);
            }
            Tensor out = m.readSymbol(v.tensor());
            if (out.dtype().isInteger()) {
                CodeRange r = CodeRange.of(out);
                assertTrue(r.wellSpread(), () -> v + ": output codes " + r);
            }
        }
        return verdicts;
    }

    private static void summarize(List<GeneratedModel> models, List<LayerVerdict> verdicts) {
        Set<String> qdq = models.stream().filter(g -> g.form() == ModelWriter.Form.QDQ).map(GeneratedModel::name)
                .collect(Collectors.toSet());
        Map<String, Long> qdqFused = verdicts.stream().filter(v -> qdq.contains(v.model()) && !v.op().equals("Quantize")
                        && !v.op().equals("Dequantize"))
                .collect(Collectors.groupingBy(v -> v.integerKernel() ? "fused" : "unfused", TreeMap::new,
                        Collectors.counting()));
        List<LayerVerdict> integer = verdicts.stream().filter(LayerVerdict::integerKernel).toList();
        List<LayerVerdict> floatPath = verdicts.stream().filter(v -> !v.integerKernel()).toList();
        long exact = integer.stream().filter(v -> v.mismatches() == 0).count();
        List<LayerVerdict> defective = integer.stream().filter(v -> v.ortDefects() > 0).toList();
        long floatElements = floatPath.stream().mapToLong(LayerVerdict::elements).sum();
        long floatMismatches = floatPath.stream().mapToLong(LayerVerdict::mismatches).sum();
        System.out.printf("ort mode: %d models, %d layers compared with ONNX Runtime on the same layer inputs%n",
                models.size(), verdicts.size());
        System.out.printf("  QDQ-form layers as ONNX Runtime optimised them: %s%n", qdqFused);
        System.out.printf("  integer kernel: %d layers, %d bit-exact; %d layers where ONNX Runtime's AMX kernel is wrong "
                + "in %d elements (simulator = DESIGN recipe there): %s%n", integer.size(), exact, defective.size(),
                defective.stream().mapToLong(LayerVerdict::ortDefects).sum(),
                defective.stream().map(v -> v.model() + "/" + v.tensor()).collect(Collectors.joining(", ")));
        System.out.printf("  float path (unfused QDQ, within ±1): %d layers, %d of %d elements differ (%.4f %%): %s%n",
                floatPath.size(), floatMismatches, floatElements, floatElements == 0 ? 0 : 100.0 * floatMismatches / floatElements,
                floatPath.stream().map(v -> v.model() + "/" + v.tensor()
                        + (v.mismatches() > 0 ? " (" + v.mismatches() + "/" + v.elements() + ")" : ""))
                        .collect(Collectors.joining(", ")));
        assertTrue(integer.size() >= 40, "integer-kernel layers: " + integer.size());
        assertTrue(floatPath.size() >= 2, "the catalogue has groups ONNX Runtime leaves unfused: " + floatPath.size());
    }
}
