package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.numerics.QAdd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The QLinearAdd kernel, vector and scalar, against {@link QAdd#ort} (the numerics contract) element by
 * element: 8-bit codes with ordinary rescales, exact ties of the sum, rescales that overflow to infinity or
 * give NaN (infinity times zero), signed and unsigned output ranges, lengths around the vector width.
 */
class AddKernelTest {
    @Test
    void elementsEqualQAddOrt() {
        assertTrue(Kernels.vector(), "the tests run with --add-modules jdk.incubator.vector");
        Random r = new Random(41);
        int[][] ranges = {{0, 255}, {-128, 127}, {0, 65535}};
        for (int k = 0; k < 1500; k++) {
            int n = r.nextInt(70);
            int[] range = ranges[k % ranges.length];
            float ra;
            float rb;
            float kk;
            switch (k % 10) {
                case 0 -> { ra = 0.5f; rb = 0.5f; kk = 0.5f * (r.nextInt(9) - 4); }          // many exact ties
                case 1 -> { ra = Float.MAX_VALUE; rb = 2f; kk = 0f; }                          // overflow
                case 2 -> { ra = Float.POSITIVE_INFINITY; rb = 0.3f; kk = 1f; }                 // NaN where a = 0
                case 3 -> { ra = Float.NaN; rb = 1f; kk = 0f; }
                default -> {
                    ra = (r.nextFloat() - 0.2f) * 3;
                    rb = (r.nextFloat() - 0.2f) * 3;
                    kk = (r.nextFloat() - 0.5f) * 600;
                }
            }
            int[] a = new int[n];
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(256) - (range[0] < 0 ? 128 : 0);
                b[i] = r.nextInt(256) - (range[0] < 0 ? 128 : 0);
            }
            int[] v = new int[n];
            int[] s = new int[n];
            VectorAddKernel.ort(a, b, n, ra, rb, kk, range[0], range[1], v);
            AddKernel.scalar(a, b, 0, n, ra, rb, kk, range[0], range[1], s);
            for (int i = 0; i < n; i++) {
                int expected = QAdd.ort(a[i], b[i], ra, rb, kk, range[0], range[1]);
                assertEquals(expected, v[i], "vector, case " + k + " element " + i + ": a " + a[i] + " b " + b[i]
                        + " rA " + ra + " rB " + rb + " K " + kk);
                assertEquals(expected, s[i], "scalar, case " + k + " element " + i);
            }
        }
    }
}
