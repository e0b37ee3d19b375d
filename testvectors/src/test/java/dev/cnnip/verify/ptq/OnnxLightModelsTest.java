package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ONNX model zoo's "light" float networks (constant weights, one test input each) quantized from
 * their own input, compiled and simulated: every layer equals ONNX Runtime on the quantized model.
 */
class OnnxLightModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"squeezenet", "resnet50", "inception_v2", "densenet121"})
    void everyLayerIsBitExact(String name) {
        Path dir = TestData.require("models/onnx-light/test_" + name);
        ModelProto f = OnnxModels.load(dir.resolve("model.onnx"));
        CalibrationData data = CalibrationData.open(dir, InputSpec.of(f), Preprocess.DEFAULT, 0);
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, data, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), name, CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT));
        Machine m = new Machine(p, SimOptions.defaults(), name);
        data.get(0).forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, data.get(0));
        long exact = layers.stream().filter(LayerMatch::exact).count();
        System.out.printf("%s: %d of %d layers bit-exact, %d cycles%n", name, exact, layers.size(), m.perfReport().totalCycles());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), name + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ")");
        }
    }
}
