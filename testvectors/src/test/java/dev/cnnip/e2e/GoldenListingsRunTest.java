package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramListing;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The compiler's golden listings ({@code compiler/src/test/resources/golden}, see the compiler's
 * {@code GoldenListingTest}) are known-good: each {@code NAME.onnx} there is compiled for {@code tiny}
 * with ort numerics, the program must be exactly the golden {@code NAME.tiny.lst}, and running it on the
 * emulator (overlapped, and serial as a cross-check; race-checked like every program the suite runs) must give ONNX Runtime's output bit-exactly on
 * uniform random uint8 inputs (integer kernels; differences only where {@link OrtComparison} shows
 * ONNX Runtime's own AMX defect).
 */
class GoldenListingsRunTest {
    private static final Path DIR = Path.of("..", "compiler", "src", "test", "resources", "golden");

    @TestFactory
    Stream<DynamicTest> goldenProgramsMatchOnnxRuntime() throws IOException {
        List<Path> models;
        try (Stream<Path> s = Files.list(DIR)) {
            models = s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        }
        assertFalse(models.isEmpty(), "no golden models in " + DIR.toAbsolutePath());
        return models.stream().map(f -> dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path onnx) throws IOException {
        String name = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        ModelProto model = OnnxModels.load(onnx);
        Program p = Compiler.compile(model, name, CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        String golden = Files.readString(DIR.resolve(name + ".tiny.lst"), StandardCharsets.UTF_8);
        assertEquals(golden, ProgramListing.instructions(p), name + ": the program is not the golden listing");
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Symbol s : p.symbols()) {
            if (s.kind() != SymbolKind.INPUT) continue;
            Tensor t = Tensor.zeros(s.dtype(), s.shape());
            for (int i = 0; i < t.size(); i++) t.setLong(i, s.dtype().min() + rnd.nextLong(s.dtype().max() - s.dtype().min() + 1));
            inputs.put(s.name(), t);
        }
        assertFalse(inputs.isEmpty());
        Machine m = Sim.run(p, inputs, false);
        Machine serial = Sim.run(p, inputs, true);
        List<LayerVerdict> verdicts = OrtComparison.compare(name, model, m, inputs);
        assertEquals(p.layers().size(), verdicts.size(), name + ": every layer compared");
        for (LayerVerdict v : verdicts) {
            assertTrue(v.integerKernel(), () -> v + ": ONNX Runtime runs an integer kernel for QOperator layers");
            assertEquals(0, v.unexplained(), v::toString);
            Tensor out = m.readSymbol(v.tensor());
            assertArrayEquals(out.data(), serial.readSymbol(v.tensor()).data(), name + ": serial and overlapped differ");
            CodeRange r = CodeRange.of(out);
            assertTrue(r.wellSpread(), () -> v + ": output codes " + r);
            System.out.printf("golden %s: layer %s %s, %d elements, %d differ from ONNX Runtime (%d shown ONNX Runtime defects)%n",
                    name, v.tensor(), v.op(), v.elements(), v.mismatches(), v.ortDefects());
        }
    }
}
