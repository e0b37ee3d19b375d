package dev.cnnip.hw;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Type, default and allowed range of one parameter: how its values are parsed (command line and JSON),
 * checked and written. Complaints are returned without the key; {@link HwConfig} prefixes source and key.
 */
sealed interface ValueSpec permits ValueSpec.IntSpec, ValueSpec.RealSpec, ValueSpec.ChoiceSpec {

    ValueType type();

    Object defaultValue();

    /** Parses command-line text, or throws {@link IllegalArgumentException} with the complaint. */
    Object parse(String text);

    /** Converts a JSON value, or throws {@link IllegalArgumentException} with the complaint. */
    Object fromJson(JsonNode node);

    /** The complaint about a parsed value ({@code "must be ..."}), or {@code null} when it is allowed. */
    String complaint(Object value);

    /** The value as canonical JSON text. */
    String toJson(Object value);

    /** Human-readable allowed range, e.g. {@code [1, 65536]} or {@code block | systolic-ws}. */
    String rangeText();

    /** What a value must be, with the range: {@code an integer in [1, 65536]}, {@code one of a | b}. */
    default String expectation() {
        return switch (type()) {
            case INTEGER -> "an integer in " + rangeText();
            case REAL -> "a number in " + rangeText();
            case CHOICE -> "one of " + rangeText();
        };
    }

    static IntSpec integer(long def, long min, long max) {
        return new IntSpec(def, min, max, 1);
    }

    static RealSpec real(double def, double min, double max) {
        return new RealSpec(def, min, max);
    }

    static ChoiceSpec choice(String def, List<String> choices) {
        return new ChoiceSpec(def, List.copyOf(choices));
    }

    /** A {@code long} in {@code [min, max]} that is a multiple of {@code multipleOf}. */
    record IntSpec(long def, long min, long max, long multipleOf) implements ValueSpec {
        // Decimal or 0x-hex only: Long.decode would read "010" as octal 8, a surprise on a command line.
        private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
        private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");

        IntSpec withMultipleOf(long m) {
            return new IntSpec(def, min, max, m);
        }

        @Override public ValueType type() { return ValueType.INTEGER; }

        @Override public Object defaultValue() { return def; }

        @Override
        public Object parse(String text) {
            String t = text.trim().replace("_", "");
            try {
                if (DECIMAL.matcher(t).matches()) return Long.parseLong(t);
                if (HEX.matcher(t).matches()) return Long.parseLong(t.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is out of range " + rangeText() + ", got '" + text + "'");
            }
            throw new IllegalArgumentException("expects " + expectation() + ", got '" + text + "'");
        }

        @Override
        public Object fromJson(JsonNode node) {
            if (node.isIntegralNumber()) {
                if (node.canConvertToLong()) return node.longValue();
                throw new IllegalArgumentException("is out of range " + rangeText() + ", got " + node);
            }
            throw new IllegalArgumentException("expects " + expectation() + ", got " + node);
        }

        @Override
        public String complaint(Object value) {
            if (!(value instanceof Long v)) return "expects " + expectation() + ", got " + value;
            if (v < min || v > max) return "must be in " + rangeText() + ", got " + v;
            if (v % multipleOf != 0) return "must be a multiple of " + multipleOf + " in [" + min + ", " + max + "], got " + v;
            return null;
        }

        @Override public String toJson(Object value) { return Long.toString((Long) value); }

        @Override
        public String rangeText() {
            return "[" + min + ", " + max + "]" + (multipleOf == 1 ? "" : ", multiple of " + multipleOf);
        }
    }

    /** A finite {@code double} in {@code [min, max]}. */
    record RealSpec(double def, double min, double max) implements ValueSpec {
        // Plain decimal only: Double.parseDouble also takes "NaN", "0x1p3" and "800f".
        private static final Pattern REAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

        @Override public ValueType type() { return ValueType.REAL; }

        @Override public Object defaultValue() { return def; }

        @Override
        public Object parse(String text) {
            String t = text.trim().replace("_", "");
            if (!REAL.matcher(t).matches()) {
                throw new IllegalArgumentException("expects " + expectation() + ", got '" + text + "'");
            }
            return Double.parseDouble(t);
        }

        @Override
        public Object fromJson(JsonNode node) {
            if (node.isNumber()) return node.doubleValue();
            throw new IllegalArgumentException("expects " + expectation() + ", got " + node);
        }

        @Override
        public String complaint(Object value) {
            if (!(value instanceof Double v)) return "expects " + expectation() + ", got " + value;
            if (!Double.isFinite(v) || v < min || v > max) {
                return "must be in " + rangeText() + ", got " + Reals.format(v);
            }
            return null;
        }

        @Override public String toJson(Object value) { return Reals.format((Double) value); }

        @Override public String rangeText() { return "[" + Reals.format(min) + ", " + Reals.format(max) + "]"; }
    }

    /** One of a fixed list of strings. */
    record ChoiceSpec(String def, List<String> choices) implements ValueSpec {
        @Override public ValueType type() { return ValueType.CHOICE; }

        @Override public Object defaultValue() { return def; }

        @Override public Object parse(String text) { return text.trim(); }

        @Override
        public Object fromJson(JsonNode node) {
            if (node.isTextual()) return node.textValue();
            throw new IllegalArgumentException("expects " + expectation() + ", got " + node);
        }

        @Override
        public String complaint(Object value) {
            if (value instanceof String s && choices.contains(s)) return null;
            return "must be one of " + rangeText() + ", got '" + value + "'";
        }

        @Override public String toJson(Object value) { return Json.quote((String) value); }

        @Override public String rangeText() { return String.join(" | ", choices); }
    }
}
