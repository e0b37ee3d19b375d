package dev.cnnip.compiler.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-layer precision overrides: which layers (node or output tensor names) get 16-bit activations
 * and which 16-bit weights. The file format, shared by {@code cnnip quantize --bits-file} and the
 * quantization debugger that proposes fixes:
 * <pre>
 * { "bits": { "conv3": 16, "fc": { "activations": 16, "weights": 8 } } }
 * </pre>
 * A number sets both; an object sets each (8 or 16, default 8).
 */
public record BitsOverrides(Set<String> activations16, Set<String> weights16) {
    public BitsOverrides {
        activations16 = Set.copyOf(activations16);
        weights16 = Set.copyOf(weights16);
    }

    public static BitsOverrides none() {
        return new BitsOverrides(Set.of(), Set.of());
    }

    /** From {@code LAYER=16} (or {@code =8}) options: both activations and weights. */
    public static BitsOverrides parseOptions(List<String> specs) {
        Set<String> a = new LinkedHashSet<>();
        for (String s : specs) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--bits '" + s + "': expected LAYER=16");
            int bits = bits(s.substring(eq + 1).trim(), "--bits " + s);
            if (bits == 16) a.add(s.substring(0, eq));
        }
        return new BitsOverrides(a, a);
    }

    /** Reads an overrides file; errors name the file. */
    public static BitsOverrides read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON file: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode bits = root == null ? null : root.get("bits");
        if (bits == null || !bits.isObject()) throw new IllegalArgumentException(file + ": expected {\"bits\": {LAYER: 16, …}}");
        Set<String> a = new LinkedHashSet<>();
        Set<String> w = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String what = file + ": layer '" + e.getKey() + "'";
            if (v.isNumber()) {
                if (bits(v.asText(), what) == 16) {
                    a.add(e.getKey());
                    w.add(e.getKey());
                }
            } else if (v.isObject()) {
                if (v.has("activations") && bits(v.get("activations").asText(), what) == 16) a.add(e.getKey());
                if (v.has("weights") && bits(v.get("weights").asText(), what) == 16) w.add(e.getKey());
            } else {
                throw new IllegalArgumentException(what + ": expected 8, 16 or {\"activations\": 16, \"weights\": 8}");
            }
        }
        return new BitsOverrides(a, w);
    }

    /** Both sets together. */
    public BitsOverrides plus(BitsOverrides o) {
        Set<String> a = new LinkedHashSet<>(activations16);
        a.addAll(o.activations16);
        Set<String> w = new LinkedHashSet<>(weights16);
        w.addAll(o.weights16);
        return new BitsOverrides(a, w);
    }

    /** The JSON file text (sorted, deterministic). */
    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ObjectNode bits = root.putObject("bits");
        Set<String> all = new TreeSet<>(activations16);
        all.addAll(weights16);
        for (String l : all) {
            boolean a = activations16.contains(l);
            boolean w = weights16.contains(l);
            if (a && w) bits.put(l, 16);
            else bits.putObject(l).put("activations", a ? 16 : 8).put("weights", w ? 16 : 8);
        }
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bits(String v, String what) {
        if (v.equals("8")) return 8;
        if (v.equals("16")) return 16;
        throw new IllegalArgumentException(what + ": bits must be 8 or 16, not '" + v + "'");
    }
}
