package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.calib.CalibrationDataException;
import dev.cnnip.compiler.calib.RangeCollector;
import dev.cnnip.tensor.Tensor;

/**
 * Running minimum and maximum of one tensor's values over the calibration set ({@link RangeCollector}
 * adds the other calibration methods).
 */
public final class RangeStats {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long count;

    /** Adds every element of {@code t}; a NaN or infinite value is a {@link CalibrationDataException} naming {@code what}. */
    public void add(Tensor t, String what) {
        int n = t.size();
        for (int i = 0; i < n; i++) {
            float v = t.getFloat(i);
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                throw new CalibrationDataException(what + " contains " + v + " at element " + i);
            }
            if (v < min) min = v;
            if (v > max) max = v;
        }
        count += n;
    }

    public float min() {
        return count == 0 ? 0f : min;
    }

    public float max() {
        return count == 0 ? 0f : max;
    }

    public long count() {
        return count;
    }
}
