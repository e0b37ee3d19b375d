package dev.cnnip.verify.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mnist-8: calibrated on one digit class, or compared on inputs scaled to a tenth, the damaged layers are
 * {@code calibration}; calibrated on all classes, every layer is {@code ok}.
 */
class MnistCompareTest {
    private static ModelProto model;
    private static List<Map<String, Tensor>> all = new ArrayList<>();
    private static long[] labels;

    @BeforeAll
    static void load() throws IOException {
        model = OnnxModels.load(TestData.require("models/mnist-8.onnx"));
        Tensor x = Npy.read(TestData.require("digits/mnist-1000-images.npy"));
        labels = Npy.read(TestData.require("digits/mnist-1000-labels.npy")).toLongArray();
        int per = 28 * 28 * 4;
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[per];
            System.arraycopy(x.data(), i * per, b, 0, per);
            all.add(Map.of("Input3", new Tensor(dev.cnnip.tensor.DType.FLOAT32, new int[] {1, 1, 28, 28}, b)));
        }
    }

    private static CompareReport compare(List<Map<String, Tensor>> calib, List<Map<String, Tensor>> items) {
        QdqQuantizer.Result q = QdqQuantizer.quantize(model, calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), "mnist", CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT));
        return QuantCompare.run(p, "mnist.cnnip", model, "mnist-8.onnx", items,
                QuantCompare.Options.defaults().withQuantizedModel(q.model()));
    }

    @Test
    void oneDigitClassCalibratesTooNarrowARangeForTheLogits() {
        List<Map<String, Tensor>> ones = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) if (labels[i] == 1) ones.add(all.get(i));
        CompareReport r = compare(ones, all.subList(100, 140));
        LayerView logits = r.layer("Plus214_Output_0").orElseThrow();
        assertEquals(Diagnosis.CALIBRATION, logits.diagnosis(), CompareText.write(r));
        assertTrue(logits.saturated() > 0.01 && logits.reason().contains("saturate"), logits.reason());
        assertTrue(r.flagged().stream().allMatch(v -> v.diagnosis() == Diagnosis.CALIBRATION), CompareText.write(r));
        assertTrue(r.layers().stream().allMatch(v -> Boolean.TRUE.equals(v.bitExact())));
    }

    @Test
    void inputsScaledToATenthUseLittleOfTheRange() {
        List<Map<String, Tensor>> tenth = new ArrayList<>();
        for (Map<String, Tensor> item : all.subList(100, 140)) {
            Tensor t = item.get("Input3").copy();
            for (int i = 0; i < t.size(); i++) t.setDouble(i, t.getFloat(i) * 0.1f);
            tenth.add(Map.of("Input3", t));
        }
        CompareReport r = compare(all.subList(0, 100), tenth);
        assertTrue(r.flagged().size() >= 3, CompareText.write(r));
        assertTrue(r.flagged().stream().allMatch(v -> v.diagnosis() == Diagnosis.CALIBRATION), CompareText.write(r));
        assertTrue(r.flagged().get(0).reason().contains("of the calibrated range"), r.flagged().get(0).reason());
    }

    @Test
    void allClassesCalibrateWell() {
        CompareReport r = compare(all.subList(0, 100), all.subList(100, 140));
        assertEquals(List.of(), r.flagged(), CompareText.write(r));
        assertTrue(r.output().figures().sqnrDb() > 30, CompareText.write(r));
    }
}
