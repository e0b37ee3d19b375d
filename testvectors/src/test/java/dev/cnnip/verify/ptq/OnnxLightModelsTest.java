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
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ONNX model zoo's "light" float networks (constant weights, one test input each) quantized from
 * their own input, compiled and simulated: every layer equals ONNX Runtime on the quantized model, and the
 * output's SQNR against the float model (ONNX Runtime) is printed. (These "light" models have degenerate weights:
 * the float output is 0.001 for every class, below half a step of the Softmax output's fixed 1/256 scale, so
 * the quantized output is 0 and the SQNR about 0 dB, in ONNX Runtime's QDQ run as well. vgg19 also compiles and
 * is bit-exact, 28 of 28 layers, but simulates for about two minutes, so it is not run here.)
 */
class OnnxLightModelsTest {
    /** Signal-to-quantization-noise ratio of {@code got} against {@code ref}: 10 log10(sum ref^2 / sum (ref - got)^2). */
    static double sqnrDb(Tensor ref, Tensor got) {
        double sig = 0;
        double noise = 0;
        for (int i = 0; i < ref.size(); i++) {
            double r = ref.getDouble(i);
            double d = r - got.getDouble(i);
            sig += r * r;
            noise += d * d;
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sig / noise);
    }

    @ParameterizedTest
    @ValueSource(strings = {"squeezenet", "resnet50", "inception_v2", "densenet121", "shufflenet"})
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
        double sqnr;
        try (OrtRunner ort = OrtRunner.create(f, OrtOptions.defaults())) {
            Map<String, Tensor> want = ort.run(data.get(0));
            String out = ort.outputNames().get(0);
            sqnr = sqnrDb(want.get(out), m.outputs().get(out));
        }
        System.out.printf("%s: %d of %d layers bit-exact, output SQNR %.1f dB against the float model, %d cycles%n", name, exact,
                layers.size(), sqnr, m.perfReport().totalCycles());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), name + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ")");
        }
    }
}
