package dev.cnnip.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.CalibrationDataException;
import dev.cnnip.compiler.calib.CalibrationMethod;
import dev.cnnip.compiler.calib.CalibrationOptions;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.compiler.calib.TensorRange;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorTest {
    @TempDir
    Path dir;

    /** y = Relu(x · 2), with s = Sqrt(x) as a second output. */
    private static ModelProto model() {
        return new OnnxBuilder("calib").opset("", 13)
                .input("x", DType.FLOAT32, 1, 1, 2, 2)
                .initializer("two", Tensor.ofFloats(new int[] {}, 2f))
                .node("Mul", List.of("x", "two"), List.of("m"))
                .node("Relu", List.of("m"), List.of("y"))
                .node("Sqrt", List.of("x"), List.of("s"))
                .output("y", DType.FLOAT32, 1, 1, 2, 2)
                .output("s", DType.FLOAT32, 1, 1, 2, 2)
                .build();
    }

    /** 10 items; item k holds k − 3, k − 2, k − 1, k (values −3 .. 9). */
    private CalibrationData data() throws IOException {
        Tensor t = Tensor.zeros(DType.FLOAT32, 10, 1, 2, 2);
        for (int k = 0; k < 10; k++) {
            for (int e = 0; e < 4; e++) t.setDouble(4 * k + e, k - 3 + e);
        }
        Path p = dir.resolve("x.npy");
        Npy.write(p, t);
        return CalibrationData.open(p, InputSpec.of(model()), Preprocess.DEFAULT, 0);
    }

    /** Counts what a progress bar would show. */
    private static final class Counting implements ProgressReporter {
        final AtomicLong total = new AtomicLong();
        final AtomicLong steps = new AtomicLong();
        final AtomicLong closed = new AtomicLong();

        @Override
        public Progress start(String task, long n) {
            total.set(n);
            return new Progress() {
                @Override
                public void step() {
                    steps.incrementAndGet();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    @Test
    void minmaxRangesOfInputsAndIntermediates() throws IOException {
        Counting progress = new Counting();
        Map<String, TensorRange> r = Calibrator.calibrate(model(), List.of("x", "m", "y"), data(), CalibrationOptions.defaults(), progress);
        assertEquals(List.of("x", "m", "y"), List.copyOf(r.keySet()));
        assertRange(r.get("x"), -3, 9);
        assertRange(r.get("m"), -6, 18);
        assertRange(r.get("y"), 0, 18);
        assertEquals(40, r.get("y").count());
        assertEquals(0.0, r.get("m").clippedFraction());
        assertEquals(10, progress.total.get());
        assertEquals(10, progress.steps.get());
        assertEquals(1, progress.closed.get());
    }

    private static void assertRange(TensorRange r, float min, float max) {
        assertEquals(min, r.min(), r.toString());
        assertEquals(max, r.max(), r.toString());
    }

    @Test
    void minMaxEntryPointStillAgrees() throws IOException {
        List<Integer> done = new ArrayList<>();
        Map<String, RangeStats> s = Calibrator.minMax(model(), List.of("m", "y"), data(), done::add);
        assertEquals(-6f, s.get("m").min());
        assertEquals(18f, s.get("y").max());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), done);
    }

    @Test
    void percentileClipsTheTopValues() throws IOException {
        // 40 values of m: -6 .. 18 in steps of 2, 99 % keeps all but at most 0.5 % (0.2 values) a side: nothing clipped
        Map<String, TensorRange> all = Calibrator.calibrate(model(), List.of("m"), data(), CalibrationOptions.parse("percentile=99"), ProgressReporter.NONE);
        assertRange(all.get("m"), -6, 18);
        // m takes -6, -4, -2 .. 14, 16, 18 once, twice, three times .. three times, twice, once.
        // 85 % allows 3 values a side: -6 and the two -4 go, 18 and the two 16 go.
        Map<String, TensorRange> r = Calibrator.calibrate(model(), List.of("m"), data(), CalibrationOptions.parse("percentile=85"), ProgressReporter.NONE);
        TensorRange m = r.get("m");
        // the range runs from the lower edge of the first kept bin (holding -2) to the upper edge of the last (holding 14)
        assertTrue(m.min() > -2.01f && m.min() <= -2f && m.max() >= 14f && m.max() < 14.01f, m.toString());
        assertEquals(6 / 40.0, m.clippedFraction(), 1e-12);
        assertEquals(CalibrationMethod.PERCENTILE, m.method());
    }

    @Test
    void nanInsideTheModelNamesItemFileAndTensor() throws IOException {
        CalibrationDataException e = assertThrows(CalibrationDataException.class,
                () -> Calibrator.calibrate(model(), List.of("s"), data(), CalibrationOptions.defaults(), ProgressReporter.NONE));
        assertEquals("calibration item 0 (" + dir.resolve("x.npy") + " item 0), tensor 's': element 0 (index [0, 0, 0, 0]) is NaN",
                e.getMessage());
        assertEquals("no calibration data", assertThrows(CalibrationDataException.class,
                () -> Calibrator.calibrate(model(), List.of("s"), List.of(), CalibrationOptions.defaults(), ProgressReporter.NONE)).getMessage());
    }

    @Test
    void progressBarRendersItemsRateAndTimeLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter.Progress p = ProgressReporter.bar(out).start("Calibrating", 3)) {
            p.step();
            p.step();
            p.step();
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Calibrating") && shown.contains("3/3 items") && shown.contains("items/s"), shown);
    }

    @Test
    void mnistWithTheThreeMethods() {
        ModelProto mnist = OnnxModels.load(TestData.require("models/mnist-8.onnx"));
        CalibrationData digits = CalibrationData.open(TestData.require("digits/mnist-1000-images.npy"), InputSpec.of(mnist), Preprocess.DEFAULT, 100);
        List<String> tensors = new ArrayList<>();
        for (NodeProto n : mnist.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Reshape") && !n.getOpType().equals("Constant")) tensors.add(n.getOutput(0));
        }
        Map<String, TensorRange> minmax = Calibrator.calibrate(mnist, tensors, digits, CalibrationOptions.defaults(), ProgressReporter.NONE);
        Map<String, TensorRange> pct = Calibrator.calibrate(mnist, tensors, digits, CalibrationOptions.parse("percentile=99.99"), ProgressReporter.NONE);
        Map<String, TensorRange> ent = Calibrator.calibrate(mnist, tensors, digits, CalibrationOptions.parse("entropy"), ProgressReporter.NONE);
        for (String t : tensors) {
            TensorRange a = minmax.get(t);
            TensorRange p = pct.get(t);
            TensorRange e = ent.get(t);
            System.out.printf("mnist %-22s n=%-7d minmax [%9.4f, %9.4f]  p99.99 [%9.4f, %9.4f] %.4f%%  entropy [%9.4f, %9.4f] %.4f%%%n",
                    t, a.count(), a.min(), a.max(), p.min(), p.max(), 100 * p.clippedFraction(), e.min(), e.max(), 100 * e.clippedFraction());
            assertEquals(a.min(), p.observedMin());
            assertEquals(a.max(), e.observedMax());
            assertTrue(p.min() >= a.min() && p.max() <= a.max() && e.min() >= a.min() && e.max() <= a.max(), t);
            assertTrue(p.clippedFraction() <= 1e-4, p.toString());
            // entropy clips more where conv outputs carry per-channel bias spikes (Plus30: 3.7 %, checked against
            // an independent numpy implementation of the same search); never a large share
            assertTrue(e.clippedFraction() < 0.05, e.toString());
        }
    }
}
