package dev.cnnip.numerics;

/**
 * Local response normalisation across channels, in ONNX Runtime's float32 order of operations (its CPU
 * kernel {@code LRN<float>}), on the dequantized values of one pixel's {@code c} channels.
 *
 * <p>With {@code a = alpha / size} (float32), {@code pre = (size − 1) / 2} and the squares
 * {@code sq[j] = x[j]·x[j]} padded with {@code pre} zeros before and {@code size − 1 − pre} after
 * ({@code ps[p] = sq[p − pre]}):
 * <pre>
 * s = bias;  for p in 0..size−1: s = s + a·ps[p]           (scale of channel 0)
 * for ch in 1..c−1: s = s + a·ps[ch + size − 1];  s = s + (−a)·ps[ch − 1]   (sliding window: add head, subtract tail)
 * y[ch] = x[ch] · pow(s[ch], −beta)
 * </pre>
 * every product and sum rounded to float32 (no fused multiply-add), as ONNX Runtime's Axpy does. The
 * running sum is why the result differs from a direct window sum. {@code pow} is evaluated in float64
 * and rounded to float32; ONNX Runtime uses Eigen's vectorised float pow, which is not correctly rounded:
 * about a fifth of the results differ by one or two float ulps (measured by {@code LrnFloatRecipeTest}; with
 * a direct window sum instead of the running one, up to two thirds would). After quantization that changes
 * a code only when {@code y / y_scale} lies within two ulps of a rounding boundary (none in 290,400
 * AlexNet-sized elements measured), so quantized results agree with ONNX Runtime to within 1 LSB and almost
 * always exactly.
 */
public final class Lrn {
    private Lrn() {}

    /**
     * Normalises {@code x[0..c)} into {@code y[0..c)} ({@code ps} is scratch of at least
     * {@code c + size − 1} floats).
     *
     * @param alphaOverSize {@code alpha / size} computed in float32
     */
    public static void apply(float[] x, float[] y, int c, int size, float alphaOverSize, float beta, float bias, float[] ps) {
        int pre = (size - 1) / 2;
        int padded = c + size - 1;
        for (int p = 0; p < padded; p++) {
            int j = p - pre;
            ps[p] = j >= 0 && j < c ? x[j] * x[j] : 0f;
        }
        float a = alphaOverSize;
        float na = -alphaOverSize;
        double e = -beta;
        float s = bias;
        for (int p = 0; p < size; p++) s = s + a * ps[p];
        y[0] = x[0] * (float) Math.pow(s, e);
        for (int ch = 1; ch < c; ch++) {
            s = s + a * ps[ch + size - 1];
            s = s + na * ps[ch - 1];
            y[ch] = x[ch] * (float) Math.pow(s, e);
        }
    }
}
