package dev.cnnip.debugger;

import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Locale;

/** Tensor values as text: numpy-style nested brackets, summary statistics and a text histogram. */
public final class TensorText {
    /** Above this many elements, each axis shows only its first and last {@link #EDGE} entries (as numpy). */
    static final int THRESHOLD = 1000;
    static final int EDGE = 3;

    private TensorText() {}

    /**
     * The float32 tensor {@code real = scale × (q − zeroPoint)} of a quantized symbol's logical values,
     * per tensor or along the symbol's axis.
     *
     * @throws UserError when the symbol is not quantized
     */
    public static Tensor dequantize(Symbol s, Tensor q) {
        if (!s.isQuantized()) {
            throw new UserError("tensor '" + s.name() + "' (" + s.dtype().shortName() + ") is not quantized; use raw");
        }
        float[] scale = s.scale();
        int[] zp = s.zeroPoint();
        int[] shape = q.shape();
        long inner = 1;
        for (int a = s.axis() + 1; a < shape.length; a++) inner *= shape[a];
        Tensor out = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < q.size(); i++) {
            int c = scale.length == 1 ? 0 : (int) ((i / inner) % shape[s.axis()]);
            long z = zp.length == 0 ? 0 : zp[c];
            out.setDouble(i, (float) (scale[c] * (float) (q.getLong(i) - z)));
        }
        return out;
    }

    /** numpy-like text: {@code [[1, 2], [3, 4]]}, summarised with {@code ...} beyond {@value #THRESHOLD} elements. */
    public static String format(Tensor t) {
        StringBuilder sb = new StringBuilder();
        int[] shape = t.shape();
        if (shape.length == 0) return value(t, 0);
        boolean summarise = t.size() > THRESHOLD;
        int width = 0;
        for (int i = 0; i < t.size(); i++) width = Math.max(width, value(t, i).length());
        long[] strides = new long[shape.length];
        long s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        rec(sb, t, shape, strides, 0, 0, summarise, width);
        return sb.toString();
    }

    private static void rec(StringBuilder sb, Tensor t, int[] shape, long[] strides, int axis, long base, boolean sum,
                            int width) {
        sb.append('[');
        int n = shape[axis];
        boolean last = axis == shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (sum && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            if (last) {
                String v = value(t, (int) (base + i));
                sb.append(" ".repeat(width - v.length())).append(v);
            } else {
                rec(sb, t, shape, strides, axis + 1, base + i * strides[axis], sum, width);
            }
            if (i < n - 1) {
                sb.append(last ? ", " : ",\n" + (shape.length - axis > 2 ? "\n" : "") + " ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    static String value(Tensor t, int i) {
        if (t.dtype().isInteger()) return Long.toString(t.getLong(i));
        return String.format(Locale.ROOT, "%.6g", t.getDouble(i)).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", ".$1");
    }

    /** Summary statistics of a tensor's values. */
    public record Stats(long count, double min, double max, double mean, double std, long zeros, long atMin,
                        long atMax) {}

    /** Count, min, max, mean, population std, zeros and (integer dtypes) elements at the dtype's limits. */
    public static Stats stats(Tensor t) {
        int n = t.size();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sq = 0;
        long zeros = 0;
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < n; i++) {
            double v = t.getDouble(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sq += v * v;
            if (v == 0) zeros++;
            if (t.dtype().isInteger()) {
                if (v == t.dtype().min()) lo++;
                if (v == t.dtype().max()) hi++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(0, sq / n - mean * mean);
        return new Stats(n, n == 0 ? 0 : min, n == 0 ? 0 : max, mean, Math.sqrt(var), zeros, lo, hi);
    }

    /** Statistics as two lines. */
    public static String formatStats(Tensor t) {
        Stats s = stats(t);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "count %d  min %s  max %s  mean %.6g  std %.6g  zeros %d (%.1f%%)", s.count(), num(s.min()),
                num(s.max()), s.mean(), s.std(), s.zeros(), s.count() == 0 ? 0 : 100.0 * s.zeros() / s.count()));
        if (t.dtype().isInteger()) {
            sb.append(String.format(Locale.ROOT, "%nat %s min (%d): %d, at max (%d): %d", t.dtype().shortName(),
                    t.dtype().min(), s.atMin(), t.dtype().max(), s.atMax()));
        }
        return sb.toString();
    }

    /**
     * A text histogram over [min, max] in {@code bins} equal bins (integers: bins of whole codes), one
     * line per bin: range, count and a bar of up to 40 {@code #} scaled to the largest bin.
     */
    public static String histogram(Tensor t, int bins) {
        Stats s = stats(t);
        if (s.count() == 0) return "(no elements)";
        double lo = s.min();
        double hi = s.max();
        int nb = bins;
        if (t.dtype().isInteger()) nb = (int) Math.min(bins, (long) (hi - lo) + 1);
        if (hi == lo) nb = 1;
        double w = nb == 1 ? 1 : (hi - lo) / nb;
        if (t.dtype().isInteger() && nb > 1) w = Math.ceil((hi - lo + 1) / nb);
        long[] counts = new long[nb];
        for (int i = 0; i < t.size(); i++) {
            int b = nb == 1 ? 0 : (int) Math.floor((t.getDouble(i) - lo) / w);
            counts[Math.min(nb - 1, Math.max(0, b))]++;
        }
        long top = 0;
        for (long c : counts) top = Math.max(top, c);
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < nb; b++) {
            String range;
            if (t.dtype().isInteger()) {
                long a = (long) (lo + b * w);
                long z = b == nb - 1 ? (long) hi : (long) (lo + (b + 1) * w) - 1;
                range = a == z ? Long.toString(a) : a + ".." + z;
            } else {
                range = String.format(Locale.ROOT, "[%.4g, %.4g%s", lo + b * w, b == nb - 1 ? hi : lo + (b + 1) * w,
                        b == nb - 1 ? "]" : ")");
            }
            int bar = (int) Math.round(40.0 * counts[b] / top);
            sb.append(String.format(Locale.ROOT, "%-24s %8d %s%n", range, counts[b], "#".repeat(bar)));
        }
        return sb.toString().stripTrailing();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
