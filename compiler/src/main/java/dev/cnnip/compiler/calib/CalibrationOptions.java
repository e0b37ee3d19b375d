package dev.cnnip.compiler.calib;

import java.util.Locale;

/**
 * The calibration method and its parameters.
 *
 * @param method        how ranges are chosen
 * @param percentile    for {@link CalibrationMethod#PERCENTILE}: the share of values, in percent, the
 *                      range must hold (50 &lt; p ≤ 100); asymmetric: at most {@code (100 − p) / 2} percent
 *                      are clipped on each side, symmetric: at most {@code 100 − p} percent of
 *                      {@code |x|} above the threshold
 * @param bins          histogram bins over {@code [−limit, limit]} (a multiple of 4, so that {@link
 *                      Histogram} can merge bins in pairs when the range doubles); the default 4096
 *                      gives 2048 bins on each side of zero, TensorRT's 2048 bins of {@code |x|}
 * @param quantizedBins for {@link CalibrationMethod#ENTROPY}: the levels the KL divergence search
 *                      assumes between 0 and the threshold (128, as TensorRT and the onnxruntime tool);
 *                      at most {@code bins / 2}
 * @param symmetric     percentile on {@code |x|} instead of each side separately (entropy always works
 *                      on {@code |x|}; min/max ignores it)
 */
public record CalibrationOptions(CalibrationMethod method, double percentile, int bins, int quantizedBins, boolean symmetric) {
    public static final double DEFAULT_PERCENTILE = 99.99;
    public static final int DEFAULT_BINS = 4096;
    public static final int DEFAULT_QUANTIZED_BINS = 128;

    public CalibrationOptions {
        if (!(percentile > 50 && percentile <= 100)) {
            throw new CalibrationDataException("percentile " + percentile + " must be above 50 and at most 100");
        }
        if (bins < 8 || bins % 4 != 0) throw new CalibrationDataException("histogram bins " + bins + " must be a multiple of 4, at least 8");
        if (quantizedBins < 2 || quantizedBins > bins / 2) {
            throw new CalibrationDataException("quantized bins " + quantizedBins + " must be 2 to " + bins / 2 + " (half the histogram bins)");
        }
    }

    /** Min/max with the default parameters for the other methods. */
    public static CalibrationOptions defaults() {
        return of(CalibrationMethod.MINMAX);
    }

    /** The method with default parameters. */
    public static CalibrationOptions of(CalibrationMethod method) {
        return new CalibrationOptions(method, DEFAULT_PERCENTILE, DEFAULT_BINS, DEFAULT_QUANTIZED_BINS, false);
    }

    /**
     * Parses the command-line form {@code minmax}, {@code entropy}, {@code percentile} or
     * {@code percentile=P} (P in percent, e.g. {@code percentile=99.9}; default 99.99).
     *
     * @throws CalibrationDataException for another name or a bad percentile
     */
    public static CalibrationOptions parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int eq = t.indexOf('=');
        String name = eq < 0 ? t : t.substring(0, eq);
        CalibrationMethod m = switch (name) {
            case "minmax" -> CalibrationMethod.MINMAX;
            case "percentile" -> CalibrationMethod.PERCENTILE;
            case "entropy" -> CalibrationMethod.ENTROPY;
            default -> throw new CalibrationDataException("calibration method '" + text + "' is unknown (minmax, percentile[=P], entropy)");
        };
        if (eq < 0) return of(m);
        if (m != CalibrationMethod.PERCENTILE) throw new CalibrationDataException("calibration method '" + text + "': only percentile takes a value");
        double p;
        try {
            p = Double.parseDouble(t.substring(eq + 1));
        } catch (NumberFormatException e) {
            throw new CalibrationDataException("calibration method '" + text + "': " + t.substring(eq + 1) + " is not a percentile");
        }
        return of(m).withPercentile(p);
    }

    public CalibrationOptions withPercentile(double p) {
        return new CalibrationOptions(method, p, bins, quantizedBins, symmetric);
    }

    public CalibrationOptions withBins(int bins, int quantizedBins) {
        return new CalibrationOptions(method, percentile, bins, quantizedBins, symmetric);
    }

    public CalibrationOptions withSymmetric(boolean symmetric) {
        return new CalibrationOptions(method, percentile, bins, quantizedBins, symmetric);
    }

    /** The command-line form, e.g. {@code percentile=99.99}. */
    @Override
    public String toString() {
        return method == CalibrationMethod.PERCENTILE ? "percentile=" + percentile : method.id();
    }
}
