package dev.cnnip.isa;

/**
 * The accelerator's engines. Each has its own in-order instruction queue; fetch dispatches the single
 * instruction stream to them in order. Only LD and ST touch DRAM; EX and PP work on SRAM only.
 */
public enum Engine {
    /** Control: layer markers, traps, end of program. */
    CTL(""),
    /** DMA load, DRAM to SRAM. */
    LD("ld"),
    /** MAC array: convolution, depthwise, matrix products into int32/int64 accumulators. */
    EX("ex"),
    /** Post-processing: requantization, quantize/dequantize, pooling, element-wise, lookup tables. */
    PP("pp"),
    /** DMA store, SRAM to DRAM. */
    ST("st");

    private final String prefix;

    Engine(String prefix) {
        this.prefix = prefix;
    }

    /** Mnemonic prefix of the engine's instructions ({@code ld}, {@code ex}, …); empty for CTL. */
    public String prefix() {
        return prefix;
    }

    /** Lower-case name used in reports and debugger commands. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
