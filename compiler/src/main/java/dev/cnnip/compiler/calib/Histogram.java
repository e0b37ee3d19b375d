package dev.cnnip.compiler.calib;

/**
 * Counts of values in {@code bins} equal bins over {@code [−limit, limit]}, built in one pass over data
 * whose range is not known in advance.
 *
 * <p><b>Growth.</b> The first batch with a non-zero value sets {@code limit} to its largest
 * {@code |x|}. A later batch reaching beyond it doubles {@code limit} as often as needed; each doubling
 * merges bins in pairs, {@code new[bins/4 + j/2] += old[j]}, which is exact because the bins are
 * symmetric about zero and {@code bins} is a multiple of 4: every new edge is an old edge. So no second
 * pass over the calibration set (a second run of the model) is needed and memory stays fixed; the price
 * is resolution: the final bin width is at most {@code 4 · max|x| / bins} (half the bins may lie beyond
 * the data). The onnxruntime tool instead appends bins of the old width, which keeps resolution but lets
 * the bin count grow without bound. Values equal to zero seen before any non-zero value wait in a count
 * of their own and go to the bin starting at 0.
 *
 * <p>Bin {@code j} holds {@code edge(j) ≤ x < edge(j + 1)}, the last bin also {@code x = limit} (kept
 * apart until the range grows, when they belong to the bin starting at the old limit). Callers pass
 * finite values only.
 */
public final class Histogram {
    private final int bins;
    private final long[] counts;
    private double limit;
    private long pendingZeros;
    private long atLimit;
    private long zeros;
    private long total;

    /** @param bins a multiple of 4, at least 8 */
    public Histogram(int bins) {
        if (bins < 8 || bins % 4 != 0) throw new IllegalArgumentException("bins " + bins + " must be a multiple of 4, at least 8");
        this.bins = bins;
        this.counts = new long[bins];
    }

    /** Adds {@code n} values whose largest magnitude is {@code maxAbs}. */
    public void add(float[] values, int n, double maxAbs) {
        if (!Double.isFinite(maxAbs)) throw new IllegalArgumentException("values must be finite, max |x| is " + maxAbs);
        if (maxAbs > 0) {
            if (limit == 0) {
                limit = maxAbs;
                counts[bins / 2] += pendingZeros;
                pendingZeros = 0;
            }
            while (limit < maxAbs) doubleRange();
        }
        total += n;
        if (limit == 0) {
            pendingZeros += n;
            zeros += n;
            return;
        }
        double perBin = bins / (2 * limit);
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (v == 0) zeros++;
            if (v >= limit) {
                atLimit++;
            } else {
                int j = (int) ((v + limit) * perBin);
                counts[j < 0 ? 0 : j >= bins ? bins - 1 : j]++;
            }
        }
    }

    /** Adds all values (computing their largest magnitude). */
    public void add(float... values) {
        double m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        add(values, values.length, m);
    }

    private void doubleRange() {
        long[] merged = new long[bins];
        for (int j = 0; j < bins; j++) merged[bins / 4 + j / 2] += counts[j];
        // values at the old limit now lie inside: in the bin that starts there
        merged[3 * bins / 4] += atLimit;
        atLimit = 0;
        System.arraycopy(merged, 0, counts, 0, bins);
        limit *= 2;
    }

    public int bins() {
        return bins;
    }

    /** Half-width of the covered range; 0 while every value seen was zero. */
    public double limit() {
        return limit;
    }

    public double binWidth() {
        return 2 * limit / bins;
    }

    /** Lower edge of bin {@code j} (upper edge of bin {@code j − 1}), {@code 0 ≤ j ≤ bins}. */
    public double edge(int j) {
        return -limit + j * binWidth();
    }

    /** Count of bin {@code j}. */
    public long count(int j) {
        return counts[j] + (j == bins / 2 ? pendingZeros : 0) + (j == bins - 1 ? atLimit : 0);
    }

    /** Number of values exactly 0 (±0) among those added; they are counted in the bin starting at 0. */
    public long zeros() {
        return zeros;
    }

    /** Number of values added. */
    public long total() {
        return total;
    }

    /** Counts of every bin (a copy). */
    public long[] counts() {
        long[] c = counts.clone();
        c[bins / 2] += pendingZeros;
        c[bins - 1] += atLimit;
        return c;
    }

    /**
     * Counts of {@code |x|}: {@code bins / 2} bins over {@code [0, limit]}, bin {@code k} being the sum of
     * the bins just above and just below zero at distance {@code k}.
     */
    public long[] folded() {
        long[] c = counts();
        int half = bins / 2;
        long[] f = new long[half];
        for (int k = 0; k < half; k++) f[k] = c[half + k] + c[half - 1 - k];
        return f;
    }

    /** Number of values in bins outside {@code [edge(lo), edge(hi))}, {@code 0 ≤ lo ≤ hi ≤ bins}. */
    public long countOutside(int lo, int hi) {
        long[] c = counts();
        long n = 0;
        for (int j = 0; j < lo; j++) n += c[j];
        for (int j = hi; j < bins; j++) n += c[j];
        return n;
    }
}
