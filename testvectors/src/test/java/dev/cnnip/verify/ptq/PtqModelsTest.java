package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.ImageTensors;
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
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.EvalLabels;
import dev.cnnip.verify.Evaluation;
import dev.cnnip.verify.Evaluator;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Post-training quantization of the real float models: accuracy on the simulator, faces still found,
 * and every 8-bit layer bit-exact with ONNX Runtime running the quantized (QDQ) model.
 */
class PtqModelsTest {
    private static final HwConfig HW = HwConfig.preset("v3u-like");

    private static Machine run(Program p, Map<String, Tensor> in) {
        Machine m = new Machine(p, SimOptions.defaults(), p.modelName());
        in.forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        return m;
    }

    private static void assertEightBitLayersExact(ModelProto q, Machine m, Map<String, Tensor> in, String what) {
        List<LayerMatch> layers = OrtReference.compareLayers(q, m, in);
        long exact = layers.stream().filter(LayerMatch::exact).count();
        System.out.printf("%s: %d of %d layers bit-exact with ONNX Runtime%n", what, exact, layers.size());
        for (LayerMatch l : layers) {
            if (l.dtype().size() == 1 || l.dtype() == DType.FLOAT32) {
                assertTrue(l.exact(), what + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + "): " + l.mismatches()
                        + " of " + l.elements() + " differ");
            }
        }
    }

    @Test
    void mnistFromHundredDigitsKeepsItsAccuracyOnTheSimulator() throws IOException {
        Path modelFile = TestData.require("models/mnist-8.onnx");
        Path images = TestData.require("digits/mnist-1000-images.npy");
        Path labelFile = TestData.require("digits/mnist-1000-labels.npy");
        ModelProto f = OnnxModels.load(modelFile);
        CalibrationData calib = CalibrationData.open(images, InputSpec.of(f), Preprocess.DEFAULT, 100);
        assertEquals(100, calib.size());
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), "mnist-8", CompileOptions.of(HW, Numerics.ORT));
        assertEightBitLayersExact(q.model(), run(p, calib.get(0)), calib.get(0), "mnist-8");
        Tensor all = Npy.read(images);
        EvalBatch batch = EvalBatch.of(images.toString(), all, "Input3", DType.FLOAT32, new int[] {1, 1, 28, 28});
        EvalLabels labels = EvalLabels.of(labelFile.toString(), Npy.read(labelFile), batch.size(), images.toString());
        Evaluation e;
        try (OrtRunner ref = OrtRunner.create(f, OrtOptions.defaults())) {
            e = Evaluator.evaluate(p, "mnist-8", batch, labels, Evaluator.Options.defaults().withThreads(2),
                    new Evaluator.ReferenceModel("mnist-8.onnx (float)", ref));
        }
        double iss = 100.0 * e.iss().top1() / e.items();
        double flt = 100.0 * e.reference().orElseThrow().score().top1() / e.items();
        System.out.printf("mnist-8: ISS top-1 %.1f %% vs float %.1f %% on %d digits, agreement %d%n", iss, flt, e.items(),
                e.reference().orElseThrow().agreeing());
        assertEquals(1000, e.items());
        assertEquals(99.4, flt, 1e-9, "the float model's published accuracy");
        assertTrue(iss >= flt - 0.5, "quantized top-1 " + iss + " within 0.5 points of " + flt);
    }

    private static void checkFaceDetector(String model, String spec, Function<Map<String, Tensor>, Double> score)
            throws IOException {
        ModelProto f = OnnxModels.load(TestData.require("models/" + model));
        Path photos = TestData.require("images");
        Preprocess pp = Preprocess.parse(spec);
        CalibrationData calib = CalibrationData.open(photos, InputSpec.of(f), pp, 0);
        assertEquals(4, calib.size(), "a handful of photos");
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), model, CompileOptions.of(HW, Numerics.ORT));
        InputSpec in = InputSpec.of(f).values().iterator().next();
        try (OrtRunner flt = OrtRunner.create(f, OrtOptions.defaults())) {
            for (String photo : new String[] {"astronaut", "coffee"}) {
                Map<String, Tensor> x = Map.of(in.name(), ImageTensors.load(photos.resolve(photo + ".png"), pp, in));
                Machine m = run(p, x);
                double s = score.apply(m.outputs());
                double r = score.apply(flt.run(x));
                System.out.printf("%s on %s: ISS face score %.4f, float %.4f%n", model, photo, s, r);
                if (photo.equals("astronaut")) {
                    assertTrue(Math.abs(s - r) <= 0.05, "face score " + s + " within 0.05 of " + r);
                    assertTrue(s > 0.6, "the face is found");
                    assertEightBitLayersExact(q.model(), m, x, model);
                } else {
                    assertTrue(s < 0.6, "no face on coffee: " + s);
                }
            }
        }
    }

    @Test
    void yunetStillFindsTheFace() throws IOException {
        checkFaceDetector("yunet-n-320-float.onnx", "resize=320x320,bgr,mean=0,std=1", FaceScore::yunet);
    }

    @Test
    void ultrafaceStillFindsTheFace() throws IOException {
        checkFaceDetector("ultraface-rfb-320-simplified.onnx", "resize=320x240,rgb,mean=127,std=128", FaceScore::ultraface);
    }

    @Test
    void sixteenBitLayerIsWithinOneLsbAndTheRestExact() throws IOException {
        ModelProto f = OnnxModels.load(TestData.require("models/mnist-8.onnx"));
        CalibrationData calib = CalibrationData.open(TestData.require("digits/mnist-1000-images.npy"), InputSpec.of(f),
                Preprocess.DEFAULT, 100);
        QdqQuantizer.Options opts = QdqQuantizer.Options.defaults().with16Bit(Set.of("Convolution110"), Set.of("Convolution110"));
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, opts, null);
        Program p = Compiler.compile(q.model(), "mnist-8-16", CompileOptions.of(HW, Numerics.ORT));
        long wide = 0;
        long wideElements = 0;
        long wideMismatch = 0;
        for (int item = 0; item < 10; item++) {
            Map<String, Tensor> x = calib.get(item);
            for (LayerMatch l : OrtReference.compareLayers(q.model(), run(p, x), x)) {
                if (l.dtype().size() == 2) {
                    wide++;
                    wideElements += l.elements();
                    wideMismatch += l.mismatches();
                    assertTrue(l.within(1), "16-bit layer '" + l.name() + "' within 1 LSB: max " + l.maxAbsDiff());
                } else {
                    assertTrue(l.exact(), "8-bit layer '" + l.name() + "': " + l.mismatches() + " differ");
                }
            }
        }
        System.out.printf("mnist-8 with a 16-bit conv: %d 16-bit layer outputs, %d of %d elements differ by 1 LSB (%.4f %%)%n",
                wide, wideMismatch, wideElements, 100.0 * wideMismatch / wideElements);
        assertTrue(wide >= 10);
    }
}
