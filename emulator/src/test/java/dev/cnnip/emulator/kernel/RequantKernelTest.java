package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.numerics.Requant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The requantization row kernel against {@link Requant#ort} element by
 * element: random accumulators and multipliers, exact ties (x.5 products, which rint rounds to even),
 * clamping at both ends, 8-, 16- and 32-bit output ranges and wrapping bias sums.
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
}
