package dev.cnnip.tensor;

/**
 * Streaming error figures of a tested tensor {@code y} (the dequantized ISS values) against its reference
 * {@code x} (the float model's values), accumulated over any number of elements and items:
 * <ul>
 * <li>SQNR (dB) {@code = 10·log10(Σx² / Σ(x − y)²)}, as ONNX Runtime's {@code qdq_loss_debug} computes it
 *     ({@code +∞} when every element is equal, {@code −∞} when the reference is all zero and the test is not);</li>
 * <li>cosine similarity {@code = Σxy / sqrt(Σx² · Σy²)} (1 when both are all zero, 0 when only one is);</li>
 * <li>RMSE {@code = sqrt(Σ(x − y)² / n)}, and RMSE divided by the quantization step (the scale): uniform
 *     rounding error alone gives {@code 1/√12 ≈ 0.289};</li>
 * <li>max abs error {@code = max |x − y|}; and the reference's min and max.</li>
 * </ul>
 * Not thread-safe.
 */
public final class ErrorStats {
    private long n;
    private double sumRef2;
    private double sumTest2;
    private double sumDot;
    private double sumErr2;
    private double maxAbs;
    private double refMin = Double.POSITIVE_INFINITY;
    private double refMax = Double.NEGATIVE_INFINITY;

    /** Adds one element pair. */
    public void add(double ref, double test) {
        double e = ref - test;
        n++;
        sumRef2 += ref * ref;
        sumTest2 += test * test;
        sumDot += ref * test;
        sumErr2 += e * e;
        maxAbs = Math.max(maxAbs, Math.abs(e));
        refMin = Math.min(refMin, ref);
        refMax = Math.max(refMax, ref);
    }

    /** Adds element pairs of equal-length arrays. */
    public void addAll(float[] ref, float[] test) {
        if (ref.length != test.length) {
            throw new IllegalArgumentException(ref.length + " reference values against " + test.length + " tested");
        }
        for (int i = 0; i < ref.length; i++) add(ref[i], test[i]);
    }

    public long count() {
        return n;
    }

    public double sqnrDb() {
        if (sumErr2 == 0) return Double.POSITIVE_INFINITY;
        if (sumRef2 == 0) return Double.NEGATIVE_INFINITY;
        return 10 * Math.log10(sumRef2 / sumErr2);
    }

    public double cosine() {
        if (sumRef2 == 0 && sumTest2 == 0) return 1;
        if (sumRef2 == 0 || sumTest2 == 0) return 0;
        return sumDot / Math.sqrt(sumRef2 * sumTest2);
    }

    public double rmse() {
        return n == 0 ? 0 : Math.sqrt(sumErr2 / n);
    }

    public double maxAbsError() {
        return maxAbs;
    }

    /** Smallest reference value ({@code +∞} before any element). */
    public double refMin() {
        return refMin;
    }

    /** Largest reference value ({@code −∞} before any element). */
    public double refMax() {
        return refMax;
    }

    /** Root mean square of the reference. */
    public double refRms() {
        return n == 0 ? 0 : Math.sqrt(sumRef2 / n);
    }

    /** The figures, with RMSE divided by {@code scale} (the quantization step, {@code > 0}). */
    public ErrorFigures figures(double scale) {
        return new ErrorFigures(n, sqnrDb(), cosine(), rmse(), rmse() / scale, maxAbs);
    }

    /** SQNR (dB) of {@code test} against {@code ref} in one call. */
    public static double sqnrDb(float[] ref, float[] test) {
        ErrorStats s = new ErrorStats();
        s.addAll(ref, test);
        return s.sqnrDb();
    }
}
