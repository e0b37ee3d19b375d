package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/** Checks of one input tensor against the model input it feeds; failures name {@code where} (a file). */
final class ItemCheck {
    private ItemCheck() {}

    /** Element type and shape, then finiteness of every value. */
    static void check(Tensor t, InputSpec input, String where) {
        fits(t, input, where);
        finite(t, where);
    }

    /** The element type equals the input's and the shape has its rank and every known dimension. */
    static void fits(Tensor t, InputSpec input, String where) {
        if (t.dtype() != input.dtype()) {
            throw new CalibrationDataException(where + ": " + t.dtype().shortName() + " data, but input '"
                    + input.name() + "' is " + input.dtype().shortName());
        }
        if (!input.accepts(t.shape())) {
            throw new CalibrationDataException(where + ": shape " + InputSpec.dims(t.shape()) + " does not fit input '"
                    + input.name() + "' " + input.describe());
        }
    }

    /** No NaN or infinite value (floating types); names the first offender and its index. */
    static void finite(Tensor t, String where) {
        if (t.dtype().isInteger()) return;
        int n = t.size();
        for (int i = 0; i < n; i++) {
            double v = t.getDouble(i);
            if (!Double.isFinite(v)) {
                throw new CalibrationDataException(where + ": element " + i + " (index " + Arrays.toString(index(t.shape(), i))
                        + ") is " + (Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf"));
            }
        }
    }

    /** The row-major multi-index of linear index {@code i}. */
    static int[] index(int[] shape, int i) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : i % shape[d];
            i = shape[d] == 0 ? 0 : i / shape[d];
        }
        return idx;
    }
}
