package dev.cnnip.hw;

import java.util.Objects;

/**
 * One resolved parameter of a {@link HwConfig}, for docs and reports.
 *
 * @param param the registry entry (key, unit, provenance, description)
 * @param value a {@link Long}, {@link Double} or {@link String} according to {@code param.type()}
 */
public record HwParam(HwKey param, Object value) {
    public HwParam {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(value, "value");
    }

    public String key() { return param.key(); }

    public String unit() { return param.unit(); }

    public Provenance provenance() { return param.provenance(); }

    public String description() { return param.description(); }

    /** Whether the value is the registry default (a preset or override did not change it). */
    public boolean isDefault() { return value.equals(param.defaultValue()); }

    /** The value as text without quotes: integers in decimal, reals in canonical shortest form. */
    public String valueText() {
        return value instanceof Double d ? Reals.format(d) : value.toString();
    }
}
