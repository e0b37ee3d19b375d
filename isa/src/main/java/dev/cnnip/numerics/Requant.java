package dev.cnnip.numerics;

/**
 * Requantization of accumulators to output codes: the two arithmetic modes of the {@code pp.requant}
 * instruction. The executor, the compiler's constant folding and every reference use these functions.
 */
public final class Requant {
    private Requant() {}

    /**
     * ONNX Runtime's recipe (QLinearConv, QLinearMatMul, QGemm and fused DQ→Conv→Q, x86-64 CPU kernels):
     * {@code v = (float) acc * m} (one float32 rounding of acc, one of the product),
     * clamp {@code v} to {@code [qmin − zp, qmax − zp]} in float, {@code q = rint(v) + zp}
     * (round half to even).
     *
     * @param acc  accumulator including bias (int32, or int64 for 16-bit operands)
     * @param m    the float32 multiplier {@code (xs * ws[c]) / ys}, computed in exactly that association
     * @param zp   output zero point
     * @param qmin lowest output code (with an absorbed Relu: at least zp)
     * @param qmax highest output code
     */
    public static int ort(long acc, float m, int zp, int qmin, int qmax) {
        float v = (float) acc * m;
        float lo = (float) (qmin - zp);
        float hi = (float) (qmax - zp);
        if (v < lo) v = lo;
        if (v > hi) v = hi;
        return (int) Math.rint(v) + zp;
    }

    /**
     * The modelled hardware's integer requantizer: a 31-bit multiplier and a right shift with a single
     * rounding (half up, i.e. towards +∞ at ties), then the zero point and saturation:
     * {@code q = clamp(((acc * mult) + 2^(shift−1)) >> shift) + zp, qmin, qmax)}. The product is exact
     * (up to 95 bits for 64-bit accumulators).
     *
     * @param mult multiplier in [0, 2^31)
     * @param shift right shift in [0, 94]
     */
    public static int hw(long acc, int mult, int shift, int zp, int qmin, int qmax) {
        long r = roundingShift(acc, mult, shift);
        long q = r + zp;
        if (q < qmin) q = qmin;
        if (q > qmax) q = qmax;
        return (int) q;
    }

    /** {@code round_half_up(a * b / 2^shift)} computed exactly on the 128-bit product. */
    public static long roundingShift(long a, long b, int shift) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        if (shift == 0) return lo;
        // add 2^(shift-1) to the 128-bit value (hi:lo)
        long add = shift - 1 < 64 ? 1L << (shift - 1) : 0;
        long addHi = shift - 1 >= 64 ? 1L << (shift - 1 - 64) : 0;
        long nlo = lo + add;
        long carry = Long.compareUnsigned(nlo, lo) < 0 ? 1 : 0;
        long nhi = hi + addHi + carry;
        if (shift < 64) {
            return (nlo >>> shift) | (nhi << (64 - shift));
        }
        return nhi >> (shift - 64);
    }

    /** A multiplier and right shift representing a positive real factor: {@code m ≈ mult · 2^−shift}. */
    public record Fixed(int mult, int shift) {
        /** The represented value. */
        public double value() {
            return mult * Math.pow(2, -shift);
        }
    }

    /**
     * The hardware multiplier for a float32 factor {@code m > 0}: {@code m = f · 2^e} with f in [0.5, 1),
     * {@code mult = f · 2^31} (exact: a float has a 24-bit significand), {@code shift = 31 − e}. Factors
     * below 2^−63 lose low multiplier bits; factors of 2^31 or more are rejected.
     */
    public static Fixed fixed(float m) {
        if (!(m > 0) || Float.isInfinite(m)) {
            if (m == 0) return new Fixed(0, 0);
            throw new IllegalArgumentException("requantization factor " + m + " must be finite and >= 0");
        }
        int e = Math.getExponent(m) + 1; // m = f * 2^e, f in [0.5, 1)
        double f = m / Math.pow(2, e);
        long mult = Math.round(f * (1L << 31));
        int shift = 31 - e;
        if (mult == (1L << 31)) {
            mult >>= 1;
            shift--;
        }
        if (shift < 0) throw new IllegalArgumentException("requantization factor " + m + " too large (>= 2^31)");
        while (shift > 94) {
            mult >>= 1;
            shift--;
        }
        return new Fixed((int) mult, shift);
    }
}
