package dev.cnnip.hw;

import java.util.Arrays;
import java.util.List;

/** Timing model of the MAC array (the value of {@code ex.model}). */
public enum ExModel {
    /** Lane model: {@code mac.ic × mac.oc × mac.px} MACs per cycle over blocks of a tile. */
    BLOCK("block"),
    /** Weight-stationary systolic array of {@code ex.rows × ex.cols} PEs (SCALE-Sim WS fold formula). */
    SYSTOLIC_WS("systolic-ws"),
    /** Output-stationary systolic array of {@code ex.rows × ex.cols} PEs (SCALE-Sim OS fold formula). */
    SYSTOLIC_OS("systolic-os"),
    /** Input-stationary systolic array of {@code ex.rows × ex.cols} PEs (SCALE-Sim IS fold formula). */
    SYSTOLIC_IS("systolic-is");

    private final String label;

    ExModel(String label) {
        this.label = label;
    }

    /** The value as written in presets and on the command line, e.g. {@code systolic-ws}. */
    public String label() {
        return label;
    }

    /** Whether this is one of the systolic dataflows (timed on {@code ex.rows × ex.cols} PEs). */
    public boolean systolic() {
        return this != BLOCK;
    }

    /** Every label, in declaration order. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(ExModel::label).toList();
    }

    /** The model with the given label, or throws {@link IllegalArgumentException} listing the labels. */
    public static ExModel fromLabel(String label) {
        for (ExModel m : values()) {
            if (m.label.equals(label)) return m;
        }
        throw new IllegalArgumentException("unknown ex.model '" + label + "', expected one of " + labels());
    }
}
