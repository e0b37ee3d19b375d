package dev.cnnip.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Evaluation} as JSON, pretty printed with {@code \n} line ends. Per-item predictions are left
 * out; the figures are:
 * <pre>
 * { "program", "batch", "input", "output", "items", "classes", "threads",
 *   "iss": { "top1", "top5", "top1Percent", "top5Percent", "seconds", "itemsPerSecond",
 *            "cyclesPerItem", "minCycles", "maxCycles", "clockMhz", "simulatedMicrosPerItem" },
 *   "reference": { "model", "output", "top1", "top5", "top1Percent", "top5Percent", "seconds",
 *                  "itemsPerSecond", "agreeing", "agreementPercent" } }
 * </pre>
 * {@code reference} is present only with a reference model. Counts are items, percentages 0..100,
 * times seconds (wall clock) or microseconds (simulated).
 */
public final class EvalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private EvalJson() {}

    public static String write(Evaluation e) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("program", e.program());
        root.put("batch", e.batch());
        root.put("input", e.input());
        root.put("output", e.output());
        root.put("items", e.items());
        root.put("classes", e.classes());
        root.put("threads", e.threads());
        Map<String, Object> iss = score(e.iss());
        iss.put("cyclesPerItem", e.cyclesPerItem());
        iss.put("minCycles", e.minCycles());
        iss.put("maxCycles", e.maxCycles());
        iss.put("clockMhz", e.clockMhz());
        iss.put("simulatedMicrosPerItem", e.simulatedMicrosPerItem());
        root.put("iss", iss);
        e.reference().ifPresent(r -> {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("model", r.model());
            ref.put("output", r.output());
            ref.putAll(score(r.score()));
            ref.put("agreeing", r.agreeing());
            ref.put("agreementPercent", r.agreementPercent());
            root.put("reference", ref);
        });
        try {
            return MAPPER.writer().withDefaultPrettyPrinter().writeValueAsString(root).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("maps of numbers and strings are always serializable", ex);
        }
    }

    private static Map<String, Object> score(EvalScore s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("top1", s.top1());
        m.put("top5", s.top5());
        m.put("top1Percent", s.top1Percent());
        m.put("top5Percent", s.top5Percent());
        m.put("seconds", s.seconds());
        m.put("itemsPerSecond", s.itemsPerSecond());
        return m;
    }
}
