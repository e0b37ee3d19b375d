package dev.cnnip.emulator.timing;

import java.util.ArrayList;
import java.util.List;

/**
 * The spread of a per-layer ratio over a population of layers (e.g. {@code cycles / bound} over the
 * convolutions): its count and order statistics. A quantile {@code q} is the value at rank {@code q·(n−1)}
 * of the sorted values, interpolated linearly between neighbours (numpy's default); the median of an even
 * count is thus the mean of the two middle values. All figures are 0 for an empty population.
 */
public record RatioSpread(int count, double min, double p25, double median, double p75, double p90, double max) {
    /** No values. */
    public static final RatioSpread EMPTY = new RatioSpread(0, 0, 0, 0, 0, 0, 0);

    /** The spread of {@code values} (not modified). */
    public static RatioSpread of(List<Double> values) {
        if (values.isEmpty()) return EMPTY;
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        return new RatioSpread(v.size(), v.get(0), quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75),
                quantile(v, 0.9), v.get(v.size() - 1));
    }

    private static double quantile(List<Double> sorted, double q) {
        double rank = q * (sorted.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (rank - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
