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
 * {@code candidates} layers for real — re-quantized, re-compiled and run — and keeps the best dB per added
 * cycle: first the layer producing the worst output, then those with the lowest isolated SQNR (the largest own
 * error). A candidate move widens the layer's recommendation and the layers producing its inputs (so it reads
 * them in 16 bits). A candidate that does not improve the output, or that the quantizer or compiler cannot
 * build, leaves the pool; the loop stops when the
 * target is reached, or when the pool is empty.
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

    public static Result run(CompareReport base, dev.cnnip.program.Program program, double targetDb, int candidates,
                             QuantFix.Rebuild rebuild, QuantFix.Evaluate evaluate, Consumer<String> log) {
        java.util.Map<String, LayerView> bySymbol = new java.util.HashMap<>();
        for (LayerView v : base.layers()) bySymbol.put(v.symbol(), v);
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
        base.layer(base.output().name()).filter(pool::contains).ifPresent(v -> {
            pool.remove(v);
            pool.add(0, v);
        });
        while (sqnr < targetDb && !pool.isEmpty()) {
            LayerView best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            BitsOverrides bestO = null;
            double bestSqnr = 0;
            long bestCycles = 0;
            List<LayerView> failed = new ArrayList<>();
            for (LayerView v : List.copyOf(pool.subList(0, Math.min(candidates, pool.size())))) {
                BitsOverrides o = cur.plus(move(v, program, bySymbol));
                CompareReport r;
                try {
                    r = evaluate.compare(rebuild.build(o));
                } catch (RuntimeException e) {
                    // e.g. a lookup-table layer cannot read 16-bit codes: this move is not available
                    log.accept(String.format(java.util.Locale.ROOT, "  try %-32s cannot be built: %s", v.name(),
                            String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
                    failed.add(v);
                    continue;
                }
                double s = r.output().figures().sqnrDb();
                long c = r.cost().cycles();
                double value = (s - sqnr) / Math.max(1, c - cycles);
                log.accept(String.format(java.util.Locale.ROOT, "  try %-32s %7.2f dB %+10d cycles", v.name(), s, c - cycles));
                if (s <= sqnr) failed.add(v);
                if (s > sqnr && value > bestValue) {
                    bestValue = value;
                    best = v;
                    bestO = o;
                    bestSqnr = s;
                    bestCycles = c;
                }
            }
            pool.removeAll(failed);
            if (best == null) continue;
            final LayerView chosen = best;
            cur = bestO;
            sqnr = bestSqnr;
            cycles = bestCycles;
            BitsOverrides m = move(chosen, program, bySymbol);
            Set<String> added = new LinkedHashSet<>(m.activations16());
            added.addAll(m.weights16());
            pool.remove(chosen);
            final BitsOverrides now = cur;
            pool.removeIf(v -> now.activations16().contains(v.overrideName()));
            steps.add(new Step(steps.size(), List.copyOf(added), cur.activations16().size(), cycles, sqnr));
        }
        return new Result(targetDb, sqnr >= targetDb, steps, cur, widenable);
    }

    /** A layer's own recommendation (its activations at least) and the layers producing its inputs. */
    static BitsOverrides move(LayerView v, dev.cnnip.program.Program p, java.util.Map<String, LayerView> bySymbol) {
        Set<String> a = new LinkedHashSet<>();
        for (String in : p.layers().get(v.index()).inputs()) {
            LayerView src = Diagnoser.widenableProducer(in, p, bySymbol);
            if (src != null) a.add(src.overrideName());
        }
        a.addAll(v.widenActivations());
        a.add(v.overrideName());
        return new BitsOverrides(a, Set.copyOf(v.widenWeights()));
    }

    private static double ownSqnr(LayerView v) {
        return v.isolated().present() ? v.isolated().sqnrDb() : v.accumulated().sqnrDb();
    }
}
