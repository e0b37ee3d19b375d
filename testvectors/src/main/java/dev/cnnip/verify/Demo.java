package dev.cnnip.verify;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end demo: the embedded CNN ({@link DemoModel}) is quantized from generated calibration
 * images, compiled, run on the simulator on a further generated image, and every layer's output is
 * compared with ONNX Runtime running the quantized model.
 */
public final class Demo {
    /** Seed of the demo network's weights. */
    public static final long MODEL_SEED = 1;
    /** Seed of the calibration images; the evaluated image uses the next seed. */
    public static final long DATA_SEED = 2026;
    /** Calibration images. */
    public static final int CALIBRATION_ITEMS = 8;

    private Demo() {}

    /**
     * @param program     the compiled program
     * @param layers      per-layer comparison with ONNX Runtime
     * @param perf        the simulator's performance report
     * @param simTop1     arg-max class of the dequantized logits on the simulator
     * @param floatTop1   arg-max class of the float model in ONNX Runtime on the same image
     */
    public record Report(Program program, List<LayerMatch> layers, PerfReport perf, int simTop1, int floatTop1,
                         long calibrationItems) {
        public long exactLayers() {
            return layers.stream().filter(LayerMatch::exact).count();
        }
    }

    public static Report run(HwConfig hw, Numerics numerics) {
        ModelProto floatModel = DemoModel.build(MODEL_SEED);
        List<Map<String, Tensor>> calib = DemoModel.inputs(DATA_SEED, CALIBRATION_ITEMS);
        QdqQuantizer.Result q = QdqQuantizer.quantize(floatModel, calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), "cnnip-demo", CompileOptions.of(hw, numerics));
        Map<String, Tensor> input = DemoModel.inputs(DATA_SEED + 1, 1).get(0);
        Machine m = new Machine(p, SimOptions.defaults(), "demo");
        input.forEach(m::writeInput);
        m.run();
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, input);
        Tensor logits = m.outputs().get(DemoModel.OUTPUT);
        Tensor floatLogits;
        try (OrtRunner ort = OrtRunner.create(floatModel, OrtOptions.defaults())) {
            floatLogits = ort.run(input).get(DemoModel.OUTPUT);
        }
        return new Report(p, layers, m.perfReport(), argmax(logits), argmax(floatLogits), calib.size());
    }

    static int argmax(Tensor t) {
        int best = 0;
        for (int i = 1; i < t.size(); i++) if (t.getDouble(i) > t.getDouble(best)) best = i;
        return best;
    }
}
