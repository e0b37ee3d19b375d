package dev.cnnip.verify;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Top-1 / top-5 accuracy of a classifier program on a labelled batch, on the instruction-set simulator
 * (a fresh {@link Machine} per item, items spread over worker threads), optionally against a reference
 * model in ONNX Runtime on the same items.
 *
 * <p>The predicted class of an item is the arg-max of the classified output's scores (see
 * {@link ClassScores}); an item counts for top-k when its label ranks below k there.
 */
public final class Evaluator {
    private Evaluator() {}

    /**
     * Options of one evaluation.
     *
     * @param output   the program output to classify, or null for the program's only output
     * @param limit    evaluate only the first {@code limit} items; 0 for all
     * @param threads  worker threads, at least 1
     * @param sim      simulator options
     * @param progress where the phases report their progress
     */
    public record Options(String output, int limit, int threads, SimOptions sim, EvalProgress progress) {
        public Options {
            if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        /** The only output, all items, one thread per core, default simulator options, quiet. */
        public static Options defaults() {
            return new Options(null, 0, Runtime.getRuntime().availableProcessors(), SimOptions.defaults(),
                    EvalProgress.QUIET);
        }

        public Options withOutput(String name) {
            return new Options(name, limit, threads, sim, progress);
        }

        public Options withLimit(int n) {
            return new Options(output, n, threads, sim, progress);
        }

        public Options withThreads(int n) {
            return new Options(output, limit, n, sim, progress);
        }

        public Options withProgress(EvalProgress p) {
            return new Options(output, limit, threads, sim, p);
        }
    }

    /**
     * A reference model for the same items. Its only input gets each item (or, with several, the input of
     * the program's input name); its output classified is the one named as the program's, or its only one.
     *
     * @param name   names the model, e.g. its file
     * @param runner the model's session, owned by the caller
     */
    public record ReferenceModel(String name, OrtRunner runner) {}

    /**
     * What one item gave on one engine (serializable: distributed runners ship it back to the driver).
     *
     * @param top1      predicted class
     * @param labelRank rank of the item's label among the scores (0 = top-1)
     * @param cycles    simulated cycles (0 for a reference model)
     * @param clockMhz  modelled clock (0 for a reference model)
     */
    public record ItemResult(int top1, int labelRank, long cycles, double clockMhz) implements java.io.Serializable {}

    /**
     * Runs the simulator on items {@code 0 … items−1} (a fresh or reset machine per item): locally on worker threads
     * ({@link #LOCAL}) or elsewhere (the {@code spark} module's runner). Results by item index; the same for
     * any runner.
     */
    @FunctionalInterface
    public interface IssRunner {
        /** Results of items {@code 0 … items−1} of {@code batch}, each from {@link #simulateItem}. */
        List<ItemResult> run(Program program, String programName, EvalBatch batch, EvalLabels labels, String output,
                             int items, Options opts, EvalProgress.Task task);
    }

    /**
     * The local runner: {@code opts.threads()} worker threads, one machine per thread (reset between its
     * items, {@link Machine#reset()}), nothing shared but the immutable program.
     */
    public static final IssRunner LOCAL = (program, programName, batch, labels, output, items, opts, task) -> {
        ThreadLocal<Machine> machines = ThreadLocal.withInitial(() -> new Machine(program, opts.sim(), programName));
        return ParallelItems.map(batch.source(), items, Math.min(opts.threads(), items),
                i -> simulateItem(machines.get(), batch.input(), batch.item(i), labels.get(i), output), task);
    };

    /** One item on a fresh machine: writes {@code item} to {@code input}, runs, classifies {@code output}. */
    public static ItemResult simulateItem(Program program, String programName, String input, Tensor item, int label,
                                          String output, SimOptions sim) {
        return simulateItem(new Machine(program, sim, programName), input, item, label, output);
    }

    /**
     * One item on {@code m}, reset first when it has run before: writes {@code item} to {@code input}, runs,
     * classifies {@code output}. The same result as on a fresh machine.
     */
    public static ItemResult simulateItem(Machine m, String input, Tensor item, int label, String output) {
        if (m.state().retired() > 0 || m.state().fault().isPresent()) m.reset();
        m.writeInput(input, item);
        m.run();
        // The simulated time is the machine's clock, the perf report's total (0 in a functional-only run); building
        // the whole report per item would cost more than a small network's simulation.
        return result(m.readSymbol(output), output, label, m.state().cycle(), m.program().hwConfig().clockMhz());
    }

    /**
     * Evaluates {@code program} on {@code batch}.
     *
     * @param programName names the program in the result and in errors, e.g. its file
     * @param reference   a model to compare with, or null
     * @throws IllegalArgumentException for an unknown or ambiguous output, an output that is not one
     *     item's class scores, labels that do not match the batch or the classes
     * @throws RuntimeException naming the batch and item when an item fails (a simulator fault, an ONNX
     *     Runtime error); the lowest-indexed failing item whatever the number of threads
     */
    public static Evaluation evaluate(Program program, String programName, EvalBatch batch, EvalLabels labels,
                                      Options opts, ReferenceModel reference) {
        return evaluate(program, programName, batch, labels, opts, reference, LOCAL);
    }

    /** As {@link #evaluate(Program, String, EvalBatch, EvalLabels, Options, ReferenceModel)} on {@code runner}. */
    public static Evaluation evaluate(Program program, String programName, EvalBatch batch, EvalLabels labels,
                                      Options opts, ReferenceModel reference, IssRunner runner) {
        String output = programOutput(program, programName, opts.output());
        Symbol out = program.symbol(output).orElseThrow();
        int classes = ClassScores.count(out.shape(), output);
        if (labels.size() != batch.size()) {
            throw new IllegalArgumentException(labels.source() + ": " + labels.size() + " labels for the "
                    + batch.size() + " items of " + batch.source());
        }
        labels.checkClasses(classes, output);
        int items = opts.limit() > 0 ? Math.min(opts.limit(), batch.size()) : batch.size();
        int threads = Math.min(opts.threads(), items);

        long t0 = System.nanoTime();
        List<ItemResult> iss;
        try (EvalProgress.Task task = opts.progress().start("ISS", items)) {
            iss = runner.run(program, programName, batch, labels, output, items, opts, task);
        }
        EvalScore issScore = score(iss, seconds(t0));
        long total = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (ItemResult r : iss) {
            total += r.cycles();
            min = Math.min(min, r.cycles());
            max = Math.max(max, r.cycles());
        }
        Optional<Evaluation.Reference> ref = reference == null ? Optional.empty()
                : Optional.of(reference(reference, batch, labels, items, threads, output, classes, opts, issScore));
        return new Evaluation(programName, batch.source(), batch.input(), output, classes, threads, issScore, total, min,
                max, iss.get(0).clockMhz(), ref);
    }

    private static Evaluation.Reference reference(ReferenceModel ref, EvalBatch batch, EvalLabels labels, int items,
                                                  int threads, String programOutput, int classes, Options opts,
                                                  EvalScore iss) {
        OrtRunner ort = ref.runner();
        String input = ort.inputNames().size() == 1 ? ort.inputNames().get(0) : batch.input();
        String output = referenceOutput(ref, programOutput);
        long t0 = System.nanoTime();
        List<ItemResult> results;
        try (EvalProgress.Task task = opts.progress().start("ONNX Runtime", items)) {
            results = ParallelItems.map(batch.source(), items, threads, i -> {
                Tensor y = ort.run(Map.of(input, batch.item(i)), List.of(output)).get(output);
                if (y.size() != classes) {
                    throw new IllegalArgumentException(ref.name() + ": output '" + output + "' " + y + " has " + y.size()
                            + " scores, the program's output '" + programOutput + "' " + classes);
                }
                return result(y, output, labels.get(i), 0, 0);
            }, task);
        }
        EvalScore score = score(results, seconds(t0));
        return new Evaluation.Reference(ref.name(), output, score, score.agreeing(iss));
    }

    private static ItemResult result(Tensor y, String output, int label, long cycles, double clockMhz) {
        double[] scores = ClassScores.of(y, output);
        return new ItemResult(ClassScores.argmax(scores), ClassScores.rank(scores, label), cycles, clockMhz);
    }

    private static EvalScore score(List<ItemResult> results, double seconds) {
        List<Integer> top1 = new ArrayList<>(results.size());
        int correct1 = 0;
        int correct5 = 0;
        for (ItemResult r : results) {
            top1.add(r.top1());
            if (r.labelRank() < 1) correct1++;
            if (r.labelRank() < 5) correct5++;
        }
        return new EvalScore(top1, correct1, correct5, seconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The named output, or the only one. */
    private static String programOutput(Program p, String programName, String asked) {
        if (asked != null) {
            if (!p.outputs().contains(asked)) {
                throw new IllegalArgumentException(programName + " has no output '" + asked + "' (outputs: "
                        + String.join(", ", p.outputs()) + ")");
            }
            return asked;
        }
        if (p.outputs().size() != 1) {
            throw new IllegalArgumentException(programName + " has outputs " + String.join(", ", p.outputs())
                    + "; choose the one to classify with --output NAME");
        }
        return p.outputs().get(0);
    }

    /** The reference output of the program output's name, else the reference's only output. */
    private static String referenceOutput(ReferenceModel ref, String programOutput) {
        List<String> names = ref.runner().outputNames();
        if (names.contains(programOutput)) return programOutput;
        if (names.size() == 1) return names.get(0);
        throw new IllegalArgumentException(ref.name() + " has outputs " + String.join(", ", names) + " but none named '"
                + programOutput + "'");
    }
}
