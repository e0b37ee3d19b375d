package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.numerics.Requant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The requantization row kernels, scalar and vector, against {@link Requant#ort} (the numerics contract's
 * reference, a long/float/rint evaluation) element by element: random accumulators and multipliers, exact
 * ties (x.5 products, which rint rounds to even), clamping at both ends, 8-, 16- and 32-bit output ranges,
 * wrapping bias sums, products that overflow to infinity or are −0, and rows shorter and longer than a vector.
 */
class RequantKernelTest {
    @Test
    void rowsEqualRequantOrt() {
        Random r = new Random(5);
        int[][] ranges = {{0, 255}, {-128, 127}, {-32768, 32767}, {0, 65535}, {Integer.MIN_VALUE, Integer.MAX_VALUE}};
        for (int n = 0; n < 400; n++) {
            int c = 1 + r.nextInt(100);
            int[] range = ranges[n % ranges.length];
            int ozp = range[0] == 0 && range[1] == 255 ? r.nextInt(256) : 0;
            int[] acc = new int[c];
            int[] bias = new int[c];
            int[] mult = new int[c];
            for (int i = 0; i < c; i++) {
                boolean tie = r.nextInt(4) == 0;
                acc[i] = tie ? 2 * r.nextInt(2000) + 1 - 2000 : n % 7 == 6 ? r.nextInt() : r.nextInt(200001) - 100000;
                bias[i] = tie ? 0 : n % 7 == 6 ? r.nextInt() : r.nextInt(2001) - 1000;
                float m = tie ? 0.5f : (float) Math.pow(2, -4 - r.nextInt(14)) * (1 + r.nextFloat());
                mult[i] = Float.floatToIntBits(m);
            }
            int[] q = new int[c + 3];
            RequantKernel.ortRow(acc, bias, mult, c, ozp, range[0], range[1], q, 3);
            for (int i = 0; i < c; i++) {
                int expected = Requant.ort(acc[i] + bias[i], Float.intBitsToFloat(mult[i]), ozp, range[0], range[1]);
                assertEquals(expected, q[3 + i], "row " + n + " channel " + i + " acc " + acc[i] + " bias " + bias[i]);
            }
        }
    }

    @Test
    void vectorRowsEqualRequantOrt() {
        assertTrue(Kernels.vector(), "the tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(17);
        int[][] ranges = {{0, 255}, {-128, 127}, {-32768, 32767}, {0, 65535}, {-127, 127}};
        for (int n = 0; n < 2000; n++) {
            int c = 1 + r.nextInt(80);
            int[] range = ranges[n % ranges.length];
            int ozp = range[1] - range[0] <= 255 ? range[0] + r.nextInt(256) : r.nextInt(101) - 50;
            int[] acc = new int[c];
            int[] bias = new int[c];
            int[] mult = new int[c];
            for (int i = 0; i < c; i++) {
                int kind = r.nextInt(8);
                acc[i] = switch (kind) {
                    case 0 -> 2 * r.nextInt(2000) + 1 - 2000;                  // with m = 0.5: a tie
                    case 1, 2 -> r.nextInt();                                    // wraps with the bias
                    case 3 -> 0;                                                 // 0 · negative m = −0.0
                    default -> r.nextInt(2000001) - 1000000;
                };
                bias[i] = kind == 0 || kind == 3 ? 0 : kind == 1 ? r.nextInt() : r.nextInt(20001) - 10000;
                float m = switch (kind) {
                    case 0 -> 0.5f;
                    case 3 -> -0.25f;
                    case 4 -> Float.MAX_VALUE / (1 + r.nextInt(4));             // overflows to ±infinity
                    case 5 -> Float.intBitsToFloat(r.nextInt(0x7f800000));      // any finite positive float
                    default -> (float) Math.pow(2, -4 - r.nextInt(20)) * (1 + r.nextFloat()) * (r.nextInt(9) == 0 ? -1 : 1);
                };
                mult[i] = Float.floatToIntBits(m);
            }
            assertTrue(RequantKernel.vectorizable(mult, c, ozp, range[0], range[1]));
            int[] q = new int[c + 5];
            VectorRequantKernel.ortRow(acc, bias, mult, c, ozp, range[0], range[1], q, 5);
            for (int i = 0; i < c; i++) {
                int expected = Requant.ort(acc[i] + bias[i], Float.intBitsToFloat(mult[i]), ozp, range[0], range[1]);
                assertEquals(expected, q[5 + i], "row " + n + " channel " + i + " acc " + acc[i] + " bias " + bias[i]
                        + " mult " + Float.intBitsToFloat(mult[i]));
            }
        }
    }

    @Test
    void rowsTheVectorKernelCannotRoundStayScalar() {
        int[] finite = {Float.floatToIntBits(0.5f), Float.floatToIntBits(2f)};
        assertTrue(RequantKernel.vectorizable(finite, 2, 0, 0, 255));
        assertFalse(RequantKernel.vectorizable(finite, 2, 0, Integer.MIN_VALUE, Integer.MAX_VALUE), "32-bit range");
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            int[] m = {Float.floatToIntBits(0.5f), Float.floatToIntBits(bad)};
            assertFalse(RequantKernel.vectorizable(m, 2, 0, 0, 255), "multiplier " + bad);
            int[] q = new int[2];
            RequantKernel.ort(false, new int[] {3, 0}, new int[2], m, 2, 7, 0, 255, q, 0);
            assertEquals(Requant.ort(0, bad, 7, 0, 255), q[1], "scalar row with multiplier " + bad);
        }
    }

    @Test
    void flatTilesEqualRequantOrt() {
        Random r = new Random(23);
        for (int k = 0; k < 300; k++) {
            int c = 1 + r.nextInt(100);
            int n = 1 + r.nextInt(9);
            int ozp = r.nextInt(256);
            int[] bias = new int[c];
            int[] mult = new int[c];
            for (int i = 0; i < c; i++) {
                bias[i] = r.nextInt(20001) - 10000;
                mult[i] = Float.floatToIntBits((float) Math.pow(2, -4 - r.nextInt(14)) * (1 + r.nextFloat()));
            }
            int period = RequantKernel.flatPeriod(c);
            assertEquals(0, period % c);
            int[] b = new int[period];
            int[] m = new int[period];
            for (int i = 0; i < period; i++) {
                b[i] = bias[i % c];
                m[i] = mult[i % c];
            }
            int[] acc = new int[n * c];
            for (int i = 0; i < acc.length; i++) acc[i] = r.nextInt(400001) - 200000;
            int[] q = new int[n * c];
            RequantKernel.ortFlat(acc, n * c, b, m, period, ozp, 0, 255, q);
            for (int i = 0; i < n * c; i++) {
                int ch = i % c;
                assertEquals(Requant.ort(acc[i] + bias[ch], Float.intBitsToFloat(mult[ch]), ozp, 0, 255), q[i],
                        "tile " + k + " element " + i + " (c = " + c + ")");
            }
        }
    }

    /**
     * The fused SRAM-to-SRAM 8-bit pass against {@link Requant#ort} on little-endian accumulators: signed and
     * unsigned 8-bit ranges, ties, wrapping sums, clamping at both ends, tiles shorter and longer than a vector,
     * outputs disjoint from, after, and on top of (in place, and a few bytes before) the accumulators.
     */
    @Test
    void fused8BitTilesEqualRequantOrt() {
        assertTrue(Kernels.vector(), "the tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(29);
        int[][] ranges = {{0, 255}, {-128, 127}, {-127, 127}};
        for (int k = 0; k < 600; k++) {
            int c = 1 + r.nextInt(100);
            int total = c * (1 + r.nextInt(9));
            int[] range = ranges[k % ranges.length];
            int ozp = range[0] + r.nextInt(256);
            int[] bias = new int[c];
            int[] mult = new int[c];
            for (int i = 0; i < c; i++) {
                bias[i] = k % 5 == 4 ? r.nextInt() : r.nextInt(20001) - 10000;
                float m = r.nextInt(6) == 0 ? 0.5f : (float) Math.pow(2, -4 - r.nextInt(14)) * (1 + r.nextFloat());
                mult[i] = Float.floatToIntBits(r.nextInt(10) == 0 ? -m : m);
            }
            int period = RequantKernel.flatPeriod(c);
            int[] b = new int[period];
            int[] m = new int[period];
            for (int i = 0; i < period; i++) {
                b[i] = bias[i % c];
                m[i] = mult[i % c];
            }
            int[] acc = new int[total];
            for (int i = 0; i < total; i++) {
                acc[i] = switch (r.nextInt(6)) {
                    case 0 -> 2 * r.nextInt(2000) + 1 - 2000;
                    case 1 -> r.nextInt();
                    case 2 -> r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                    default -> r.nextInt(400001) - 200000;
                };
            }
            int accAt = 64 + r.nextInt(16);
            // Outputs: disjoint after, disjoint before, in place, or a few bytes before the accumulators.
            int outAt = switch (k % 4) {
                case 0 -> accAt + 4 * total + r.nextInt(8);
                case 1 -> 0;
                case 2 -> accAt;
                default -> accAt - 1 - r.nextInt(40);
            };
            assertTrue(RequantKernel.flat8Allowed(accAt, outAt, total));
            byte[] mem = new byte[accAt + 5 * total + 16];
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(mem).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < total; i++) bb.putInt(accAt + 4 * i, acc[i]);
            RequantKernel.ortFlat8(mem, accAt, total, b, m, period, ozp, range[0], range[1], outAt);
            for (int i = 0; i < total; i++) {
                int ch = i % c;
                int q = Requant.ort(acc[i] + bias[ch], Float.intBitsToFloat(mult[ch]), ozp, range[0], range[1]);
                assertEquals((byte) q, mem[outAt + i], "tile " + k + " element " + i + " (c = " + c + ", out at "
                        + outAt + ", acc at " + accAt + ")");
            }
        }
        assertFalse(RequantKernel.flat8Allowed(100, 101, 10), "outputs just after the first accumulator");
        assertTrue(RequantKernel.flat8Allowed(100, 140, 10), "outputs after the last accumulator");
    }
}
