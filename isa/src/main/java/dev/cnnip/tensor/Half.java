package dev.cnnip.tensor;

/** IEEE 754 binary16 conversions (Java 17 lacks {@code Float.float16ToFloat}). */
public final class Half {
    private Half() {}

    /** Exact conversion of a binary16 bit pattern to float. */
    public static float toFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24, exact in float
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Conversion of a float to binary16, rounding to nearest even, with overflow to infinity. */
    public static short fromFloat(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xFF;
        int mant = x & 0x7F_FFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) return (short) (sign | 0x7C00);
        if (e <= 0) {
            if (e < -10) return (short) sign;
            int m = mant | 0x80_0000;
            int shift = 14 - e;
            int half = 1 << (shift - 1);
            int r = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            if (rem > half || (rem == half && (r & 1) != 0)) r++;
            return (short) (sign | r);
        }
        int r = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (r & 1) != 0)) r++;
        return (short) (sign | r);
    }
}
