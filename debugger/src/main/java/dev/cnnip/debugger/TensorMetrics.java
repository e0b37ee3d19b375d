package dev.cnnip.debugger;

import dev.cnnip.tensor.ErrorStats;

/**
 * How close a simulated (dequantized) tensor is to a float reference: a small interface, so a test or a
 * session can plug in other figures; {@link #basic()} is the shared engine.
 */
public interface TensorMetrics {
    /**
     * The figures of {@link ErrorStats}, the comparison engine shared with {@code cnnip compare}.
     *
     * @param sqnrDb    signal-to-quantization-noise ratio {@code 10·log10(Σref² / Σ(ref − x)²)} in dB;
     *                  +Infinity when equal, −Infinity when the reference is all zero and they differ
     * @param cosine    {@code Σ x·ref / (‖x‖·‖ref‖)}, 1 when both are zero, 0 when only one is
     * @param maxAbsErr {@code max |x − ref|}
     */
    record Result(double sqnrDb, double cosine, double maxAbsErr) {}

    /** Compares equal-length arrays, element by element. */
    Result measure(float[] actual, float[] reference);

    /** {@link ErrorStats}: the same formulas and edge cases as {@code cnnip compare}, accumulated in double. */
    static TensorMetrics basic() {
        return (x, r) -> {
            if (x.length != r.length) throw new IllegalArgumentException(x.length + " vs " + r.length + " elements");
            ErrorStats s = new ErrorStats();
            s.addAll(r, x);
            return new Result(s.sqnrDb(), s.cosine(), s.maxAbsError());
        };
    }
}
