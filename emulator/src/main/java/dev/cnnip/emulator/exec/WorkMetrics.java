package dev.cnnip.emulator.exec;

/**
 * The work one instruction did, as the executor reports it to the timing model and listeners. Counts
 * are {@code >= 0}.
 *
 * @param dramBytes   bytes moved to or from DRAM (LD, ST)
 * @param sramRead    bytes read from SRAM
 * @param sramWritten bytes written to SRAM
 * @param macs        multiply-accumulates ({@code ex.conv}: {@code oh·ow·oc·kh·kw·gic}, padding taps included)
 * @param elements    elements processed by a PP instruction (maxpool: outputs × window taps); DMA: elements copied
 * @param bursts      contiguous DRAM runs of a DMA instruction (rows)
 * @param conv        geometry of an {@code ex.conv}, else null
 */
public record WorkMetrics(long dramBytes, long sramRead, long sramWritten, long macs, long elements, long bursts,
                          ConvShape conv) {
    /** No work (control, SET and SYNC instructions). */
    public static final WorkMetrics NONE = new WorkMetrics(0, 0, 0, 0, 0, 0, null);

    /** Work of a PP instruction. */
    static WorkMetrics pp(long elements, long sramRead, long sramWritten) {
        return new WorkMetrics(0, sramRead, sramWritten, 0, elements, 0, null);
    }

    /** SRAM bytes read plus written. */
    public long sramBytes() {
        return sramRead + sramWritten;
    }
}
