package dev.cnnip.emulator.kernel;

/**
 * The {@code ort} requantization of one row of int32 accumulators ({@code pp.requant} mode f32, a64 = 0):
 * <pre>
 * v = (float) (acc[ch] + bias[ch]) · intBitsToFloat(mult[ch])     (int32 wrapping sum, two float roundings)
 * v = clamp(v, qmin − ozp, qmax − ozp);  q[at + ch] = (int) rint(v) + ozp
 * </pre>
 * exactly {@link dev.cnnip.numerics.Requant#ort} per element ({@code (float)} of an int equals {@code (float)}
 * of the same value as a long). {@link #ort} runs {@link VectorRequantKernel} when {@link Kernels#vector()} is
 * on and its preconditions hold (finite multipliers, a small output range), else the scalar {@link #ortRow};
 * both give the same bits. The scalar loop costs about 9 ns per element on JDK 17 (its {@code Math.rint} and
 * float → int conversion are not compiled to single instructions), the vector one about 0.4 ns.
 */
public final class RequantKernel {
    /** Largest {@code |qmin − ozp|}, {@code |qmax − ozp|} the vector kernel's rounding supports. */
    static final int VECTOR_RANGE = 1 << 22;

    private RequantKernel() {}

    /**
     * Whether {@link #ort} may take the vector kernel for these parameters: the vector kernels are on, all
     * {@code c} multipliers are finite floats and the output range relative to the zero point is within
     * ±{@value #VECTOR_RANGE}. Check once per instruction.
     */
    public static boolean vectorizable(int[] mult, int c, int ozp, int qmin, int qmax) {
        if (!Kernels.vector()) return false;
        long lo = (long) qmin - ozp;
        long hi = (long) qmax - ozp;
        if (Math.abs(lo) > VECTOR_RANGE || Math.abs(hi) > VECTOR_RANGE) return false;
        for (int ch = 0; ch < c; ch++) {
            if (!Float.isFinite(Float.intBitsToFloat(mult[ch]))) return false;
        }
        return true;
    }

    /**
     * {@code c} rounded up to whole vectors: the row width to give {@link #ort} with {@code vector} on, so
     * that no channel runs in the scalar leftover loop (the caller pads each row's buffers, multipliers with
     * 0.0f, and ignores the padding lanes' results). Call only when {@link Kernels#vector()} is on.
     */
    public static int paddedWidth(int c) {
        int l = VectorRequantKernel.LANES;
        return (c + l - 1) / l * l;
    }

    /**
     * The period of {@link #ortFlat}'s repeated parameters for {@code c} channels: {@code lcm(c, L)}, the
     * shortest whole number of vectors that is a whole number of rows. Call only when {@link Kernels#vector()}
     * is on.
     */
    public static int flatPeriod(int c) {
        int l = VectorRequantKernel.LANES;
        int a = c;
        int b = l;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return c / a * l;
    }

    /**
     * A tile of contiguous rows ({@code total} accumulators, channel of element i = i mod c) in one pass of
     * the vector kernel: {@code bias} and {@code mult} hold the c channels' parameters repeated to
     * {@code period = }{@link #flatPeriod}{@code (c)} entries; {@code q[i]} as {@link #ortRow}. Only when
     * {@link #vectorizable} held for these parameters. The same bits as row by row.
     */
    public static void ortFlat(int[] acc, int total, int[] bias, int[] mult, int period, int ozp, int qmin, int qmax,
                               int[] q) {
        VectorRequantKernel.ortFlat(acc, total, bias, mult, period, ozp, qmin, qmax, q);
    }

    /**
     * {@link #ortFlat} fused with the SRAM transfers for 8-bit outputs: accumulator i is the little-endian
     * int32 at {@code sram[acc + 4·i]}, {@code (byte) q[i]} goes to {@code sram[out + i]}; one pass, no
     * intermediate arrays. Only when {@link #vectorizable} held, both spans lie in {@code sram} (checked by the
     * caller) and {@code out <= acc} or the spans are disjoint ({@link #flat8Allowed}).
     */
    public static void ortFlat8(byte[] sram, int acc, int total, int[] bias, int[] mult, int period, int ozp, int qmin,
                                int qmax, int out) {
        VectorRequantKernel.ortFlat8(sram, acc, total, bias, mult, period, ozp, qmin, qmax, sram, out);
    }

    /**
     * Whether {@link #ortFlat8} may write {@code total} bytes at {@code out} while reading {@code total} int32
     * at {@code acc}: the spans are disjoint, or the outputs start at or before the accumulators (then no
     * output lands on an accumulator not yet read, since byte {@code i}'s vector ends at or before int32
     * {@code i}'s vector's start).
     */
    public static boolean flat8Allowed(long acc, long out, int total) {
        return out <= acc || out >= acc + 4L * total;
    }

    /**
     * {@link #ortRow}, by the vector kernel when {@code vector} (the result of {@link #vectorizable} for the
     * same parameters), else by the scalar one. Same bits either way.
     */
    public static void ort(boolean vector, int[] acc, int[] bias, int[] mult, int c, int ozp, int qmin, int qmax,
                           int[] q, int at) {
        if (vector) {
            VectorRequantKernel.ortRow(acc, bias, mult, c, ozp, qmin, qmax, q, at);
        } else {
            ortRow(acc, bias, mult, c, ozp, qmin, qmax, q, at);
        }
    }

    /** {@code q[at + ch]} for {@code ch < c}, as in the class comment: the scalar kernel (and the vector one's reference). */
    public static void ortRow(int[] acc, int[] bias, int[] mult, int c, int ozp, int qmin, int qmax, int[] q, int at) {
        float lo = (float) (qmin - ozp);
        float hi = (float) (qmax - ozp);
        for (int ch = 0; ch < c; ch++) {
            float v = (float) (acc[ch] + bias[ch]) * Float.intBitsToFloat(mult[ch]);
            if (v < lo) v = lo;
            if (v > hi) v = hi;
            q[at + ch] = (int) Math.rint(v) + ozp;
        }
    }
}
