package dev.cnnip.verify;

import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Class scores of one item from a classifier output, and where a class ranks among them.
 *
 * <p>The class axis is the output's only axis longer than 1: the last axis of a {@code [1, C]} output,
 * or axis 1 of {@code [1, C, 1, 1]} (a convolution head). Scores are read as doubles, so float logits,
 * dequantized logits and integer outputs all work. Ranking is the order of a stable descending sort:
 * a higher score ranks first, and equal scores rank by lower class index first (as numpy's
 * {@code argmax} picks the first maximum).
 */
public final class ClassScores {
    private ClassScores() {}

    /**
     * The number of classes of an output of shape {@code shape}.
     *
     * @param name names the output in the error
     * @throws IllegalArgumentException when more than one axis is longer than 1 (not one item's scores)
     */
    public static int count(int[] shape, String name) {
        int longAxes = 0;
        long n = 1;
        for (int d : shape) {
            if (d > 1) longAxes++;
            n *= d;
        }
        if (longAxes > 1 || n == 0) {
            throw new IllegalArgumentException("output '" + name + "' " + Arrays.toString(shape)
                    + " is not one item's class scores (" + (n == 0 ? "it is empty" : "more than one axis is longer than 1")
                    + ")");
        }
        return (int) n;
    }

    /**
     * The scores of {@code output}, one per class.
     *
     * @param name names the output in the error
     * @throws IllegalArgumentException as {@link #count}
     */
    public static double[] of(Tensor output, String name) {
        double[] s = new double[count(output.shape(), name)];
        for (int i = 0; i < s.length; i++) s[i] = output.getDouble(i);
        return s;
    }

    /** The top-1 class: the highest score, the lowest index among equal highest scores. */
    public static int argmax(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) if (Double.compare(scores[i], scores[best]) > 0) best = i;
        return best;
    }

    /**
     * The 0-based rank of class {@code c}: the number of classes scoring higher, plus those scoring
     * equal with a lower index. {@code c} is among the top {@code k} classes iff {@code rank < k}.
     */
    public static int rank(double[] scores, int c) {
        if (c < 0 || c >= scores.length) {
            throw new IndexOutOfBoundsException("class " + c + " is outside 0.." + (scores.length - 1));
        }
        int r = 0;
        for (int i = 0; i < scores.length; i++) {
            int cmp = Double.compare(scores[i], scores[c]);
            if (cmp > 0 || cmp == 0 && i < c) r++;
        }
        return r;
    }
}
