package dev.cnnip.verify;

import java.util.List;

/**
 * How one engine classified the items of an evaluation.
 *
 * @param predictions the top-1 class of every item, by item index
 * @param top1        items whose label is the top-1 class
 * @param top5        items whose label is among the top 5 classes (all classes when there are fewer)
 * @param seconds     wall-clock time of the runs, all threads together
 */
public record EvalScore(List<Integer> predictions, int top1, int top5, double seconds) {
    public EvalScore {
        predictions = List.copyOf(predictions);
    }

    /** Number of items. */
    public int items() {
        return predictions.size();
    }

    /** Top-1 accuracy in percent. */
    public double top1Percent() {
        return percent(top1, items());
    }

    /** Top-5 accuracy in percent. */
    public double top5Percent() {
        return percent(top5, items());
    }

    /** Items per wall-clock second; 0 when no time was measured. */
    public double itemsPerSecond() {
        return seconds > 0 ? items() / seconds : 0;
    }

    /** Items whose top-1 class is the same as in {@code other} (same items, same order). */
    public int agreeing(EvalScore other) {
        if (other.items() != items()) {
            throw new IllegalArgumentException(items() + " items against " + other.items());
        }
        int n = 0;
        for (int i = 0; i < items(); i++) if (predictions.get(i).equals(other.predictions.get(i))) n++;
        return n;
    }

    static double percent(int count, int of) {
        return of == 0 ? 0 : 100.0 * count / of;
    }
}
