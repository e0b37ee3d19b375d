package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LRN quantized by cnnip (a DequantizeLinear → LRN → QuantizeLinear group, which ONNX Runtime runs in float),
 * compiled for {@code tiny} (many pixel chunks) and simulated: every layer, both LRNs included, must equal
 * ONNX Runtime on the QDQ model, with 8-bit activations of both signs and with a 16-bit LRN output. One LRN has AlexNet's attributes (size 5, alpha 1e-4, beta 0.75), the
 * other a strong normalisation (size 3, alpha 1, beta 0.6, bias 2) over 40 channels, so the running
 * window sum and the power both matter. ONNX Runtime's Eigen float pow may differ by one ulp from
 * cnnip's, which could move a code by 1 LSB at a rounding boundary; on these data none does.
 */
class PtqLrnTest {
    private static Tensor random(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextGaussian() * scale);
        return t;
    }

    private static ModelProto model() {
        Random r = new Random(7);
        OnnxBuilder b = new OnnxBuilder("lrn").opset("", 13).input("x", DType.FLOAT32, 1, 3, 20, 18)
                .initializer("w1", random(r, 0.5, 24, 3, 3, 3)).initializer("w2", random(r, 0.3, 40, 24, 3, 3));
        b.node("Conv", List.of("x", "w1"), List.of("c1"), n -> n.ints("pads", 1, 1, 1, 1));
        b.node("Relu", List.of("c1"), List.of("r1"));
        b.node("LRN", List.of("r1"), List.of("n1"), n -> n.i("size", 5).f("alpha", 1e-4f).f("beta", 0.75f));
        b.node("Conv", List.of("n1", "w2"), List.of("c2"), n -> n.ints("strides", 2, 2));
        b.node("LRN", List.of("c2"), List.of("y"), n -> n.i("size", 3).f("alpha", 1f).f("beta", 0.6f).f("bias", 2f));
        b.output("y", DType.FLOAT32, 1, 40, 9, 8);
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uint8", "int8", "uint8, 16-bit LRN output"})
    void lrnMatchesOnnxRuntimeOnTheQdqModel(String act) {
        DType t = act.startsWith("uint8") ? DType.UINT8 : DType.INT8;
        Random r = new Random(11);
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Map.of("x", random(r, 1, 1, 3, 20, 18)));
        QdqQuantizer.Options o = QdqQuantizer.Options.defaults().withActivationType(t);
        // the first LRN's output in 16 bits (pp.lrn reads u8 and writes u16; the next Conv reads an 8-bit requantized copy)
        if (act.contains("16-bit")) o = o.with16Bit(java.util.Set.of("n1"), java.util.Set.of());
        QdqQuantizer.Result q = QdqQuantizer.quantize(model(), calib, o, null);
        Program p = Compiler.compile(q.model(), "lrn", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Map<String, Tensor> x = Map.of("x", random(new Random(5), 1, 1, 3, 20, 18));
        Machine m = new Machine(p, SimOptions.defaults(), "lrn");
        x.forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        // int8 activations: compare with the graph ONNX Runtime executes (probing its int8 tensors would change
        // which groups it fuses; see OrtReference.compareLayersAsExecuted)
        List<LayerMatch> layers = t == DType.INT8
                ? OrtReference.compareLayersAsExecuted(q.model(), m, x).stream().map(dev.cnnip.verify.OrtLayerMatch::match).toList()
                : OrtReference.compareLayers(q.model(), m, x);
        assertEquals(2, layers.stream().filter(l -> l.op().equals("LRN")).count(), layers.toString());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), act + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
    }
}
