package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.Demo;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real networks in ort numerics: every layer equals ONNX Runtime's output exactly. */
class RealModelsTest {
    private static final long INPUT_SEED = 224;

    @ParameterizedTest
    @ValueSource(strings = {"v3u-like", "tiny"})
    void mobileNetV2Int8MatchesOnnxRuntimeInEveryLayer(String preset) {
        ModelProto model = OnnxModels.load(TestData.require("models/mobilenetv2-12-int8.onnx"));
        Program p = Compiler.compile(model, "mobilenetv2-12-int8", CompileOptions.of(HwConfig.preset(preset), Numerics.ORT));
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 224, 224);
        SplittableRandom rnd = new SplittableRandom(INPUT_SEED);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, InputSpec.gaussian(rnd));
        Map<String, Tensor> in = Map.of("input", x);
        Machine m = Sim.run(p, in, false);
        List<LayerMatch> layers = OrtReference.compareLayers(model, m, in);
        assertEquals(67, p.layers().size());
        assertEquals(67, layers.size(), "layers compared");
        assertEquals(List.of(), layers.stream().filter(l -> !l.exact()).toList(), "layers that differ");
        System.out.printf("mobilenetv2-12-int8 on %s: %d layers, all bit-exact with ONNX Runtime; %d instructions, "
                + "%d cycles%n", preset, layers.size(), p.instructionCount(), m.perfReport().totalCycles());
    }

    @Test
    void demoMatchesOnnxRuntimeInEveryLayer() {
        Demo.Report r = Demo.run(HwConfig.preset("v3u-like"), Numerics.ORT);
        assertEquals(r.program().layers().size(), r.layers().size(), "every layer compared");
        assertTrue(r.layers().size() >= 10);
        assertEquals(r.layers().size(), r.exactLayers(),
                () -> r.layers().stream().filter(l -> !l.exact()).map(String::valueOf).collect(Collectors.joining("\n")));
        System.out.printf("demo: %d layers, all bit-exact with ONNX Runtime; simulator top-1 %d, float top-1 %d%n",
                r.layers().size(), r.simTop1(), r.floatTop1());
    }
}
