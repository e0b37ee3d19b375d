package dev.cnnip.compiler.quant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * What the quantizer chose, per quantized tensor: the layer producing it, bits, element type, scale,
 * zero point, the calibrated range and the fraction of calibration values outside it (clipped); and per
 * weighted layer the weight bits and sparsity. Rendered as a table and as JSON.
 */
public record QuantSummary(List<Entry> tensors, List<WeightEntry> weights) {
    public QuantSummary {
        tensors = List.copyOf(tensors);
        weights = List.copyOf(weights);
    }

    /** One quantized activation. */
    public record Entry(String tensor, String layer, String op, int bits, String dtype, float scale, int zeroPoint,
                        float min, float max, double clipped) {}

    /** One weighted layer. */
    public record WeightEntry(String layer, String op, int bits, boolean perChannel, long weights, double sparsity) {}

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-32s %-28s %4s %-7s %12s %6s %24s %9s%n", "tensor", "layer (op)", "bits",
                "type", "scale", "zp", "calibrated range", "clipped"));
        for (Entry e : tensors) {
            sb.append(String.format(Locale.ROOT, "%-32s %-28s %4d %-7s %12.6g %6d %24s %8.4f%%%n", cut(e.tensor(), 32),
                    cut(e.layer() + (e.op().isEmpty() ? "" : " (" + e.op() + ")"), 28), e.bits(), e.dtype(), e.scale(),
                    e.zeroPoint(), String.format(Locale.ROOT, "[%.4g, %.4g]", e.min(), e.max()), 100 * e.clipped()));
        }
        if (!weights.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-32s %-10s %4s %-11s %10s %9s%n", "weights of layer", "op", "bits",
                    "scales", "count", "sparsity"));
            for (WeightEntry w : weights) {
                sb.append(String.format(Locale.ROOT, "%-32s %-10s %4d %-11s %10d %8.2f%%%n", cut(w.layer(), 32), w.op(), w.bits(),
                        w.perChannel() ? "per-channel" : "per-tensor", w.weights(), 100 * w.sparsity()));
            }
        }
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ArrayNode ts = root.putArray("tensors");
        for (Entry e : tensors) {
            ObjectNode o = ts.addObject();
            o.put("tensor", e.tensor()).put("layer", e.layer()).put("op", e.op()).put("bits", e.bits())
                    .put("dtype", e.dtype()).put("scale", e.scale()).put("zero_point", e.zeroPoint())
                    .put("min", e.min()).put("max", e.max()).put("clipped", e.clipped());
        }
        ArrayNode ws = root.putArray("weights");
        for (WeightEntry w : weights) {
            ws.addObject().put("layer", w.layer()).put("op", w.op()).put("bits", w.bits()).put("per_channel", w.perChannel())
                    .put("count", w.weights()).put("sparsity", w.sparsity());
        }
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
