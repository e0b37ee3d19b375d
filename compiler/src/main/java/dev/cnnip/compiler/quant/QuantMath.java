package dev.cnnip.compiler.quant;

/**
 * Scale and zero point from a calibrated range, with the formulas of the onnxruntime quantization tool
 * ({@code compute_scale_zp}), so that the same range gives the same parameters:
 * <ol>
 * <li>{@code rmin = min(rmin, 0)}, {@code rmax = max(rmax, 0)} (float32); symmetric: both become
 *     {@code ±max(|rmin|, |rmax|)};</li>
 * <li>{@code scale64 = (double)(rmax − rmin) / (double)(qmax − qmin)}, the difference taken in float32;</li>
 * <li>if {@code scale64 < Float.MIN_NORMAL} (an all-zero tensor): scale 1, zero point 0;</li>
 * <li>else zero point {@code rint(qmin − rmin / scale64)} in float64 (symmetric: {@code rint((qmin + qmax) / 2)}),
 *     scale {@code (float) scale64}.</li>
 * </ol>
 * Symmetric int8 uses the range [−127, 127].
 */
public final class QuantMath {
    private QuantMath() {}

    /** Scale and zero point. */
    public record ScaleZp(float scale, int zeroPoint) {}

    public static ScaleZp compute(float rmin, float rmax, int qmin, int qmax, boolean symmetric) {
        if (Float.isNaN(rmin) || Float.isNaN(rmax) || Float.isInfinite(rmin) || Float.isInfinite(rmax)) {
            throw new IllegalArgumentException("range [" + rmin + ", " + rmax + "] is not finite");
        }
        float lo = Math.min(rmin, 0f);
        float hi = Math.max(rmax, 0f);
        if (symmetric) {
            float abs = Math.max(Math.abs(lo), Math.abs(hi));
            lo = -abs;
            hi = abs;
        }
        double dr = (double) (hi - lo);
        double dq = (double) qmax - (double) qmin;
        double scale = dr / dq;
        if (scale < Float.MIN_NORMAL) return new ScaleZp(1f, 0);
        int zp = symmetric ? (int) Math.rint((qmax + qmin) / 2.0) : (int) Math.rint(qmin - lo / scale);
        return new ScaleZp((float) scale, zp);
    }

    /** Quantizes a weight value: {@code clamp(rint(w / scale) + zp, qmin, qmax)} with a float32 division. */
    public static int quantizeWeight(float w, float scale, int zp, int qmin, int qmax) {
        long q = (long) Math.rint(w / scale) + zp;
        return (int) Math.max(qmin, Math.min(qmax, q));
    }

    /** The int32 bias: {@code rint((double) b / (double)(xs · ws))} with {@code xs · ws} in float32. */
    public static int quantizeBias(float b, float xs, float ws) {
        float s = xs * ws;
        double v = Math.rint((double) b / (double) s);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
