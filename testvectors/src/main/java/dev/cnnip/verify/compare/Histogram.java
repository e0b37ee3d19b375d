package dev.cnnip.verify.compare;

/**
 * Counts of float reference values in {@code bins} equal bins over {@code [lo, hi)}, plus the values below
 * and above; the range spans the calibrated range and half its width again on each side.
 *
 * @param lo     lower edge
 * @param hi     upper edge, {@code > lo}
 * @param counts per bin
 * @param below  values {@code < lo}
 * @param above  values {@code >= hi}
 */
public record Histogram(double lo, double hi, long[] counts, long below, long above) {
    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** An accumulator over the calibrated range {@code [calibLo, calibHi]}. */
    static final class Builder {
        private final double lo;
        private final double hi;
        private final long[] counts;
        private long below;
        private long above;

        Builder(double calibLo, double calibHi, int bins) {
            double w = Math.max(calibHi - calibLo, 1e-12);
            this.lo = calibLo - w / 2;
            this.hi = calibHi + w / 2;
            this.counts = new long[bins];
        }

        void add(double v) {
            if (v < lo) below++;
            else if (v >= hi) above++;
            else counts[Math.min(counts.length - 1, (int) ((v - lo) / (hi - lo) * counts.length))]++;
        }

        Histogram build() {
            return new Histogram(lo, hi, counts, below, above);
        }
    }
}
