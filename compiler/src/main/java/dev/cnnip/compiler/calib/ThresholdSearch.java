package dev.cnnip.compiler.calib;

/**
 * Chooses which histogram bins a quantization range keeps. Results are bin ranges {@code [lo, hi)} of a
 * {@link Histogram}, so the range is {@code [edge(lo), edge(hi)]} and the clipped values are exactly the
 * counts of the other bins. Pure functions of the counts.
 */
public final class ThresholdSearch {
    /** Smoothing weight, in counts, given to empty bins before the KL divergence (as MXNet and the onnxruntime tool). */
    static final double EPS = 1e-4;

    private ThresholdSearch() {}

    /** Bins {@code [lo, hi)} of a histogram are kept. */
    public record Cut(int lo, int hi) {}

    /**
     * The narrowest bin range holding at least {@code pct} percent of the values.
     * <ul>
     * <li>asymmetric: at most {@code (100 − pct) / 2} percent of the values lie below the range and at most
     *     as many above it; each side is cut separately ({@code lo} as high, {@code hi} as low as that allows);</li>
     * <li>symmetric: on {@code |x|}, the smallest {@code t} with at most {@code 100 − pct} percent of
     *     {@code |x|} above it; the range is {@code [−t, t]}.</li>
     * </ul>
     * The onnxruntime tool takes the lower edge of the bin where the cumulative share crosses the
     * percentile, which can clip up to one bin more than asked; here the guarantee holds.
     */
    public static Cut percentile(Histogram h, double pct, boolean symmetric) {
        int bins = h.bins();
        long[] c = h.counts();
        double n = h.total();
        if (symmetric) {
            long[] f = h.folded();
            double allowed = (100 - pct) / 100 * n;
            int k = f.length;
            double above = 0;
            while (k > 0 && above + f[k - 1] <= allowed) above += f[--k];
            return new Cut(bins / 2 - k, bins / 2 + k);
        }
        double allowed = (100 - pct) / 200 * n;
        int lo = 0;
        double below = 0;
        while (lo < bins && below + c[lo] <= allowed) below += c[lo++];
        int hi = bins;
        double above = 0;
        while (hi > lo && above + c[hi - 1] <= allowed) above += c[--hi];
        return new Cut(lo, hi);
    }

    /**
     * The entropy (KL divergence) threshold, TensorRT's method as the onnxruntime tool describes it, on
     * the histogram of {@code |x|} ({@link Histogram#folded}, {@code M = bins / 2} bins of width
     * {@code w}):
     * <ol>
     * <li>values exactly 0 are left out: any range represents them exactly (the zero point), and where they
     *     abound (Relu outputs, blank image background, padding) the bin holding them would otherwise
     *     dominate the divergence and drive the threshold down; pytorch-quantization's {@code skip_zeros}
     *     does the same, the onnxruntime tool does not;</li>
     * <li>for each candidate {@code i} from {@code quantizedBins} to the last non-empty bin: the reference
     *     {@code p} is bins {@code [0, i)} with the count of all bins beyond added to bin {@code i − 1}
     *     (clipped values saturate); the candidate {@code q} merges bins {@code [0, i)} (without the
     *     clipped values) into {@code quantizedBins} groups of {@code ⌊(g+1)·i/quantizedBins⌋ −
     *     ⌊g·i/quantizedBins⌋} bins and spreads each group's count evenly over the bins of the group that are
     *     non-empty in {@code p};</li>
     * <li>both are smoothed: empty bins get {@link #EPS} counts, taken from the others in proportion (the
     *     tool subtracts a fixed amount, which can turn small bins negative), then normalised;</li>
     * <li>the {@code i} of least {@code KL(p‖q) = Σ p ln(p/q)} wins (the smallest on ties); the threshold is
     *     {@code t = i·w} and the bins kept are {@code [M − i, M + i)}, i.e. {@code [−t, t]}.</li>
     * </ol>
     * Candidates that would clip more than {@link #MAX_ENTROPY_CLIP} of the values are skipped: when the
     * data does not reach down to zero (e.g. a tensor whose values all lie in [−8, −1.2]), a threshold
     * just above the smallest magnitude puts all the mass in the saturated last bin, where p and q agree
     * and the divergence vanishes — a degenerate optimum that would clip nearly everything.
     * When all values fit in {@code quantizedBins} bins nothing is clipped. The range is symmetric about
     * zero; callers intersect it with the observed {@code [min, max]} (one-sided data such as a Relu output
     * so keeps {@code [0, t]}). Thresholds beyond the data are not candidates: they would be clamped to the
     * maximum anyway. The onnxruntime tool runs the search on the two-sided histogram instead (windows
     * centred on the bin holding 0, {@code quantizedBins} over both signs); folding as TensorRT does puts
     * {@code quantizedBins} levels on each side, closer to the 255 steps an 8-bit code has over {@code [−t, t]}.
     */
    /** Largest share of the (non-zero) values an entropy threshold may clip. */
    public static final double MAX_ENTROPY_CLIP = 0.01;

    public static Cut entropy(Histogram h, int quantizedBins) {
        long[] f = h.folded();
        f[0] -= h.zeros();
        int half = f.length;
        int last = half;
        while (last > 0 && f[last - 1] == 0) last--;
        if (last <= quantizedBins) return new Cut(half - last, half + last);
        long[] beyond = new long[half + 1];
        for (int k = half - 1; k >= 0; k--) beyond[k] = beyond[k + 1] + f[k];
        int best = last;
        double bestKl = Double.POSITIVE_INFINITY;
        double[] p = new double[last];
        double[] q = new double[last];
        long total = beyond[0];
        for (int i = quantizedBins; i <= last; i++) {
            if (beyond[i] > MAX_ENTROPY_CLIP * total) continue;
            double kl = divergence(f, i, beyond[i], quantizedBins, p, q);
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        return new Cut(half - best, half + best);
    }

    /** KL(p‖q) of candidate {@code i} (scratch arrays {@code p}, {@code q} of length ≥ {@code i}). */
    static double divergence(long[] f, int i, long clipped, int nq, double[] p, double[] q) {
        for (int k = 0; k < i; k++) p[k] = f[k];
        p[i - 1] += clipped;
        for (int g = 0; g < nq; g++) {
            int start = (int) ((long) g * i / nq);
            int end = (int) ((long) (g + 1) * i / nq);
            double sum = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++) {
                sum += f[k];
                if (p[k] != 0) nonEmpty++;
            }
            double each = nonEmpty == 0 ? 0 : sum / nonEmpty;
            for (int k = start; k < end; k++) q[k] = p[k] != 0 ? each : 0;
        }
        if (!smooth(p, i) || !smooth(q, i)) return Double.POSITIVE_INFINITY;
        double sp = 0;
        double sq = 0;
        for (int k = 0; k < i; k++) {
            sp += p[k];
            sq += q[k];
        }
        double kl = 0;
        for (int k = 0; k < i; k++) {
            double pk = p[k] / sp;
            kl += pk * Math.log(pk / (q[k] / sq));
        }
        return kl;
    }

    /** Empty bins get {@link #EPS}; the others give that mass up in proportion. False when all are empty. */
    private static boolean smooth(double[] d, int n) {
        double sum = 0;
        int zeros = 0;
        for (int k = 0; k < n; k++) {
            sum += d[k];
            if (d[k] == 0) zeros++;
        }
        if (sum <= 0) return false;
        double keep = 1 - EPS * zeros / sum;
        for (int k = 0; k < n; k++) d[k] = d[k] == 0 ? EPS : d[k] * keep;
        return true;
    }
}
