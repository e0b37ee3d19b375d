package dev.cnnip.emulator.timing;

import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Opcode;

/**
 * Closed-form durations of instructions, in cycles, from the hardware parameters and the work the
 * executor reported. Pure functions; {@link TimingModel} adds queueing, semaphores and DRAM contention.
 */
public final class CostModel {
    private CostModel() {}

    /**
     * Nominal duration without contention, cycles:
     * <ul>
     * <li>CTL instructions ({@code nop}, layer markers, {@code trap}, {@code finish}): {@code ctl.latency};</li>
     * <li>SET and SYNC instructions: 1;</li>
     * <li>{@code ld}, {@code st}: {@link #dmaFixed} + {@link #dmaTransfer};</li>
     * <li>{@code ex.conv}: {@link #exConv};</li>
     * <li>PP instructions: {@link #pp}.</li>
     * </ul>
     */
    public static long duration(HwConfig hw, Opcode op, WorkMetrics m) {
        return switch (op) {
            case NOP, LAYER_BEGIN, LAYER_END, TRAP, FINISH -> hw.ctlLatency();
            case LD_SET, LD_SYNC, EX_SET, EX_SYNC, PP_SET, PP_SYNC, ST_SET, ST_SYNC -> 1;
            case LD, ST -> dmaFixed(hw, m) + dmaTransfer(hw, m);
            case EX_CONV -> exConv(hw, m);
            case PP_REQUANT, PP_QUANT, PP_DEQUANT, PP_MAXPOOL, PP_AVGPOOL, PP_ADD, PP_MUL, PP_LUT, PP_SOFTMAX -> pp(hw, m);
        };
    }

    /** Whether the instruction moves data over the shared DRAM port (its transfer queues there). */
    public static boolean usesDram(Opcode op) {
        return op == Opcode.LD || op == Opcode.ST;
    }

    /** DMA cost before the data moves: {@code dma.setup + dram.latency + bursts × dma.row_overhead}. */
    public static long dmaFixed(HwConfig hw, WorkMetrics m) {
        return hw.dmaSetup() + hw.dramLatency() + m.bursts() * hw.dmaRowOverhead();
    }

    /**
     * Cycles the data occupies the DRAM port: {@code ceil(bytes / min(bus.bits / 8, dram.bytes_per_cycle))}.
     */
    public static long dmaTransfer(HwConfig hw, WorkMetrics m) {
        return ceilDiv(m.dramBytes(), Math.min(hw.busBytesPerCycle(), hw.dramBytesPerCycle()));
    }

    /**
     * {@code ex.conv}: {@code max(ex.fill + compute, ceil(sram bytes / sram.bytes_per_cycle))} where
     * compute is {@link #exCompute}.
     */
    public static long exConv(HwConfig hw, WorkMetrics m) {
        long compute = m.conv() == null ? 0 : exCompute(hw, m.conv());
        return Math.max(hw.exFill() + compute, ceilDiv(m.sramBytes(), hw.sramBytesPerCycle()));
    }

    /**
     * MAC-array cycles of one tile, by {@code ex.model}, summed over the groups of the tile
     * ({@code goc_g} = output channels of group g, P = {@code oh·ow}, K = {@code kh·kw·gic}):
     * <ul>
     * <li>{@code block}: {@code ceil(P / mac.px) · Σ_g ceil(goc_g / mac.oc) · ceil(gic / mac.ic) · kh · kw};</li>
     * <li>{@code systolic-ws} (SCALE-Sim weight stationary, R×C = ex.rows × ex.cols):
     * {@code Σ_g ceil(K / R) · ceil(goc_g / C) · (2R + C + P − 2)};</li>
     * <li>{@code systolic-os} (output stationary): {@code Σ_g ceil(P / R) · ceil(goc_g / C) · (R + C + K − 2)}.</li>
     * </ul>
     * A tile with no output pixels, channels or reduction has no compute cycles.
     */
    public static long exCompute(HwConfig hw, ConvShape s) {
        long px = s.pixels();
        long k = (long) s.kh() * s.kw() * s.gic();
        if (px == 0 || s.oc() == 0 || k == 0) return 0;
        int full = s.oc() / s.goc();
        int rem = s.oc() % s.goc();
        return switch (hw.exModel()) {
            case BLOCK -> {
                long blocks = full * ceilDiv(s.goc(), hw.macOc()) + (rem > 0 ? ceilDiv(rem, hw.macOc()) : 0);
                yield ceilDiv(px, hw.macPx()) * blocks * ceilDiv(s.gic(), hw.macIc()) * s.kh() * s.kw();
            }
            case SYSTOLIC_WS -> {
                long r = hw.exRows();
                long c = hw.exCols();
                long perFold = 2 * r + c + px - 2;
                long folds = full * ceilDiv(s.goc(), c) + (rem > 0 ? ceilDiv(rem, c) : 0);
                yield ceilDiv(k, r) * folds * perFold;
            }
            case SYSTOLIC_OS -> {
                long r = hw.exRows();
                long c = hw.exCols();
                long perFold = r + c + k - 2;
                long folds = full * ceilDiv(s.goc(), c) + (rem > 0 ? ceilDiv(rem, c) : 0);
                yield ceilDiv(px, r) * folds * perFold;
            }
        };
    }

    /**
     * PP instructions: {@code max(pp.latency + ceil(elements / pp.lanes), ceil(sram bytes / sram.bytes_per_cycle))}
     * (maxpool elements are outputs × window taps).
     */
    public static long pp(HwConfig hw, WorkMetrics m) {
        return Math.max(hw.ppLatency() + ceilDiv(m.elements(), hw.ppLanes()),
                ceilDiv(m.sramBytes(), hw.sramBytesPerCycle()));
    }

    /**
     * Peak MACs per cycle of the EX engine: {@code mac.ic · mac.oc · mac.px} for the block model,
     * {@code ex.rows · ex.cols} for the systolic models (the presets keep both equal).
     */
    public static long peakMacsPerCycle(HwConfig hw) {
        return switch (hw.exModel()) {
            case BLOCK -> hw.macs();
            case SYSTOLIC_WS, SYSTOLIC_OS -> hw.exRows() * hw.exCols();
        };
    }

    /** {@code ceil(a / b)} for {@code a >= 0, b > 0}. */
    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
