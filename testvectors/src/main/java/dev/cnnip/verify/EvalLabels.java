package dev.cnnip.verify;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;

/**
 * The expected class of every item of a batch.
 *
 * @param source names the labels in errors, e.g. their file
 * @param values one class index per item
 */
public record EvalLabels(String source, int[] values) {
    public EvalLabels {
        values = values.clone();
    }

    /**
     * Labels from an integer tensor of shape {@code [items]} (or {@code [items, 1]}).
     *
     * @param batchSource names the batch in the count error
     * @throws IllegalArgumentException naming {@code source} for a non-integer type, a count other than
     *     {@code items}, or a negative label
     */
    public static EvalLabels of(String source, Tensor t, int items, String batchSource) {
        if (!t.dtype().isInteger() || t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(source + ": labels must be integers (uint8, int32 or int64), got " + t);
        }
        if (t.rank() == 0 || t.dim(0) != t.size()) {
            throw new IllegalArgumentException(source + ": labels must be a list of shape [N], got " + t);
        }
        if (t.size() != items) {
            throw new IllegalArgumentException(source + ": " + t.size() + " labels for the " + items + " items of "
                    + batchSource);
        }
        int[] v = new int[items];
        for (int i = 0; i < items; i++) {
            long l = t.getLong(i);
            if (l < 0 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": label " + l + " of item " + i + " is not a class index");
            }
            v[i] = (int) l;
        }
        return new EvalLabels(source, v);
    }

    /**
     * Checks that every label is a class of an output with {@code classes} scores.
     *
     * @throws IllegalArgumentException naming the first label out of range
     */
    public void checkClasses(int classes, String output) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classes) {
                throw new IllegalArgumentException(source + ": label " + values[i] + " of item " + i
                        + " is not a class of output '" + output + "' (" + classes + " classes)");
            }
        }
    }

    public int size() {
        return values.length;
    }

    public int get(int i) {
        return values[i];
    }

    @Override
    public int[] values() {
        return values.clone();
    }
}
