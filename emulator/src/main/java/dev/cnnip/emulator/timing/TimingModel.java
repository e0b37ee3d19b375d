package dev.cnnip.emulator.timing;

import dev.cnnip.emulator.Layouts;
import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Isa;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Discrete-event, cycle-approximate timing of a run. It sees the same event stream as every listener
 * (dispatch, then retire with the executor's work metrics, in functional order) and keeps its own
 * clocks; it never changes machine state. All parameters come from the program's {@link HwConfig}.
 *
 * <p>Model, in cycles:
 * <ul>
 * <li>Fetch: {@code fetch(i) = max(fetch(i−1) + 1/fetch.per_cycle, start of the instruction queue.depth
 * positions earlier on the same engine)}, realised as at most {@code fetch.per_cycle} instructions per
 * whole cycle (the queue slot frees when that instruction starts).</li>
 * <li>Start: {@code max(engine free, fetch(i), time of each consumed semaphore token)}; each semaphore
 * keeps a FIFO of token times, appended with the signalling instruction's end, consumed oldest first. In
 * serial mode also {@code >=} the end of the previously retired instruction; {@code finish} also
 * {@code >=} the end of every other instruction.</li>
 * <li>Duration: {@link CostModel#duration}. The transfer part of LD/ST
 * ({@link CostModel#dmaTransfer}) queues on one DRAM port shared by LD and ST: it begins at
 * {@code max(start + dmaFixed, DRAM free)} and holds the port until it ends.</li>
 * <li>An instruction signals at its end.</li>
 * </ul>
 * {@link #projectedStart} lets the overlapped scheduler execute, among ready instructions, the one that
 * would start first.
 */
public final class TimingModel {
    private static final int ENGINES = Engine.values().length;

    private final HwConfig hw;
    private final boolean serial;
    private final int depth;
    private final long fetchPerCycle;
    private final int[] layerOfPc;
    private final List<LayerInfo> layers;

    private final long[] fetchOf;
    private long lastFetch;
    private long slotsUsed;
    private final long[] dispatchedOn = new long[ENGINES];
    private final long[] retiredOn = new long[ENGINES];
    private final long[][] queueStarts;
    private final long[] engineFree = new long[ENGINES];
    private final LongFifo[] tokens = new LongFifo[Isa.SEMAPHORES];
    private long dramFree;
    private long lastEnd;
    private long maxEnd;
    private long instructions;

    private final Counters[] engine = new Counters[ENGINES];
    private final Acc[] layerAcc;
    private final long compulsoryBytes;

    /** Running cycle counters of one engine; {@link #stats} freezes them as {@link EngineStats}. */
    private static final class Counters {
        long instructions;
        long busy;
        long stallSemaphore;
        long stallFetch;
        long stallDram;
        long stallOrder;
        long lastEnd;

        EngineStats stats(String label, long total) {
            long stalls = stallSemaphore + stallFetch + stallDram + stallOrder;
            return new EngineStats(label, instructions, busy, total - busy, stallSemaphore, stallFetch, stallDram,
                    stallOrder, total - busy - stalls);
        }
    }

    /** Per-layer accumulation. */
    private static final class Acc {
        long instructions;
        long start = Long.MAX_VALUE;
        long end;
        long macs;
        long skippedMacs;
        long dramRead;
        long dramWritten;
        long exSram;
        long ppSram;
        long exBusy;
        long mapped;

        void add(Acc a) {
            instructions += a.instructions;
            macs += a.macs;
            skippedMacs += a.skippedMacs;
            dramRead += a.dramRead;
            dramWritten += a.dramWritten;
            exSram += a.exSram;
            ppSram += a.ppSram;
            exBusy += a.exBusy;
            mapped += a.mapped;
        }
    }

    /** A model for {@code program}'s machine; {@code serial} adds the program-order constraint. */
    public TimingModel(Program program, boolean serial) {
        this.hw = program.hwConfig();
        this.serial = serial;
        this.depth = (int) Math.min(hw.queueDepth(), Integer.MAX_VALUE);
        this.fetchPerCycle = hw.fetchPerCycle();
        int n = program.instructionCount();
        this.layers = program.layers();
        this.layerOfPc = new int[n];
        for (int pc = 0; pc < n; pc++) layerOfPc[pc] = program.sourceFor(pc).map(SourceEntry::layer).orElse(-1);
        this.fetchOf = new long[n];
        this.queueStarts = new long[ENGINES][Math.min(depth, Math.max(n, 1))];
        for (int s = 0; s < tokens.length; s++) tokens[s] = new LongFifo();
        this.layerAcc = new Acc[layers.size() + 1];
        for (int i = 0; i < layerAcc.length; i++) layerAcc[i] = new Acc();
        for (int i = 0; i < ENGINES; i++) engine[i] = new Counters();
        this.compulsoryBytes = compulsoryBytes(program);
    }

    /**
     * Bytes that must cross the DRAM port at least once: the program image's constant segments (weights,
     * biases, tables) and the graph inputs and outputs in their physical layouts.
     */
    public static long compulsoryBytes(Program program) {
        long bytes = 0;
        for (var seg : program.segments()) bytes += seg.size();
        for (String in : program.inputs()) bytes += program.symbol(in).map(x -> (long) Layouts.physicalBytes(x)).orElse(0L);
        for (String out : program.outputs()) bytes += program.symbol(out).map(x -> (long) Layouts.physicalBytes(x)).orElse(0L);
        return bytes;
    }

    /** Layer index of instruction {@code pc} from the source map, or −1. */
    public int layerOf(int pc) {
        return layerOfPc[pc];
    }

    /** Records the dispatch of {@code pc} to engine {@code e}'s queue; returns its fetch cycle. */
    public long dispatch(int pc, Engine e) {
        int ei = e.ordinal();
        long ordinal = dispatchedOn[ei]++;
        // The instruction `depth` earlier on this engine has retired (the functional queue had room).
        long slotFree = ordinal >= depth ? queueStarts[ei][(int) (ordinal % depth)] : 0;
        long next = slotsUsed >= fetchPerCycle ? lastFetch + 1 : lastFetch;
        long t = Math.max(next, slotFree);
        if (t == lastFetch) {
            slotsUsed++;
        } else {
            lastFetch = t;
            slotsUsed = 1;
        }
        fetchOf[pc] = t;
        return t;
    }

    /** The cycle {@code insn} at {@code pc} would start if it executed next (it must be dispatched and ready). */
    public long projectedStart(int pc, Insn insn) {
        long start = Math.max(engineFree[insn.engine().ordinal()], fetchOf[pc]);
        start = Math.max(start, tokenTime(insn.waitMask()));
        return Math.max(start, orderTime(insn));
    }

    /**
     * Records the retirement of {@code insn} at {@code pc} (the executor has applied it and reported
     * {@code m}); returns when it ran.
     */
    public Timing retire(int pc, Insn insn, WorkMetrics m) {
        return retire(pc, insn, m, ZeroBlocks.NONE);
    }

    /**
     * Records the retirement of {@code insn} at {@code pc} with the weight blocks {@code z} EX skipped
     * ({@link ZeroBlockCounter}); returns when it ran.
     */
    public Timing retire(int pc, Insn insn, WorkMetrics m, ZeroBlocks z) {
        int ei = insn.engine().ordinal();
        long base = engineFree[ei];
        long fetch = fetchOf[pc];
        long sem = tokenTime(insn.waitMask());
        long order = orderTime(insn);
        long start = Math.max(Math.max(base, fetch), Math.max(sem, order));
        long stallFetch = Math.max(0, fetch - base);
        long stallSem = Math.max(0, sem - Math.max(base, fetch));
        long stallOrder = Math.max(0, order - Math.max(Math.max(base, fetch), sem));

        Opcode op = insn.op();
        long busy = CostModel.duration(hw, op, m, z);
        long end;
        long stallDram = 0;
        if (CostModel.usesDram(op)) {
            long transfer = CostModel.dmaTransfer(hw, m);
            long request = start + CostModel.dmaFixed(hw, m);
            long begin = transfer > 0 ? Math.max(request, dramFree) : request;
            stallDram = begin - request;
            end = begin + transfer;
            if (transfer > 0) dramFree = end;
        } else {
            end = start + busy;
        }

        // Only the semaphores the masks name (a few of them, per instruction).
        for (int bits = insn.waitMask(); bits != 0; bits &= bits - 1) tokens[Integer.numberOfTrailingZeros(bits)].poll();
        for (int bits = insn.signalMask(); bits != 0; bits &= bits - 1) tokens[Integer.numberOfTrailingZeros(bits)].add(end);
        long ordinal = retiredOn[ei]++;
        queueStarts[ei][(int) (ordinal % queueStarts[ei].length)] = start;
        engineFree[ei] = end;
        lastEnd = end;
        maxEnd = Math.max(maxEnd, end);
        instructions++;

        Counters es = engine[ei];
        es.instructions++;
        es.busy += busy;
        es.stallSemaphore += stallSem;
        es.stallFetch += stallFetch;
        es.stallDram += stallDram;
        es.stallOrder += stallOrder;
        es.lastEnd = end;
        Acc a = layerAcc[layerOfPc[pc] + 1];
        a.instructions++;
        a.start = Math.min(a.start, start);
        a.end = Math.max(a.end, end);
        a.macs += m.macs();
        if (op == Opcode.LD) a.dramRead += m.dramBytes();
        else a.dramWritten += m.dramBytes();
        if (op == Opcode.EX_CONV) {
            a.exSram += m.sramBytes();
            a.exBusy += busy;
            a.skippedMacs += z.skippedMacs();
            if (m.conv() != null) a.mapped += CostModel.exMapped(hw, m.conv(), z);
        } else if (insn.engine() == Engine.PP) {
            a.ppSram += m.sramBytes();
        }
        return new Timing(fetch, start, end, busy, stallFetch, stallSem, stallOrder, stallDram);
    }

    /** The latest end so far: the simulated time of the run. */
    public long now() {
        return maxEnd;
    }

    private long tokenTime(int waitMask) {
        long t = 0;
        for (int m = waitMask; m != 0; m &= m - 1) {
            LongFifo f = tokens[Integer.numberOfTrailingZeros(m)];
            if (!f.isEmpty()) t = Math.max(t, f.peek());
        }
        return t;
    }

    private long orderTime(Insn insn) {
        long t = serial ? lastEnd : 0;
        // finish waits until every engine is idle.
        return insn.op() == Opcode.FINISH ? Math.max(t, maxEnd) : t;
    }

    /** The report of everything retired so far; total cycles = {@link #now()}. */
    public PerfReport report() {
        long total = maxEnd;
        long peak = CostModel.peakMacsPerCycle(hw);
        List<EngineStats> engines = new ArrayList<>();
        for (Engine e : Engine.values()) engines.add(engine[e.ordinal()].stats(e.label(), total));
        List<LayerStats> rows = new ArrayList<>();
        long attributedTo = 0; // latest end of the rows so far
        List<Double> spanRatios = new ArrayList<>();
        List<Double> attributedRatios = new ArrayList<>();
        for (int i = 1; i <= layers.size(); i++) {
            Acc a = layerAcc[i];
            if (a.instructions == 0) continue;
            long attributed = Math.max(0, a.end - attributedTo);
            attributedTo = Math.max(attributedTo, a.end);
            LayerStats row = stats(i - 1, layers.get(i - 1).name(), a, a.end - a.start, peak, attributed);
            rows.add(row);
            if ("Conv".equals(layers.get(i - 1).op()) && row.bound() > 0) {
                spanRatios.add(row.boundRatio());
                attributedRatios.add(row.attributedRatio());
            }
        }
        if (layerAcc[0].instructions > 0) {
            long attributed = Math.max(0, layerAcc[0].end - attributedTo);
            rows.add(stats(-1, "(none)", layerAcc[0], layerAcc[0].end - layerAcc[0].start, peak, attributed));
        }
        Acc all = new Acc();
        for (Acc a : layerAcc) all.add(a);
        all.start = 0;
        all.end = total;
        LayerStats t = stats(-1, "total", all, total, peak, total);
        double micros = total / hw.clockMhz();
        double fps = total == 0 ? 0 : 1e6 / micros;
        double tops = 2.0 * (t.macs() - t.skippedMacs()) * fps / 1e12;
        long idealMac = CostModel.ceilDiv(t.macs() - t.skippedMacs(), peak);
        long idealDram = CostModel.ceilDiv(compulsoryBytes, hw.dramBytesPerCycle());
        return new PerfReport(hw.name(), hw.hash(), hw.clockMhz(), peak, hw.dramBytesPerCycle(),
                serial ? "serial" : "overlapped", total, instructions, engines, rows, t, micros, fps, tops,
                compulsoryBytes, Math.max(idealMac, idealDram), Limit.of(idealMac, idealDram, 0),
                RatioSpread.of(spanRatios), RatioSpread.of(attributedRatios));
    }

    private LayerStats stats(int index, String name, Acc a, long cycles, long peak, long attributed) {
        long effective = a.macs - a.skippedMacs;
        long dram = a.dramRead + a.dramWritten;
        long tMac = CostModel.ceilDiv(effective, peak);
        long tDram = CostModel.ceilDiv(dram, hw.dramBytesPerCycle());
        long tSram = CostModel.ceilDiv(Math.max(a.exSram, a.ppSram), hw.sramBytesPerCycle());
        double util = cycles == 0 ? 0 : (double) effective / ((double) cycles * peak);
        double mapping = a.mapped == 0 ? 0 : (double) effective / ((double) a.mapped * peak);
        double bw = cycles == 0 ? 0 : (double) dram / cycles;
        return new LayerStats(index, name, a.instructions, a.start, a.end, cycles, a.macs, dram, util, tMac, tDram,
                Math.max(tMac, Math.max(tDram, tSram)), Limit.of(tMac, tDram, tSram), tSram, mapping, a.exBusy,
                a.skippedMacs, a.dramRead, a.dramWritten, a.exSram + a.ppSram, bw, attributed);
    }
}
