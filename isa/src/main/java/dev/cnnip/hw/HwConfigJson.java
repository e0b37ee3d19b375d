package dev.cnnip.hw;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/** The JSON preset format: parsing (lenient about missing keys, strict about everything else) and the canonical writer. */
final class HwConfigJson {
    static final String NAME = "name";
    static final String DESCRIPTION = "description";

    // Duplicate keys and trailing content are errors: in a config file either is almost surely a mistake.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private HwConfigJson() {}

    /**
     * Parses a preset document: a JSON object of optional {@code name} and {@code description} strings
     * and parameter keys; {@code fallbackName} is used when {@code name} is absent.
     */
    static HwConfig parse(String text, String source, String fallbackName) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new HwConfigException(source + ": malformed JSON" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || root.isMissingNode()) throw new HwConfigException(source + ": empty JSON document");
        if (!root.isObject()) throw new HwConfigException(source + ": expected a JSON object, got " + root.getNodeType());

        String name = fallbackName;
        String description = "";
        Map<HwKey, Object> values = new EnumMap<>(HwKey.class);
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            JsonNode node = field.getValue();
            if (key.equals(NAME) || key.equals(DESCRIPTION)) {
                if (!node.isTextual()) throw new HwConfigException(source + ": " + key + " must be a string, got " + node);
                if (key.equals(NAME)) name = node.textValue();
                else description = node.textValue();
                continue;
            }
            HwKey k = HwKey.require(key, source);
            try {
                values.put(k, k.spec().fromJson(node));
            } catch (IllegalArgumentException bad) {
                throw new HwConfigException(source + ": " + key + " " + bad.getMessage());
            }
        }
        return new HwConfig(name, description, values, source);
    }

    /** The canonical text (see {@link HwConfig#toCanonicalJson()}); without name and description when {@code meta} is false. */
    static String write(HwConfig c, boolean meta) {
        StringBuilder b = new StringBuilder("{\n");
        if (meta) {
            b.append("  ").append(Json.quote(NAME)).append(": ").append(Json.quote(c.name())).append(",\n");
            b.append("  ").append(Json.quote(DESCRIPTION)).append(": ").append(Json.quote(c.description())).append(",\n");
        }
        HwKey[] keys = HwKey.values().clone();
        Arrays.sort(keys, Comparator.comparing(HwKey::key));
        for (int i = 0; i < keys.length; i++) {
            HwKey k = keys[i];
            b.append("  ").append(Json.quote(k.key())).append(": ").append(k.spec().toJson(c.value(k)));
            b.append(i + 1 < keys.length ? ",\n" : "\n");
        }
        return b.append("}\n").toString();
    }
}
