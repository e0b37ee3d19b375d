package dev.cnnip.emulator.timing;

/**
 * Per-layer (or whole-program) performance figures. Instructions belong to the layer the program's
 * source map names for them.
 *
 * <p>Roofline (DESIGN section 4): {@code tMac = ceil((macs − skippedMacs) / peak MACs per cycle)},
 * {@code tDram = ceil(dramBytes / dram.bytes_per_cycle)}, {@code tSram = ceil(max(EX SRAM bytes, PP SRAM
 * bytes) / sram.bytes_per_cycle)} (each engine has its own SRAM port, so the busier port bounds),
 * {@code bound = max(tMac, tDram, tSram)} and {@code limit} names the largest term. Invariant:
 * {@code cycles >= bound}.
 *
 * @param index             layer index, or −1 for instructions outside any layer and for the total
 * @param name              layer name ({@code (none)}, {@code total})
 * @param instructions      instructions retired
 * @param start             first start cycle
 * @param end               last end cycle
 * @param cycles            {@code end − start} (for the total: the program's cycles)
 * @param macs              multiply-accumulates the executor performed (padding taps and zero weights included)
 * @param dramBytes         bytes moved by LD and ST ({@code dramRead + dramWritten})
 * @param macUtilisation    {@code (macs − skippedMacs) / (cycles × peak MACs per cycle)}, 0 when cycles is 0
 * @param tMac              compute time bound, cycles
 * @param tDram             DRAM time bound, cycles
 * @param bound             roofline bound, cycles
 * @param limit             the limiting term
 * @param tSram             SRAM port time bound, cycles
 * @param mappingEfficiency {@code (macs − skippedMacs) / (mapped cycles × peak MACs per cycle)}: how fully the
 *                          layer's shapes fill the MAC array while it computes ({@link CostModel#exMapped}),
 *                          in [0, 1]; 0 without MAC work
 * @param exCycles          EX busy cycles (nominal durations of its {@code ex.conv})
 * @param skippedMacs       MACs of all-zero weight blocks EX skipped ({@code ex.zero_skip=on}), else 0
 * @param dramRead          bytes LD moved from DRAM
 * @param dramWritten       bytes ST moved to DRAM
 * @param sramBytes         bytes EX and PP read and wrote in SRAM
 * @param bandwidth         achieved DRAM bandwidth, {@code dramBytes / cycles} bytes/cycle, 0 when cycles is 0
 * @param attributedCycles  the cycles the run spends on this layer when layers overlap: with {@code E_i} the latest
 *                          end of layers 0..i (rows in report order, instructions outside layers last), {@code E_i −
 *                          E_(i−1)} ({@code E_(−1) = 0}); the rows' figures sum to the total cycles. A layer whose
 *                          work overlapped earlier layers (prefetched weights, pipelined tiles) may be attributed
 *                          fewer cycles than its own bound; for the total it is the total cycles
 */
public record LayerStats(int index, String name, long instructions, long start, long end, long cycles, long macs,
                         long dramBytes, double macUtilisation, long tMac, long tDram, long bound, Limit limit,
                         long tSram, double mappingEfficiency, long exCycles, long skippedMacs, long dramRead,
                         long dramWritten, long sramBytes, double bandwidth, long attributedCycles) {
    /** {@code cycles / bound}: 1 at the roofline; 0 when the bound is 0. */
    public double boundRatio() {
        return bound == 0 ? 0 : (double) cycles / bound;
    }

    /** {@code attributedCycles / bound}; 0 when the bound is 0. */
    public double attributedRatio() {
        return bound == 0 ? 0 : (double) attributedCycles / bound;
    }
}
