package dev.cnnip.numerics;

/**
 * Quantized addition {@code C = A + B} (com.microsoft QLinearAdd, and QDQ Add groups that ONNX Runtime
 * fuses into it).
 */
public final class QAdd {
    private QAdd() {}

    /** The float32 constants of the ONNX Runtime recipe: {@code rA = As/Cs}, {@code rB = Bs/Cs}, {@code K}. */
    public record Params(float rA, float rB, float k) {}

    /** {@code rA = As/Cs}, {@code rB = Bs/Cs}, {@code K = (float)Cz − fma(rA, (float)Az, rB·(float)Bz)}. */
    public static Params params(float as, int az, float bs, int bz, float cs, int cz) {
        float ra = as / cs;
        float rb = bs / cs;
        float k = (float) cz - Math.fma(ra, (float) az, rb * (float) bz);
        return new Params(ra, rb, k);
    }

    /**
     * ONNX Runtime's AVX2/FMA kernel: {@code t = fma((float)a, rA, fma((float)b, rB, K))},
     * {@code c = clamp(rint(t), qmin, qmax)}.
     */
    public static int ort(int a, int b, float ra, float rb, float k, int qmin, int qmax) {
        float t = Math.fma((float) a, ra, Math.fma((float) b, rb, k));
        return clamp(Math.rint(t), qmin, qmax);
    }

    /** The same when B is a single element: {@code t = fma((float)a, rA, K + (float)b·rB)}. */
    public static int ortScalarB(int a, int b, float ra, float rb, float k, int qmin, int qmax) {
        float t = Math.fma((float) a, ra, k + (float) b * rb);
        return clamp(Math.rint(t), qmin, qmax);
    }

    /**
     * The hardware's integer adder: {@code t = (a − azp)·ma + (b − bzp)·mb} (exact),
     * {@code c = clamp(round_half_up(t / 2^shift) + czp, qmin, qmax)}.
     */
    public static int hw(int a, int azp, int ma, int b, int bzp, int mb, int shift, int czp, int qmin, int qmax) {
        long t = (long) (a - azp) * ma + (long) (b - bzp) * mb;
        long r = Requant.roundingShift(t, 1, shift);
        long q = r + czp;
        return (int) Math.max(qmin, Math.min(qmax, q));
    }

    /** Integer multipliers for the hardware adder: {@code ma ≈ rA·2^shift}, {@code mb ≈ rB·2^shift}, both below 2^30. */
    public record Fixed(int ma, int mb, int shift) {}

    /** The largest shift (at most 40) keeping both multipliers below 2^30. */
    public static Fixed fixed(float ra, float rb) {
        double max = Math.max(Math.abs((double) ra), Math.abs((double) rb));
        int shift = 40;
        while (shift > 0 && max * Math.pow(2, shift) >= (1 << 30)) shift--;
        return new Fixed((int) Math.round(ra * Math.pow(2, shift)), (int) Math.round(rb * Math.pow(2, shift)), shift);
    }

    private static int clamp(double v, int lo, int hi) {
        if (v < lo) return lo;
        if (v > hi) return hi;
        return (int) v;
    }
}
