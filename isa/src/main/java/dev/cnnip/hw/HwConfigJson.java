package dev.cnnip.hw;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/** The JSON preset format: parsing (lenient about missing keys, strict about everything else) and the canonical writer. */
final class HwConfigJson {
    static final String NAME = "name";
    static final String DESCRIPTION = "description";

    // Duplicate keys and trailing content are errors: in a config file either is almost surely a mistake. A
    // streaming parser, not an ObjectMapper: every program file embeds a config, and a mapper's set-up (date
    // formats, calendars, type factory) cost each command that reads a program about 90 ms of start-up under C1.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HwConfigJson() {}

    /**
     * Parses a preset document: a JSON object of optional {@code name} and {@code description} strings
     * and parameter keys; {@code fallbackName} is used when {@code name} is absent.
     */
    static HwConfig parse(String text, String source, String fallbackName) {
        JsonNode root;
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) throw new HwConfigException(source + ": empty JSON document");
            root = tree(p);
            if (p.nextToken() != null) {
                throw new HwConfigException(source + ": malformed JSON" + where(p.currentTokenLocation())
                        + ": content after the document's value");
            }
        } catch (JacksonException e) {
            throw new HwConfigException(source + ": malformed JSON" + where(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O
        }
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

    private static String where(JsonLocation at) {
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /**
     * The value at the parser's current token as a tree, as {@code ObjectMapper.readTree} builds it with default
     * settings: integers as int, long or big-integer nodes by size, other numbers as double nodes.
     */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, tree(p));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(tree(p));
                return a;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return f.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t); // the parser rejects the rest
        }
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
