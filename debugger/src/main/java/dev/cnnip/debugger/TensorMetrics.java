package dev.cnnip.debugger;

/**
 * How close a simulated (dequantized) tensor is to a float reference. A small interface so a shared
 * comparison engine can replace {@link #basic()}.
 */
public interface TensorMetrics {
    /**
     * @param sqnrDb    signal-to-quantization-noise ratio {@code 10·log10(Σref² / Σ(ref − x)²)} in dB;
     *                  +Infinity when equal, NaN when the reference is all zero and they differ
     * @param cosine    {@code Σ x·ref / (‖x‖·‖ref‖)}, 1 when both are zero, NaN when only one is
     * @param maxAbsErr {@code max |x − ref|}
     */
    record Result(double sqnrDb, double cosine, double maxAbsErr) {}

    /** Compares equal-length arrays, element by element. */
    Result measure(float[] actual, float[] reference);

    /** The direct formulas above, accumulated in double. */
    static TensorMetrics basic() {
        return (x, r) -> {
            if (x.length != r.length) throw new IllegalArgumentException(x.length + " vs " + r.length + " elements");
            double sig = 0;
            double noise = 0;
            double dot = 0;
            double xx = 0;
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                double d = (double) r[i] - x[i];
                sig += (double) r[i] * r[i];
                noise += d * d;
                dot += (double) x[i] * r[i];
                xx += (double) x[i] * x[i];
                max = Math.max(max, Math.abs(d));
            }
            double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : sig == 0 ? Double.NaN : 10 * Math.log10(sig / noise);
            double cos = xx == 0 && sig == 0 ? 1 : xx == 0 || sig == 0 ? Double.NaN : dot / Math.sqrt(xx * sig);
            return new Result(sqnr, cos, max);
        };
    }
}
