package dev.cnnip.emulator.timing;

import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.hw.ExModel;
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
     * <li>{@code ex.conv}: {@link #exConv} (no weight block skipped);</li>
     * <li>PP instructions: {@link #pp}.</li>
     * </ul>
     */
    public static long duration(HwConfig hw, Opcode op, WorkMetrics m) {
        return duration(hw, op, m, ZeroBlocks.NONE);
    }

    /** {@link #duration(HwConfig, Opcode, WorkMetrics)} with the all-zero weight blocks {@code z} skipped by EX. */
    public static long duration(HwConfig hw, Opcode op, WorkMetrics m, ZeroBlocks z) {
        return switch (op) {
            case NOP, LAYER_BEGIN, LAYER_END, TRAP, FINISH -> hw.ctlLatency();
            case LD_SET, LD_SYNC, EX_SET, EX_SYNC, PP_SET, PP_SYNC, ST_SET, ST_SYNC -> 1;
            case LD, ST -> dmaFixed(hw, m) + dmaTransfer(hw, m);
            case EX_CONV -> exConv(hw, m, z);
            case PP_REQUANT, PP_QUANT, PP_DEQUANT, PP_MAXPOOL, PP_AVGPOOL, PP_ADD, PP_MUL, PP_LUT, PP_SOFTMAX, PP_SOFTMAXF, PP_LRN -> pp(hw, m);
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
     * compute is {@link #exCompute} (no block skipped).
     */
    public static long exConv(HwConfig hw, WorkMetrics m) {
        return exConv(hw, m, ZeroBlocks.NONE);
    }

    /** {@link #exConv(HwConfig, WorkMetrics)} with the skipped blocks {@code z} left out of compute. */
    public static long exConv(HwConfig hw, WorkMetrics m, ZeroBlocks z) {
        long compute = m.conv() == null ? 0 : exCompute(hw, m.conv(), z);
        return Math.max(hw.exFill() + compute, ceilDiv(m.sramBytes(), hw.sramBytesPerCycle()));
    }

    /** Whether the tile is timed in the block model's depthwise mode: one input and one output channel per group, mode on. */
    public static boolean depthwiseMode(HwConfig hw, ConvShape s) {
        return hw.exModel() == ExModel.BLOCK && hw.exDwLanes() > 0 && s.goc() == 1 && s.gic() == 1;
    }

    /**
     * Channels side by side in the depthwise mode: {@code min(ex.dw_lanes, mac.ic · mac.oc)}, so the mode
     * never exceeds the array's peak MACs per cycle ({@code · mac.px}).
     */
    public static long dwLanes(HwConfig hw) {
        return Math.min(hw.exDwLanes(), hw.macIc() * hw.macOc());
    }

    /**
     * Groups the block model packs side by side in one pass of the array: a block-diagonal mapping puts
     * {@code min(floor(mac.oc / goc), floor(mac.ic / gic))} groups (at least 1) on disjoint output and input
     * lanes. 1 for ungrouped convolutions.
     */
    public static long groupsPerPass(HwConfig hw, ConvShape s) {
        if (s.groups() <= 1) return 1;
        return Math.max(1, Math.min(hw.macOc() / s.goc(), hw.macIc() / s.gic()));
    }

    /**
     * MAC-array cycles of one tile, by {@code ex.model}, without skipped blocks ({@link #exCompute(HwConfig,
     * ConvShape, ZeroBlocks)}). With {@code goc_g} = output channels of group g, P = {@code oh·ow},
     * K = {@code kh·kw·gic}, G = groups of the tile:
     * <ul>
     * <li>{@code block}, depthwise mode ({@code gic = goc = 1}, {@code ex.dw_lanes > 0}):
     * {@link #pixelSteps}{@code  · ceil(oc / }{@link #dwLanes}{@code ) · kh · kw}: channels side by side, one
     * tap per cycle, spare channel lanes taking more pixels;</li>
     * <li>{@code block}, otherwise: {@code ceil(P / mac.px) · B} with B the (output block, input
     * block) pairs: {@code ceil(G / n) · ceil(goc / mac.oc)} for {@code n = }
     * {@link #groupsPerPass} groups packed per pass (a last partial group counted as a full one), times
     * {@link #reductionPasses};</li>
     * <li>{@code systolic-ws} (SCALE-Sim weight stationary, R×C = ex.rows × ex.cols):
     * {@code Σ_g ceil(K / R) · ceil(goc_g / C) · (2R + C + P − 2)};</li>
     * <li>{@code systolic-os} (output stationary): {@code Σ_g ceil(P / R) · ceil(goc_g / C) · (R + C + K − 2)};</li>
     * <li>{@code systolic-is} (input stationary): {@code Σ_g ceil(K / R) · ceil(P / C) · (2R + C + goc_g − 2)}.</li>
     * </ul>
     * A tile with no output pixels, channels or reduction has no compute cycles.
     */
    public static long exCompute(HwConfig hw, ConvShape s) {
        return exCompute(hw, s, ZeroBlocks.NONE);
    }

    /**
     * {@link #exCompute(HwConfig, ConvShape)} less the skipped units of {@code z}: in the block model each
     * skipped (output block, input block, tap) saves {@link #pixelSteps} cycles (depthwise mode: each
     * skipped (channel block, tap)); in {@code systolic-ws} each skipped weight fold saves one fold.
     */
    public static long exCompute(HwConfig hw, ConvShape s, ZeroBlocks z) {
        long px = s.pixels();
        long k = (long) s.kh() * s.kw() * s.gic();
        if (px == 0 || s.oc() == 0 || k == 0) return 0;
        long r = hw.exRows();
        long c = hw.exCols();
        return switch (hw.exModel()) {
            case BLOCK -> pixelSteps(hw, s) * (blockUnits(hw, s) - z.skippedUnits());
            case SYSTOLIC_WS -> (ceilDiv(k, r) * colFolds(s, c) - z.skippedUnits()) * (2 * r + c + px - 2);
            case SYSTOLIC_OS -> ceilDiv(px, r) * colFolds(s, c) * (r + c + k - 2);
            case SYSTOLIC_IS -> {
                long sum = 0;
                int full = s.oc() / s.goc();
                int rem = s.oc() % s.goc();
                long folds = ceilDiv(k, r) * ceilDiv(px, c);
                sum += full * folds * (2 * r + c + s.goc() - 2);
                if (rem > 0) sum += folds * (2 * r + c + rem - 2);
                yield sum;
            }
        };
    }

    /**
     * Steps of the block model over the tile's output pixels: {@code ceil(P / mac.px)}; in the depthwise
     * mode a tile with fewer channels than {@link #dwLanes} spreads pixels over the spare channel lanes:
     * {@code ceil(P / (mac.px · floor(dwLanes / min(oc, dwLanes))))}.
     */
    public static long pixelSteps(HwConfig hw, ConvShape s) {
        long px = s.pixels();
        if (!depthwiseMode(hw, s)) return ceilDiv(px, hw.macPx());
        long lanes = dwLanes(hw);
        long spread = lanes / Math.min(s.oc(), lanes);
        return ceilDiv(px, hw.macPx() * spread);
    }

    /**
     * The units the block model steps through for each pixel block: (output block, reduction pass) pairs, or
     * (channel block, tap) pairs in the depthwise mode. Without packing a reduction pass is one (input block,
     * tap) pair, {@code ceil(gic / mac.ic) · kh · kw} of them; with {@link #flattensTaps} the reduction
     * {@code K = kh · kw · gic} is cut into {@code ceil(K / mac.ic)} passes. Zero skipping removes units.
     */
    public static long blockUnits(HwConfig hw, ConvShape s) {
        long taps = (long) s.kh() * s.kw();
        if (depthwiseMode(hw, s)) return ceilDiv(s.oc(), dwLanes(hw)) * taps;
        long passes = ceilDiv(s.groups(), groupsPerPass(hw, s));
        // A tile narrower than one group (oc < goc) uses only its oc channels.
        return passes * ceilDiv(Math.min(s.goc(), s.oc()), hw.macOc()) * reductionPasses(hw, s);
    }

    /**
     * Passes of the block model over one output block's reduction: {@code ceil(kh · kw · gic / mac.ic)} when
     * {@link #flattensTaps}, else {@code ceil(gic / mac.ic) · kh · kw}.
     */
    public static long reductionPasses(HwConfig hw, ConvShape s) {
        long taps = (long) s.kh() * s.kw();
        if (flattensTaps(hw, s)) return ceilDiv(taps * s.gic(), hw.macIc());
        return ceilDiv(s.gic(), hw.macIc()) * taps;
    }

    /**
     * Whether the block model feeds the input-channel lanes from the flattened reduction {@code (tap, channel)}
     * (im2col along the taps, SCALE-Sim's {@code K = R·S·C}): an ungrouped convolution with more than one tap
     * whose {@code gic} is not a multiple of {@code mac.ic}, with {@code ex.tap_pack=on} and {@code ex.zero_skip=off}
     * (zero skipping counts blocks per tap). A 3-channel first layer then fills 24 of 24 ic lanes with 8 taps
     * instead of 3 with one; a 16-channel 3x3 layer takes 6 passes of 24 lanes instead of 9 of 16.
     */
    public static boolean flattensTaps(HwConfig hw, ConvShape s) {
        return hw.exTapPack() && !hw.exZeroSkip() && s.groups() == 1 && (long) s.kh() * s.kw() > 1
                && s.gic() % hw.macIc() != 0;
    }

    /**
     * The weight folds of {@code systolic-ws}: {@code Σ_g ceil(K / R) · ceil(goc_g / C)}; zero skipping
     * removes folds.
     */
    public static long wsFolds(HwConfig hw, ConvShape s) {
        long k = (long) s.kh() * s.kw() * s.gic();
        return ceilDiv(k, hw.exRows()) * colFolds(s, hw.exCols());
    }

    private static long colFolds(ConvShape s, long c) {
        int full = s.oc() / s.goc();
        int rem = s.oc() % s.goc();
        return full * ceilDiv(s.goc(), c) + (rem > 0 ? ceilDiv(rem, c) : 0);
    }

    /**
     * Cycles of a tile in which the array does mapped work, used for mapping efficiency: the block
     * model's compute cycles; for the systolic dataflows the folds times their streaming length
     * (WS: P, OS: K, IS: goc), without fill and drain, as SCALE-Sim counts mapping efficiency. Mapping
     * efficiency is {@code macs / (mapped cycles × peak MACs per cycle)} in (0, 1].
     */
    public static long exMapped(HwConfig hw, ConvShape s, ZeroBlocks z) {
        long px = s.pixels();
        long k = (long) s.kh() * s.kw() * s.gic();
        if (px == 0 || s.oc() == 0 || k == 0) return 0;
        long r = hw.exRows();
        long c = hw.exCols();
        return switch (hw.exModel()) {
            case BLOCK -> exCompute(hw, s, z);
            case SYSTOLIC_WS -> (wsFolds(hw, s) - z.skippedUnits()) * px;
            case SYSTOLIC_OS -> ceilDiv(px, r) * colFolds(s, c) * k;
            // Σ_g folds · goc_g = folds · oc.
            case SYSTOLIC_IS -> ceilDiv(k, r) * ceilDiv(px, c) * s.oc();
        };
    }

    /**
     * PP instructions: {@code max(pp.latency + ceil(elements / pp.lanes), ceil(sram bytes / sram.bytes_per_cycle))}
     * (maxpool elements are outputs × window taps; lrn elements are elements × window size).
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
        return hw.exModel().systolic() ? hw.exRows() * hw.exCols() : hw.macs();
    }

    /** {@code ceil(a / b)} for {@code a >= 0, b > 0}. */
    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
