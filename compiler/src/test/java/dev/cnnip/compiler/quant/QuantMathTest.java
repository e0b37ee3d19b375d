package dev.cnnip.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * QuantMath against the onnxruntime quantization tool's {@code compute_scale_zp} (DESIGN.md section 3).
 * Expected scales are float32 bit patterns computed outside Java with numpy, following the tool: widen the
 * float32 range to hold 0 (symmetric: ±max|r|), {@code scale = float64(rmax − rmin) / float64(qmax − qmin)},
 * zero point {@code round_half_even(qmin − rmin / scale)} in float64 (symmetric: the middle code), scale
 * cast to float32; below the smallest normal float32 scale, scale 1 and zero point 0.
 */
class QuantMathTest {
    private static void check(float rmin, float rmax, int qmin, int qmax, boolean sym, int scaleBits, int zp) {
        QuantMath.ScaleZp got = QuantMath.compute(rmin, rmax, qmin, qmax, sym);
        String what = "[" + rmin + ", " + rmax + "] -> [" + qmin + ", " + qmax + "]" + (sym ? " symmetric" : "");
        assertEquals(Float.intBitsToFloat(scaleBits), got.scale(), 0f, what + " scale");
        assertEquals(zp, got.zeroPoint(), what + " zero point");
    }

    @Test
    void asymmetricUint8() {
        // 4/255; zp = rint(0 + 1/(4/255)) = rint(63.75)
        check(-1f, 3f, 0, 255, false, 1015054465, 64);
        // float32 0.2f − (−0.1f) = 0.3f exactly in float32 (0.30000001192…), then /255 in float64; zp rint(85.0…)
        check(-0.1f, 0.2f, 0, 255, false, 983184334, 85);
        // −0.7f is −0.699999988: zp = rint(178.4999969…) = 178, not 179
        check(-0.7f, 0.3f, 0, 255, false, 998277249, 178);
    }

    @Test
    void zeroPointRoundsHalfToEven() {
        // scale 102/255 = 0.4, zp = 1 / 0.4 = 2.5 exactly in float64: half to even gives 2 (half up would give 3)
        check(-1f, 101f, 0, 255, false, 1053609165, 2);
        // int8 asymmetric: −128 + 127.5 = −0.5 rounds to 0
        check(-1f, 1f, -128, 127, false, 1006665857, 0);
    }

    @Test
    void asymmetricInt8() {
        check(-1f, 3f, -128, 127, false, 1015054465, -64);
        check(-6f, -0.001f, -128, 127, false, 1019265217, 127);
    }

    @Test
    void rangesWithoutZeroAreWidenedToHoldIt() {
        // [0.5, 2] quantizes as [0, 2]: scale 2/255, zp 0
        check(0.5f, 2f, 0, 255, false, 1006665857, 0);
        check(0.001f, 6f, 0, 255, false, 1019265217, 0);
        // [−3, −1] quantizes as [−3, 0]: scale 3/255, zp at the top code
        check(-3f, -1f, 0, 255, false, 1010876609, 255);
    }

    @Test
    void symmetricInt8UsesMinus127To127WithZeroPoint0() {
        // ±5 over 254 steps
        check(-2f, 5f, -127, 127, true, 1025589893, 0);
    }

    @Test
    void symmetricUint8HasZeroPoint128() {
        // ±5 over 255 steps; (0 + 255) / 2 = 127.5 rounds to even 128
        check(-2f, 5f, 0, 255, true, 1025548449, 128);
    }

    @Test
    void allZeroTensorGetsScale1AndZeroPoint0() {
        check(0f, 0f, 0, 255, false, Float.floatToIntBits(1f), 0);
        check(0f, 0f, -127, 127, true, Float.floatToIntBits(1f), 0);
        check(0f, 0f, 0, 255, true, Float.floatToIntBits(1f), 0);
        // a range so small its scale is below the smallest normal float32 is treated as zero
        check(0f, 1e-40f, 0, 255, false, Float.floatToIntBits(1f), 0);
    }

    @Test
    void nonFiniteRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuantMath.compute(Float.NaN, 1f, 0, 255, false));
        assertThrows(IllegalArgumentException.class, () -> QuantMath.compute(0f, Float.POSITIVE_INFINITY, 0, 255, false));
    }

    @Test
    void weightsAndBias() {
        // rint(w / s) + zp with a float32 division, clamped: 0.3f / 0.1f = 3.0000000 → 3; saturation at ±127
        assertEquals(3, QuantMath.quantizeWeight(0.3f, 0.1f, 0, -127, 127));
        assertEquals(127, QuantMath.quantizeWeight(100f, 0.1f, 0, -127, 127));
        assertEquals(-127, QuantMath.quantizeWeight(-100f, 0.1f, 0, -127, 127));
        // half to even: 0.25 / 0.5 = 0.5 → 0, 0.75 / 0.5 = 1.5 → 2
        assertEquals(0, QuantMath.quantizeWeight(0.25f, 0.5f, 0, -127, 127));
        assertEquals(2, QuantMath.quantizeWeight(0.75f, 0.5f, 0, -127, 127));
        // bias: rint(b / (xs * ws)), the product in float32: 0.5f * 0.25f = 0.125 exactly, 1.0 / 0.125 = 8
        assertEquals(8, QuantMath.quantizeBias(1f, 0.5f, 0.25f));
        assertEquals(Integer.MAX_VALUE, QuantMath.quantizeBias(1e30f, 1e-10f, 1e-10f));
    }
}
