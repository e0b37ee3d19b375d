package dev.cnnip.compiler.calib;

import java.util.Locale;

/** How a tensor's quantization range is chosen from the values seen during calibration. */
public enum CalibrationMethod {
    /** The smallest and largest value seen: nothing is clipped, outliers stretch the range. */
    MINMAX,
    /** The range that holds the given percentile of the values ({@link ThresholdSearch#percentile}). */
    PERCENTILE,
    /** The threshold that minimises the KL divergence of the quantized distribution ({@link ThresholdSearch#entropy}). */
    ENTROPY;

    /** The lower-case name used on the command line: {@code minmax}, {@code percentile}, {@code entropy}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
