package dev.cnnip.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequantTest {
    @Test
    void ortRoundsHalfToEvenAndClampsAroundZeroPoint() {
        assertEquals(2 + 10, Requant.ort(5, 0.5f, 10, 0, 255));   // 2.5 -> 2
        assertEquals(4 + 10, Requant.ort(7, 0.5f, 10, 0, 255));   // 3.5 -> 4
        assertEquals(-2 + 10, Requant.ort(-5, 0.5f, 10, 0, 255)); // -2.5 -> -2
        assertEquals(255, Requant.ort(1_000_000, 1f, 10, 0, 255));
        assertEquals(0, Requant.ort(-1_000_000, 1f, 10, 0, 255));
        assertEquals(10, Requant.ort(-3, 1f, 10, 10, 255));        // absorbed Relu: qmin = zp
        assertEquals(-128, Requant.ort(-1000, 1f, 0, -128, 127));
    }

    @Test
    void ortConvertsAccumulatorToFloatFirst() {
        // 16777217 is not a float: (float) rounds it to 16777216 before the multiply.
        assertEquals(16777216 / 65536, Requant.ort(16777217, 1f / 65536, 0, 0, 1 << 20));
    }

    @Test
    void fixedMultiplierIsExactForFloatFactors() {
        Random rnd = new Random(1);
        for (int i = 0; i < 10000; i++) {
            float m = (float) Math.exp(rnd.nextDouble() * -20);
            Requant.Fixed f = Requant.fixed(m);
            assertTrue(f.mult() >= (1 << 30) && f.mult() < (1L << 31), "normalised multiplier " + f);
            assertEquals((double) m, f.value(), 0.0, "float factor " + m + " is represented exactly");
        }
    }

    @Test
    void hwRoundsOnceHalfUp() {
        Requant.Fixed half = Requant.fixed(0.5f);
        assertEquals(3, Requant.hw(5, half.mult(), half.shift(), 0, -128, 127));  // 2.5 -> 3
        assertEquals(-2, Requant.hw(-5, half.mult(), half.shift(), 0, -128, 127)); // -2.5 -> -2
        assertEquals(127, Requant.hw(1000, half.mult(), half.shift(), 0, -128, 127));
    }

    @Test
    void roundingShiftMatchesBigIntegerOn128BitProducts() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20000; i++) {
            long a = rnd.nextLong() >> rnd.nextInt(30);
            long b = rnd.nextInt(Integer.MAX_VALUE);
            int shift = rnd.nextInt(95);
            BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            BigInteger expect = shift == 0 ? p : p.add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift);
            if (expect.bitLength() < 64) {
                assertEquals(expect.longValueExact(), Requant.roundingShift(a, b, shift), a + "*" + b + ">>" + shift);
            }
        }
    }

    @Test
    void hwIsWithinOneLsbOfOrt() {
        Random rnd = new Random(3);
        int diff = 0;
        for (int i = 0; i < 100000; i++) {
            int acc = rnd.nextInt(1 << 22) - (1 << 21);
            float m = (float) (Math.exp(rnd.nextDouble() * -14));
            Requant.Fixed f = Requant.fixed(m);
            int a = Requant.ort(acc, m, 3, 0, 255);
            int b = Requant.hw(acc, f.mult(), f.shift(), 3, 0, 255);
            assertTrue(Math.abs(a - b) <= 1, acc + " * " + m);
            if (a != b) diff++;
        }
        assertTrue(diff < 2000, "mismatch rate " + diff + "/100000");
    }
}
