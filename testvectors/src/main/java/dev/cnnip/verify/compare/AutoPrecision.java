package dev.cnnip.verify.compare;

import dev.cnnip.compiler.quant.BitsOverrides;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Greedy mixed precision: until the output SQNR reaches the target, widen to 16 bits the layer (with its
 * recommendation, see {@link Diagnoser}) that buys the most output SQNR per added cycle. Each step measures
 * the {@code candidates} layers with the lowest isolated SQNR (the largest own error) for real — re-quantized,
 * re-compiled and run — and keeps the best dB per added cycle; it stops when the target is reached, when no
 * candidate improves the output, or when every layer is widened.
 */
public final class AutoPrecision {
    private AutoPrecision() {}

    /**
     * One row of the Pareto table.
     *
     * @param step       0 for the starting program
     * @param added      layers widened at this step (empty at step 0)
     * @param widened    16-bit layers in all
     * @param cycles     cycles of one inference
     * @param sqnrDb     output SQNR (worst output), dB
     */
    public record Step(int step, List<String> added, int widened, long cycles, double sqnrDb) {}

    /**
     * @param targetDb   the asked output SQNR
     * @param reached    whether the last step reaches it
     * @param steps      the Pareto table
     * @param overrides  the overrides of the last step
     * @param candidates widenable layers in all
     */
    public record Result(double targetDb, boolean reached, List<Step> steps, BitsOverrides overrides, int candidates) {}

    public static Result run(CompareReport base, double targetDb, int candidates, QuantFix.Rebuild rebuild,
                             QuantFix.Evaluate evaluate, Consumer<String> log) {
        BitsOverrides cur = QuantFix.existing(base);
        List<Step> steps = new ArrayList<>();
        double sqnr = base.output().figures().sqnrDb();
        long cycles = base.cost().cycles();
        steps.add(new Step(0, List.of(), cur.activations16().size(), cycles, sqnr));
        List<LayerView> pool = new ArrayList<>(base.layers().stream().filter(v -> v.overrideName() != null).toList());
        int widenable = pool.size();
        final BitsOverrides start = cur;
        pool.removeIf(v -> start.activations16().contains(v.overrideName()));
        pool.sort(Comparator.comparingDouble(AutoPrecision::ownSqnr));
        while (sqnr < targetDb && !pool.isEmpty()) {
            LayerView best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            BitsOverrides bestO = null;
            double bestSqnr = 0;
            long bestCycles = 0;
            for (LayerView v : pool.subList(0, Math.min(candidates, pool.size()))) {
                BitsOverrides o = cur.plus(move(v));
                CompareReport r = evaluate.compare(rebuild.build(o));
                double s = r.output().figures().sqnrDb();
                long c = r.cost().cycles();
                double value = (s - sqnr) / Math.max(1, c - cycles);
                log.accept(String.format(java.util.Locale.ROOT, "  try %-32s %7.2f dB %+10d cycles", v.name(), s, c - cycles));
                if (s > sqnr && value > bestValue) {
                    bestValue = value;
                    best = v;
                    bestO = o;
                    bestSqnr = s;
                    bestCycles = c;
                }
            }
            if (best == null) break;
            final LayerView chosen = best;
            cur = bestO;
            sqnr = bestSqnr;
            cycles = bestCycles;
            Set<String> added = new LinkedHashSet<>(move(chosen).activations16());
            added.addAll(move(chosen).weights16());
            pool.remove(chosen);
            final BitsOverrides now = cur;
            pool.removeIf(v -> now.activations16().contains(v.overrideName()));
            steps.add(new Step(steps.size(), List.copyOf(added), cur.activations16().size(), cycles, sqnr));
        }
        return new Result(targetDb, sqnr >= targetDb, steps, cur, widenable);
    }

    /** A layer's own recommendation (its activations at least). */
    static BitsOverrides move(LayerView v) {
        Set<String> a = new LinkedHashSet<>(v.widenActivations());
        a.add(v.overrideName());
        return new BitsOverrides(a, Set.copyOf(v.widenWeights()));
    }

    private static double ownSqnr(LayerView v) {
        return v.isolated().present() ? v.isolated().sqnrDb() : v.accumulated().sqnrDb();
    }
}
