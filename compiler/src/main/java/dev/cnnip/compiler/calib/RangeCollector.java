package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Gathers one tensor's values over the calibration set, one item at a time, and chooses its range with
 * the configured {@link CalibrationMethod}: min/max keeps only the running extremes; percentile and
 * entropy also fill a {@link Histogram} (one pass; see its growth rule) and choose with
 * {@link ThresholdSearch}, the result intersected with the observed {@code [min, max]}.
 */
public final class RangeCollector {
    private final CalibrationOptions options;
    private final Histogram histogram;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long count;
    private float[] scratch = new float[0];

    public RangeCollector(CalibrationOptions options) {
        this.options = options;
        this.histogram = options.method() == CalibrationMethod.MINMAX ? null : new Histogram(options.bins());
    }

    /**
     * Adds every element of {@code t} (any numeric type, converted to float).
     *
     * @param what names the item and tensor in messages
     * @throws CalibrationDataException when a value is NaN or infinite, naming {@code what} and the element
     */
    public void add(Tensor t, String what) {
        int n = t.size();
        boolean keep = histogram != null;
        if (keep && scratch.length < n) scratch = new float[n];
        float lo = min;
        float hi = max;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            float v = t.getFloat(i);
            if (!Float.isFinite(v)) {
                throw new CalibrationDataException(what + ": element " + i + " (index " + Arrays.toString(ItemCheck.index(t.shape(), i))
                        + ") is " + (Float.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf"));
            }
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (keep) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
                scratch[i] = v;
            }
        }
        min = lo;
        max = hi;
        count += n;
        if (keep) histogram.add(scratch, n, maxAbs);
    }

    /** Number of values seen. */
    public long count() {
        return count;
    }

    /** The chosen range of tensor {@code name}. */
    public TensorRange result(String name) {
        CalibrationMethod m = options.method();
        if (count == 0) return new TensorRange(name, m, 0f, 0f, 0f, 0f, 0, 0);
        if (histogram == null || histogram.limit() == 0) return new TensorRange(name, m, min, max, min, max, 0, count);
        ThresholdSearch.Cut cut = m == CalibrationMethod.PERCENTILE
                ? ThresholdSearch.percentile(histogram, options.percentile(), options.symmetric())
                : ThresholdSearch.entropy(histogram, options.quantizedBins());
        float lo = (float) Math.max(min, histogram.edge(cut.lo()));
        float hi = (float) Math.min(max, histogram.edge(cut.hi()));
        double clipped = (double) histogram.countOutside(cut.lo(), cut.hi()) / count;
        return new TensorRange(name, m, lo, hi, min, max, clipped, count);
    }

    /** The histogram (null for min/max), for reports and tests. */
    public Histogram histogram() {
        return histogram;
    }
}
