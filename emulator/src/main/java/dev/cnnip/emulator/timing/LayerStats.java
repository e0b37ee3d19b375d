package dev.cnnip.emulator.timing;

/**
 * Per-layer (or whole-program) performance figures. Instructions belong to the layer the program's
 * source map names for them.
 *
 * <p>Roofline: {@code tMac = ceil(macs / peak MACs per cycle)}, {@code tDram = ceil(dramBytes /
 * dram.bytes_per_cycle)}, {@code bound = max(tMac, tDram)} and {@code limit} names the larger term
 * ({@code mac} or {@code dram}; {@code mac} on ties, {@code -} when both are 0). Invariant:
 * {@code cycles >= bound}.
 *
 * @param index          layer index, or −1 for instructions outside any layer and for the total
 * @param name           layer name ({@code (none)}, {@code total})
 * @param instructions   instructions retired
 * @param start          first start cycle
 * @param end            last end cycle
 * @param cycles         {@code end − start} (for the total: the program's cycles)
 * @param macs           multiply-accumulates
 * @param dramBytes      bytes moved by LD and ST
 * @param macUtilisation {@code macs / (cycles × peak MACs per cycle)}, 0 when cycles is 0
 * @param tMac           compute time bound, cycles
 * @param tDram          DRAM time bound, cycles
 * @param bound          roofline bound, cycles
 * @param limit          the limiting term
 */
public record LayerStats(int index, String name, long instructions, long start, long end, long cycles, long macs,
                         long dramBytes, double macUtilisation, long tMac, long tDram, long bound, String limit) {
}
