package dev.cnnip.compiler.calib;

/**
 * The calibrated range of one tensor, as the quantization summary reports it.
 *
 * @param tensor          the tensor's name
 * @param method          how the range was chosen
 * @param min             lower end of the range to quantize ({@code ≥ observedMin})
 * @param max             upper end ({@code ≤ observedMax}); both 0 when no value was seen
 * @param observedMin     the smallest value seen
 * @param observedMax     the largest value seen
 * @param clippedFraction share of the values seen outside {@code [min, max]}, 0..1: 0 for min/max; for the
 *                        histogram methods the share in bins outside the range (a value exactly at an
 *                        inner bin edge chosen as the upper end counts as clipped)
 * @param count           number of values seen (elements × items)
 */
public record TensorRange(String tensor, CalibrationMethod method, float min, float max, float observedMin, float observedMax,
                          double clippedFraction, long count) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %s [%g, %g] of [%g, %g], %.4f%% clipped, %d values",
                tensor, method.id(), min, max, observedMin, observedMax, 100 * clippedFraction, count);
    }
}
