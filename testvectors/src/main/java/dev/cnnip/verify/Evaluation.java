package dev.cnnip.verify;

import java.util.Optional;

/**
 * The result of evaluating a classifier program on a labelled batch: data only; {@link EvalText} and
 * {@link EvalJson} render it. Everything but the timings ({@code seconds}) and {@code threads} is the
 * same for any number of threads.
 *
 * @param program     names the program, e.g. its file
 * @param batch       names the batch, e.g. its file
 * @param input       the program input the items fed
 * @param output      the program output classified
 * @param classes     scores per item in that output
 * @param threads     worker threads used
 * @param iss         classification on the instruction-set simulator
 * @param totalCycles simulated cycles of all items together
 * @param minCycles   fewest simulated cycles of an item
 * @param maxCycles   most simulated cycles of an item
 * @param clockMhz    the modelled core clock, MHz
 * @param reference   classification of the same items by a reference model, if one was given
 */
public record Evaluation(String program, String batch, String input, String output, int classes, int threads,
                         EvalScore iss, long totalCycles, long minCycles, long maxCycles, double clockMhz,
                         Optional<Reference> reference) {
    /**
     * A reference model's classification of the same items.
     *
     * @param model    names the model, e.g. its file
     * @param output   the model output classified
     * @param score    its classification
     * @param agreeing items where its top-1 class equals the simulator's
     */
    public record Reference(String model, String output, EvalScore score, int agreeing) {
        /** Agreement of the top-1 classes with the simulator, percent. */
        public double agreementPercent() {
            return EvalScore.percent(agreeing, score.items());
        }
    }

    /** Number of items evaluated. */
    public int items() {
        return iss.items();
    }

    /** Mean simulated cycles per item. */
    public double cyclesPerItem() {
        return (double) totalCycles / items();
    }

    /** Mean simulated time per item at {@code clockMhz}, microseconds. */
    public double simulatedMicrosPerItem() {
        return cyclesPerItem() / clockMhz;
    }
}
