package dev.cnnip.program;

/** What a named tensor is for (all live in DRAM except {@link #SRAM_ACTIVATION}). */
public enum SymbolKind {
    /** A graph input, written by the host before the run. */
    INPUT,
    /** A graph output, read by the host after the run. */
    OUTPUT,
    /** An intermediate tensor between layers. */
    ACTIVATION,
    /** Constant weights, in the initial DRAM image. */
    WEIGHT,
    /** Other constants: biases, requantization multipliers and shifts, lookup tables. */
    PARAM,
    /**
     * An intermediate tensor that never goes to DRAM: its address is an SRAM address, where it lives from
     * the end of its producing layer ({@link Symbol#layer()}) until the next layer, its only reader, ends.
     * The simulator keeps a copy when the producing layer ends, so it can be read after a run like any other.
     */
    SRAM_ACTIVATION
}
