package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * yunet-n-320-qdq-int8, a third-party QDQ model: compiled and simulated, every layer compared with ONNX
 * Runtime on the same model. ONNX Runtime leaves its int8-activation groups unfused on x86 (it runs them in
 * float between DequantizeLinear and QuantizeLinear), so a layer may differ from it by the rounding of a
 * float computation: every layer is within 1 LSB; the count of exact layers is printed.
 */
class YunetQdqTest {
    @Disabled("not met yet (issue 11): measured 1 of 86 layers bit-exact, 21 within 1 LSB; the first difference is "
            + "layer 3 (Conv '215_QuantizeLinear_Output', up to 4 codes), the worst 13 codes; kept as the reproducer")
    @Test
    void everyLayerWithinOneLsbOfOnnxRuntime() {
        ModelProto q = OnnxModels.load(TestData.require("models/yunet-n-320-qdq-int8.onnx"));
        Program p = Compiler.compile(q, "yunet", CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT));
        Random r = new Random(320);
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 320, 320);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextInt(256));
        Machine m = new Machine(p, SimOptions.defaults(), "yunet");
        m.writeInput(q.getGraph().getInput(0).getName(), x);
        m.run();
        List<LayerMatch> layers = OrtReference.compareLayers(q, m, Map.of(q.getGraph().getInput(0).getName(), x));
        long exact = layers.stream().filter(LayerMatch::exact).count();
        long within1 = layers.stream().filter(l -> l.within(1)).count();
        System.out.printf("yunet-n-320-qdq-int8: %d of %d layers bit-exact, %d within 1 LSB, worst %s%n", exact, layers.size(),
                within1, layers.stream().max((a, b) -> Double.compare(a.maxAbsDiff(), b.maxAbsDiff())).map(l -> l.name() + " ("
                        + l.op() + ") " + l.maxAbsDiff() + ", " + l.mismatches() + " of " + l.elements()).orElse("-"));
        for (LayerMatch l : layers) {
            assertTrue(l.within(1), "layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
    }
}
