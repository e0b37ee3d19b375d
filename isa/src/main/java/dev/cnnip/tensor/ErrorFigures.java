package dev.cnnip.tensor;

/**
 * Error figures of one tensor (see {@link ErrorStats} for the formulas).
 *
 * @param elements      element pairs compared (over all items)
 * @param sqnrDb        signal-to-quantization-noise ratio, dB; {@code +∞} when exact
 * @param cosine        cosine similarity, in [−1, 1]
 * @param rmse          root mean square error, in the tensor's real units
 * @param rmseOverScale RMSE in quantization steps; {@code 1/√12 ≈ 0.289} is rounding alone
 * @param maxAbsError   largest absolute error, real units
 */
public record ErrorFigures(long elements, double sqnrDb, double cosine, double rmse, double rmseOverScale,
                           double maxAbsError) {
    /** No comparison made. */
    public static final ErrorFigures NONE = new ErrorFigures(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public boolean present() {
        return elements > 0;
    }
}
