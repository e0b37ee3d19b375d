package dev.cnnip.emulator.timing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The roofline term that bounds a layer or a run: the largest of {@code T_mac}, {@code T_dram}, {@code T_sram}. */
public enum Limit {
    /** MAC throughput: {@code T_mac = ceil(MACs / peak MACs per cycle)}. */
    MAC("mac"),
    /** DRAM bandwidth: {@code T_dram = ceil(DRAM bytes / dram.bytes_per_cycle)}. */
    DRAM("dram"),
    /** SRAM port bandwidth of the busiest engine: {@code T_sram = ceil(bytes / sram.bytes_per_cycle)}. */
    SRAM("sram"),
    /** No work at all (every term 0). */
    NONE("-");

    private final String label;

    Limit(String label) {
        this.label = label;
    }

    /** The label in reports, CSV and JSON: {@code mac}, {@code dram}, {@code sram} or {@code -}. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The term with this label, or throws {@link IllegalArgumentException}. */
    @JsonCreator
    public static Limit fromLabel(String label) {
        for (Limit l : values()) if (l.label.equals(label)) return l;
        throw new IllegalArgumentException("unknown limit '" + label + "'");
    }

    /** The largest term, {@code MAC} before {@code DRAM} before {@code SRAM} on ties, {@code NONE} when all are 0. */
    public static Limit of(long tMac, long tDram, long tSram) {
        if (tMac == 0 && tDram == 0 && tSram == 0) return NONE;
        if (tMac >= tDram && tMac >= tSram) return MAC;
        return tDram >= tSram ? DRAM : SRAM;
    }

    @Override
    public String toString() {
        return label;
    }
}
