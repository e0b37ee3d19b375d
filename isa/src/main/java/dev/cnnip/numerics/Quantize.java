package dev.cnnip.numerics;

/** QuantizeLinear and DequantizeLinear, as ONNX Runtime computes them on the CPU. */
public final class Quantize {
    private Quantize() {}

    /**
     * QuantizeLinear: {@code t = x / s} (a true float32 division, not a reciprocal multiply), clamp
     * {@code t} to {@code [qmin − zp, qmax − zp]}, {@code q = rint(t) + zp} (round half to even). NaN gives zp.
     */
    public static int quantize(float x, float scale, int zp, int qmin, int qmax) {
        float t = x / scale;
        if (Float.isNaN(t)) return zp;
        float lo = (float) (qmin - zp);
        float hi = (float) (qmax - zp);
        if (t < lo) t = lo;
        if (t > hi) t = hi;
        return (int) Math.rint(t) + zp;
    }

    /** DequantizeLinear: {@code (float)(q − zp) * s} in float32. */
    public static float dequantize(int q, int zp, float scale) {
        return (float) (q - zp) * scale;
    }
}
