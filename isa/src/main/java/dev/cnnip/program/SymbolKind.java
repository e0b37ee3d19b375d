package dev.cnnip.program;

/** What a named DRAM tensor is for. */
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
    PARAM
}
