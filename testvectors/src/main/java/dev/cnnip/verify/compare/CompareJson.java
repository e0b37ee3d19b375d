package dev.cnnip.verify.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link CompareReport} as JSON (pretty printed, {@code \n} line ends, keys in a fixed order):
 * <pre>
 * { "float_model", "program", "items", "bit_exact_note", "isolated_note",
 *   "output": {"name", "sqnr_db", "cosine"}, "outputs": [{"name", "sqnr_db", "cosine", "rmse", "max_abs_error"}],
 *   "cost": {"cycles", "sram_bytes", "dram_bytes", "dram_footprint"}, "top1", "float_top1",
 *   "layers": [{"name", "op", "bits", "scale", "zero_point", "calib_min", "calib_max", "seen_min", "seen_max",
 *               "saturated", "sqnr_db", "sqnr_isolated_db", "cosine", "rmse_over_scale", "max_abs_error",
 *               "bit_exact", "diagnosis", "reason", "layer", "index", "cosine_isolated", "rounding_sqnr_db",
 *               "channel_median_sqnr_db", "weight_bits", "weight_sqnr_db", "crest", "range_use", "input_sqnr_db",
 *               "cycles", "widen_activations", "widen_weights"}],
 *   "fix": {"calibration", "recalibrated", "overrides", "before": {"sqnr_db", "top1", "cycles", "sram_bytes",
 *           "dram_bytes", "dram_footprint"}, "after": {…}, "layers_after": [{"name", "bits", "sqnr_db"}]},
 *   "auto_precision": {"target_db", "reached", "candidates", "overrides", "steps": [{"step", "added", "widened",
 *                      "cycles", "sqnr_db"}]} }
 * </pre>
 * {@code sqnr_db} and the other figures are per the {@link LayerView} Javadoc; {@code saturated} and
 * {@code range_use} are shares (0..1); an infinite SQNR (exact) and figures not computed are {@code null};
 * {@code bit_exact} is true, false or null (not compared, see {@code bit_exact_note}); {@code top1} is null without
 * labels; {@code fix} and {@code auto_precision} appear when made.
 */
public final class CompareJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CompareJson() {}

    public static String write(CompareReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("float_model", r.floatModel());
        root.put("program", r.program());
        root.put("items", r.items());
        root.put("bit_exact_note", r.bitExactNote());
        root.put("isolated_note", r.isolatedNote());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.output().name());
        out.put("sqnr_db", num(r.output().figures().sqnrDb()));
        out.put("cosine", num(r.output().figures().cosine()));
        root.put("output", out);
        List<Object> outs = new ArrayList<>();
        for (OutputView o : r.outputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("sqnr_db", num(o.figures().sqnrDb()));
            m.put("cosine", num(o.figures().cosine()));
            m.put("rmse", num(o.figures().rmse()));
            m.put("max_abs_error", num(o.figures().maxAbsError()));
            outs.add(m);
        }
        root.put("outputs", outs);
        root.put("cost", cost(r.cost(), new LinkedHashMap<>()));
        root.put("top1", num(r.top1()));
        root.put("float_top1", num(r.floatTop1()));
        List<Object> layers = new ArrayList<>();
        for (LayerView v : r.layers()) layers.add(layer(v));
        root.put("layers", layers);
        r.fix().ifPresent(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calibration", f.calibration());
            m.put("recalibrated", f.recalibrated());
            m.put("overrides", overrides(f.overrides()));
            m.put("before", outcome(f.before()));
            m.put("after", outcome(f.after()));
            List<Object> after = new ArrayList<>();
            for (LayerView v : f.afterReport().layers()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", v.name());
                l.put("bits", v.bits());
                l.put("sqnr_db", num(v.accumulated().sqnrDb()));
                after.add(l);
            }
            m.put("layers_after", after);
            root.put("fix", m);
        });
        r.autoPrecision().ifPresent(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target_db", a.targetDb());
            m.put("reached", a.reached());
            m.put("candidates", a.candidates());
            m.put("overrides", overrides(a.overrides()));
            List<Object> steps = new ArrayList<>();
            for (AutoPrecision.Step s : a.steps()) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("step", s.step());
                st.put("added", s.added());
                st.put("widened", s.widened());
                st.put("cycles", s.cycles());
                st.put("sqnr_db", num(s.sqnrDb()));
                steps.add(st);
            }
            m.put("steps", steps);
            root.put("auto_precision", m);
        });
        try {
            return MAPPER.writeValueAsString(root).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> layer(LayerView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("op", v.op());
        m.put("bits", v.bits());
        m.put("scale", v.scale());
        m.put("zero_point", v.zeroPoint());
        m.put("calib_min", num(v.calibMin()));
        m.put("calib_max", num(v.calibMax()));
        m.put("seen_min", num(v.seenMin()));
        m.put("seen_max", num(v.seenMax()));
        m.put("saturated", num(v.saturated()));
        m.put("sqnr_db", num(v.accumulated().sqnrDb()));
        m.put("sqnr_isolated_db", num(v.isolated().sqnrDb()));
        m.put("cosine", num(v.accumulated().cosine()));
        m.put("rmse_over_scale", num(v.accumulated().rmseOverScale()));
        m.put("max_abs_error", num(v.accumulated().maxAbsError()));
        m.put("bit_exact", v.bitExact());
        m.put("diagnosis", v.diagnosis().key());
        m.put("reason", v.reason());
        m.put("layer", v.layer());
        m.put("index", v.index());
        m.put("cosine_isolated", num(v.isolated().cosine()));
        m.put("rounding_sqnr_db", num(v.roundingSqnrDb()));
        m.put("channel_median_sqnr_db", num(v.channelSqnrDb()));
        m.put("weight_bits", v.weightBits());
        m.put("weight_sqnr_db", num(v.weightSqnrDb()));
        m.put("crest", num(v.crest()));
        m.put("range_use", num(v.rangeUse()));
        m.put("input_sqnr_db", num(v.inputSqnrDb()));
        m.put("cycles", v.cycles());
        m.put("widen_activations", v.widenActivations());
        m.put("widen_weights", v.widenWeights());
        return m;
    }

    private static Map<String, Object> outcome(FixReport.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sqnr_db", num(o.outputSqnrDb()));
        m.put("top1", num(o.top1()));
        return cost(o.cost(), m);
    }

    private static Map<String, Object> cost(Cost c, Map<String, Object> m) {
        m.put("cycles", c.cycles());
        m.put("sram_bytes", c.sramBytes());
        m.put("dram_bytes", c.dramBytes());
        m.put("dram_footprint", c.dramFootprint());
        return m;
    }

    private static Map<String, Object> overrides(dev.cnnip.compiler.quant.BitsOverrides o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activations16", new TreeSet<>(o.activations16()));
        m.put("weights16", new TreeSet<>(o.weights16()));
        return m;
    }

    /** A finite number, or null (JSON has no infinity or NaN). */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
