package dev.cnnip.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.numerics.Lrn;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Lrn#apply} (what {@code pp.lrn} computes before QuantizeLinear) against ONNX Runtime's float LRN
 * kernel on dequantized-like inputs: most elements exactly equal (which needs ONNX Runtime's running window
 * sum; a direct sum per channel rounds differently), the others within two float ulps: ONNX Runtime's Eigen
 * float pow is not correctly rounded (cnnip's float64 pow rounded once is), and one ulp of pow can become two
 * in the product {@code x · pow} when it crosses a binade.
 */
class LrnFloatRecipeTest {
    @Test
    void matchesOnnxRuntimesFloatLrnWithinTwoUlps() {
        int c = 64;
        int h = 12;
        int w = 11;
        float[][] attrs = {{5, 1e-4f, 0.75f, 1f}, {3, 0.5f, 0.6f, 2f}, {7, 2f, 0.9f, 0.5f}};
        for (float[] a : attrs) {
            int size = (int) a[0];
            ModelProto m = new OnnxBuilder("lrn").opset("", 13).input("x", DType.FLOAT32, 1, c, h, w)
                    .node("LRN", List.of("x"), List.of("y"), n -> n.i("size", size).f("alpha", a[1]).f("beta", a[2]).f("bias", a[3]))
                    .output("y", DType.FLOAT32, 1, c, h, w).build();
            Random r = new Random(size);
            Tensor x = Tensor.zeros(DType.FLOAT32, 1, c, h, w);
            float xs = 0.0371f;
            for (int i = 0; i < x.size(); i++) x.setDouble(i, (float) (r.nextInt(256) - 20) * xs); // dequantized codes
            Tensor want;
            try (OrtRunner ort = OrtRunner.create(m, OrtOptions.defaults())) {
                want = ort.run(Map.of("x", x)).get("y");
            }
            float[] px = new float[c];
            float[] py = new float[c];
            float[] ps = new float[c + size - 1];
            long exact = 0;
            long maxUlps = 0;
            for (int p = 0; p < h * w; p++) {
                for (int ch = 0; ch < c; ch++) px[ch] = x.getFloat(ch * h * w + p);
                Lrn.apply(px, py, c, size, a[1] / (float) size, a[2], a[3], ps);
                for (int ch = 0; ch < c; ch++) {
                    float o = want.getFloat(ch * h * w + p);
                    long ulps = Math.abs((long) Float.floatToIntBits(py[ch]) - Float.floatToIntBits(o));
                    if (ulps == 0) exact++;
                    maxUlps = Math.max(maxUlps, ulps);
                }
            }
            long n = (long) c * h * w;
            System.out.printf("LRN size %d alpha %s beta %s bias %s: %d of %d floats equal ONNX Runtime's, at most %d ulp apart%n", size,
                    a[1], a[2], a[3], exact, n, maxUlps);
            assertTrue(maxUlps <= 2, "size " + size + ": " + maxUlps + " ulps");
            assertTrue(exact > n / 2, "size " + size + ": only " + exact + " of " + n + " exact");
        }
    }
}
