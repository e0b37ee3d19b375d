package dev.cnnip.verify.compare;

import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Diagnoses each compared layer from its figures.
 * <ol>
 * <li><b>Flagged</b> when its isolated SQNR is below {@code lowDb}, or more than {@code dropDb} below the
 *     accumulated SQNR of its input while below {@code okDb} (its own error swamps what it inherits). Without an isolated run the
 *     accumulated SQNR stands in.</li>
 * <li>A flagged layer is <b>calibration</b> when its range does not fit these inputs: the share of values
 *     saturating exceeds the calibration's own by more than {@code saturationMargin}, or the inputs use less than
 *     {@code minRangeUse} of the calibrated range (8-bit steps sized for values they never reach).</li>
 * <li>Otherwise it is <b>resolution</b>: the range fits but 8-bit steps are too coarse for the distribution.
 *     The recommendation widens to 16 bits the activations of the inputs' producers whose per-channel median
 *     rounding SQNR is below {@code lowDb} (an outlier channel stretches the shared range: the other channels get
 *     few codes) together with this layer (so it reads them in 16 bits), this layer's activations when its own
 *     rounding error is within {@code shareDb} of its isolated error, and its weights when theirs is.</li>
 * </ol>
 */
public final class Diagnoser {
    private Diagnoser() {}

    /**
     * @param lowDb            isolated SQNR (dB) below which a layer is flagged
     * @param dropDb           fall (dB) from the input's accumulated SQNR to the isolated SQNR that flags a layer
     * @param saturationMargin saturation share above the calibration's that means calibration
     * @param minRangeUse      share of the calibrated range below which the range is too wide for the inputs
     * @param shareDb          an error source within this many dB of the isolated error is a cause
     * @param okDb             an isolated SQNR at or above this is never flagged by a drop (8-bit rounding of a
     *                         well-spread tensor gives about 40 to 50 dB)
     */
    public record Thresholds(double lowDb, double dropDb, double saturationMargin, double minRangeUse, double shareDb,
                             double okDb) {
        public static Thresholds defaults() {
            return new Thresholds(30, 15, 0.001, 0.25, 6, 40);
        }
    }

    /** The views with diagnosis, reason and recommendation filled in (same order). */
    public static List<LayerView> diagnose(List<LayerView> views, Program p, Thresholds t) {
        Map<String, LayerView> bySymbol = new HashMap<>();
        for (LayerView v : views) bySymbol.put(v.symbol(), v);
        List<LayerView> out = new ArrayList<>();
        for (LayerView v : views) {
            double own = v.isolated().present() ? v.isolated().sqnrDb() : v.accumulated().sqnrDb();
            boolean flagged = own < t.lowDb()
                    || Double.isFinite(v.inputSqnrDb()) && v.inputSqnrDb() - own > t.dropDb() && own < t.okDb();
            Set<String> acts = new LinkedHashSet<>();
            Set<String> weights = new LinkedHashSet<>();
            List<String> coarseInputs = new ArrayList<>();
            for (String in : p.layers().get(v.index()).inputs()) {
                LayerView src = tracked(in, p, bySymbol);
                if (src == null || src.channelSqnrDb() >= t.lowDb()) continue;
                coarseInputs.add(src.name());
                LayerView prod = widenableProducer(in, p, bySymbol);
                if (prod != null) acts.add(prod.overrideName());
            }
            if (v.overrideName() != null) {
                if (!acts.isEmpty() || v.roundingSqnrDb() < own + t.shareDb()) acts.add(v.overrideName());
                if (!Double.isNaN(v.weightSqnrDb()) && v.weightSqnrDb() < own + t.shareDb()) weights.add(v.overrideName());
                if (acts.isEmpty() && weights.isEmpty()) {
                    acts.add(v.overrideName());
                    if (!Double.isNaN(v.weightSqnrDb())) weights.add(v.overrideName());
                }
            }
            if (!flagged) {
                out.add(v.diagnosed(Diagnosis.OK, "", List.copyOf(acts), List.copyOf(weights)));
                continue;
            }
            boolean saturates = v.saturated() > v.calibSaturated() + t.saturationMargin();
            boolean narrow = v.rangeUse() < t.minRangeUse();
            if (saturates || narrow) {
                String why = saturates
                        ? String.format(Locale.ROOT, "%.2f%% of values saturate (calibration: %.2f%%): these inputs reach "
                                + "[%s, %s], the calibrated range is [%s, %s]; recalibrate with data that reaches it "
                                + "(--fix --calib DATA)", 100 * v.saturated(), 100 * v.calibSaturated(), g(v.seenMin()),
                                g(v.seenMax()), g(v.calibMin()), g(v.calibMax()))
                        : String.format(Locale.ROOT, "these inputs use %.1f%% of the calibrated range [%s, %s] (they reach "
                                + "[%s, %s]), so they get few of the %d-bit codes; recalibrate with data like these inputs "
                                + "(--fix --calib DATA)", 100 * v.rangeUse(), g(v.calibMin()), g(v.calibMax()),
                                g(v.seenMin()), g(v.seenMax()), v.bits());
                out.add(v.diagnosed(Diagnosis.CALIBRATION, why, List.copyOf(acts), List.copyOf(weights)));
                continue;
            }
            StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
                    "the range fits (%.2f%% saturate) but its own SQNR is %.1f dB: ", 100 * v.saturated(), own));
            if (!coarseInputs.isEmpty()) {
                why.append("its input ").append(String.join(", ", coarseInputs)).append(" is too coarse in 8 bits for most ")
                        .append("channels (an outlier channel stretches the shared range); ");
            } else {
                why.append(String.format(Locale.ROOT, "a wide or heavy-tailed distribution (max |x| = %.0f × rms, rounding "
                        + "alone %.1f dB%s); ", v.crest(), v.roundingSqnrDb(), Double.isNaN(v.weightSqnrDb()) ? ""
                        : String.format(Locale.ROOT, ", weights %.1f dB", v.weightSqnrDb())));
            }
            if (acts.isEmpty() && weights.isEmpty()) {
                why.append("the layer cannot be widened by itself; widen the layer producing its input");
            } else {
                why.append("widen to 16 bits");
                if (!acts.isEmpty()) why.append(" the activations of ").append(String.join(", ", acts));
                if (!weights.isEmpty()) why.append(acts.isEmpty() ? "" : " and").append(" the weights of ").append(String.join(", ", weights));
                why.append(" (--fix)");
            }
            out.add(v.diagnosed(Diagnosis.RESOLUTION, why.toString(), List.copyOf(acts), List.copyOf(weights)));
        }
        return out;
    }

    /**
     * The widenable layer producing a tensor, looking through layers that only move values (MaxPool, Reshape,
     * Transpose, Relayout: their codes take their input's width), or null.
     */
    static LayerView widenableProducer(String symbol, Program p, Map<String, LayerView> bySymbol) {
        LayerView v = tracked(symbol, p, bySymbol);
        for (int hops = 0; v != null && v.overrideName() == null && hops < 8; hops++) {
            List<String> ins = p.layers().get(v.index()).inputs();
            v = ins.size() == 1 ? tracked(ins.get(0), p, bySymbol) : null;
        }
        return v != null && v.overrideName() != null ? v : null;
    }

    /**
     * The compared layer output a symbol holds: itself, or the one whose DRAM bytes it views (Reshape, Flatten and
     * Transpose without data movement become aliases, not layers), or null.
     */
    static LayerView tracked(String symbol, Program p, Map<String, LayerView> bySymbol) {
        LayerView v = bySymbol.get(symbol);
        if (v != null) return v;
        Symbol s = p.symbol(symbol).orElse(null);
        if (s == null) return null;
        for (LayerView t : bySymbol.values()) {
            Symbol ts = p.symbol(t.symbol()).orElseThrow();
            if (ts.address() == s.address() && ts.elementCount() == s.elementCount()) return t;
        }
        return null;
    }

    static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The 16-bit layers a program already has (activations by symbol width), for re-quantizing it. */
    static Set<String> wideSymbols(Program p) {
        Set<String> out = new LinkedHashSet<>();
        for (Symbol s : p.symbols()) if (s.isQuantized() && s.dtype().size() == 2) out.add(s.name());
        return out;
    }
}
