package dev.cnnip.emulator.kernel;

/**
 * The {@code ort} requantization of one row of int32 accumulators ({@code pp.requant} mode f32, a64 = 0):
 * <pre>
 * v = (float) (acc[ch] + bias[ch]) · intBitsToFloat(mult[ch])     (int32 wrapping sum, two float roundings)
 * v = clamp(v, qmin − ozp, qmax − ozp);  q[at + ch] = (int) rint(v) + ozp
 * </pre>
 * exactly {@link dev.cnnip.numerics.Requant#ort} per element ({@code (float)} of an int equals {@code (float)}
 * of the same value as a long). A scalar loop: a Vector API form (int→float conversions, rounding half to
 * even with the magic number {@code (v + 1.5·2^23) − 1.5·2^23}) was slower on JDK 17, whose compiler does
 * not intrinsify those conversions.
 */
public final class RequantKernel {
    private RequantKernel() {}

    /** {@code q[at + ch]} for {@code ch < c}, as in the class comment. */
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
