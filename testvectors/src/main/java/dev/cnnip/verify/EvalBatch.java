package dev.cnnip.verify;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * A batch of inputs for one program input: items stacked along a new first axis.
 *
 * <p>The batch has shape {@code [N, d1, …, dk]} where the input has shape {@code [1, d1, …, dk]}
 * (batch 1, the usual case: images f32[1000, 1, 28, 28] for an input f32[1, 1, 28, 28]) or
 * {@code [d1, …, dk]} (an input without a batch axis), and the input's element type. Item {@code i} is
 * the {@code i}-th slice, reshaped to the input's shape.
 *
 * @param source names the batch in errors, e.g. its file
 * @param input  the program input the items feed
 * @param data   the whole batch
 * @param itemShape the input's shape, the shape of each item
 */
public record EvalBatch(String source, String input, Tensor data, int[] itemShape) {
    public EvalBatch {
        itemShape = itemShape.clone();
    }

    /**
     * Checks {@code data} against an input of element type {@code dtype} and shape {@code shape}.
     *
     * @throws IllegalArgumentException naming {@code source} when the batch is empty or its type or
     *     shape does not fit the input
     */
    public static EvalBatch of(String source, Tensor data, String input, DType dtype, int[] shape) {
        int[] in = shape.clone();
        int[] items = data.rank() == 0 ? new int[0] : Arrays.copyOfRange(data.shape(), 1, data.rank());
        boolean fits = data.dtype() == dtype && data.rank() > 0
                && (Arrays.equals(items, in) || in.length == items.length + 1 && in[0] == 1
                    && Arrays.equals(items, Arrays.copyOfRange(in, 1, in.length)));
        if (!fits) {
            int[] tail = in.length > 0 && in[0] == 1 ? Arrays.copyOfRange(in, 1, in.length) : in;
            throw new IllegalArgumentException(source + ": batch " + data + " does not fit input '" + input + "' "
                    + dtype.shortName() + Arrays.toString(in) + ": expected " + dtype.shortName() + "[N" + dims(tail) + "]");
        }
        if (data.dim(0) == 0) throw new IllegalArgumentException(source + ": the batch is empty");
        return new EvalBatch(source, input, data, in);
    }

    private static String dims(int[] d) {
        StringBuilder sb = new StringBuilder();
        for (int x : d) sb.append(", ").append(x);
        return sb.toString();
    }

    /** Number of items. */
    public int size() {
        return data.dim(0);
    }

    /** Item {@code i} as a new tensor of the input's shape. */
    public Tensor item(int i) {
        int bytes = data.data().length / size();
        return new Tensor(data.dtype(), itemShape, Arrays.copyOfRange(data.data(), i * bytes, (i + 1) * bytes));
    }

    @Override
    public int[] itemShape() {
        return itemShape.clone();
    }
}
