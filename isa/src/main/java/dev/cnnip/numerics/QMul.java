package dev.cnnip.numerics;

/** Quantized multiplication {@code C = A · B} (com.microsoft QLinearMul, and fused QDQ Mul groups). */
public final class QMul {
    private QMul() {}

    /** ONNX Runtime's multiplier {@code M = (As · Bs) / Cs}, in float32 in exactly that association. */
    public static float multiplier(float as, float bs, float cs) {
        return (as * bs) / cs;
    }

    /**
     * ONNX Runtime's recipe: {@code t = (float)((a − Az)(b − Bz)) · M + (float)Cz} (no fused multiply-add),
     * {@code c = clamp(rint(t), qmin, qmax)}.
     */
    public static int ort(int a, int az, int b, int bz, float m, int cz, int qmin, int qmax) {
        float t = (float) ((long) (a - az) * (b - bz)) * m + (float) cz;
        double r = Math.rint(t);
        return (int) Math.max(qmin, Math.min(qmax, r));
    }

    /** The hardware's integer multiplier: {@code c = clamp(round_half_up((a − Az)(b − Bz) · mult / 2^shift) + Cz)}. */
    public static int hw(int a, int az, int b, int bz, int mult, int shift, int cz, int qmin, int qmax) {
        long p = (long) (a - az) * (b - bz);
        long q = Requant.roundingShift(p, mult, shift) + cz;
        return (int) Math.max(qmin, Math.min(qmax, q));
    }
}
