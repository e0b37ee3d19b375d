package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.numerics.Quantize;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * QuantizeLinear runs, vector and scalar, against {@link Quantize#quantize} (the numerics contract)
 * element by element: ordinary values, exact ties of {@code x / scale}, values far outside the range,
 * ±infinity, NaN (the zero point), −0.0, 8- and 16-bit ranges, runs shorter and longer than a vector.
 */
class QuantKernelTest {
    @Test
    void runsEqualQuantize() {
        assertTrue(Kernels.vector(), "the tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(9);
        int[][] ranges = {{0, 255}, {-128, 127}, {-32768, 32767}, {0, 65535}};
        for (int k = 0; k < 1000; k++) {
            int n = r.nextInt(70);
            int[] range = ranges[k % ranges.length];
            int zp = range[0] + r.nextInt(range[1] - range[0] + 1);
            float scale = k % 50 == 7 ? 0f : (float) Math.pow(2, -10 + r.nextInt(12)) * (1 + r.nextFloat());
            ByteBuffer bb = ByteBuffer.allocate(4 * n + 8).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = switch (r.nextInt(12)) {
                    case 0 -> scale * (r.nextInt(400) - 200 + 0.5f);       // a tie (when exact)
                    case 1 -> Float.NaN;
                    case 2 -> r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    case 3 -> -0.0f;
                    case 4 -> (r.nextFloat() - 0.5f) * 1e30f;
                    default -> (r.nextFloat() - 0.5f) * 300 * scale;
                };
                bb.putFloat(4 + 4 * i, x[i]);
            }
            int[] q = new int[n + 2];
            int[] s = new int[n + 2];
            VectorQuantKernel.run(bb.array(), 4, n, scale, zp, range[0], range[1], q, 2);
            QuantKernel.scalar(bb.array(), 4, n, scale, zp, range[0], range[1], s, 2);
            for (int i = 0; i < n; i++) {
                int expected = Quantize.quantize(x[i], scale, zp, range[0], range[1]);
                assertEquals(expected, q[2 + i], "vector, run " + k + " element " + i + " x " + x[i] + " scale " + scale);
                assertEquals(expected, s[2 + i], "scalar, run " + k + " element " + i);
            }
        }
    }
}
