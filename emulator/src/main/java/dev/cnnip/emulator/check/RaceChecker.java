package dev.cnnip.emulator.check;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Isa;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Opcode;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * A happens-before race detector over the instructions a machine executes, in functional order.
 *
 * <p>Happens-before is the transitive closure of (1) program order within each engine (its queue is
 * in order) and (2) semaphore edges: the k-th wait on a semaphore is ordered after the k-th signal of
 * it (its tokens are consumed first in, first out; this is exact when one engine signals a semaphore
 * and one engine waits on it, which is how the compiler uses them, and for other programs it checks
 * the pairing this run produced); {@code finish} comes after everything. Each engine carries a vector
 * clock (FastTrack-style epochs: an access of engine e at epoch t is ordered before an instruction
 * whose clock has entry e &ge; t).
 *
 * <p>Memory is shadowed per byte range (the instruction's declared footprint, see
 * {@link dev.cnnip.isa.Footprint}; a strided DMA counts as touching its whole span): the last writer
 * and, per engine, the last reader since that write. Two accesses to overlapping ranges, at least one
 * a write, with neither ordered before the other, are a race. Cost per instruction is a few map
 * operations per footprint range.
 */
public final class RaceChecker {
    private static final int ENGINES = Engine.values().length;

    /** One access of one instruction. */
    private record Access(int pc, int engine, int epoch, MemAccess range) {}

    /**
     * A race between the instruction being executed and an earlier one.
     *
     * @param space  the memory
     * @param start  first byte both touch
     * @param end    one past the last byte both touch
     * @param access what the current instruction does ({@code reads x})
     * @param otherPc the earlier instruction's pc
     * @param other  what the earlier instruction does ({@code writes out})
     */
    public record Race(MemAccess.Space space, long start, long end, String access, int otherPc, String other) {
        /** {@code data race on SRAM [0x0, 0x40): reads x while ex pc 7 (ex.conv, layer 1 'c1') writes acc, ...}. */
        public String message(IntFunction<String> describe) {
            return "data race on " + space + " " + MemAccess.hexRange(start, end) + ": " + access + " while "
                    + describe.apply(otherPc) + " " + other
                    + ", and neither program order nor a semaphore orders the two";
        }
    }

    private static final class Seg {
        long end;
        Access writer;
        Access[] readers;

        Seg(long end, Access writer, Access[] readers) {
            this.end = end;
            this.writer = writer;
            this.readers = readers;
        }
    }

    private final int[][] clocks = new int[ENGINES][ENGINES];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<int[]>[] tokens = new ArrayDeque[Isa.SEMAPHORES];
    private final Map<MemAccess.Space, TreeMap<Long, Seg>> shadow = Map.of(MemAccess.Space.SRAM, new TreeMap<>(),
            MemAccess.Space.DRAM, new TreeMap<>());
    private long instructions;
    private long accesses;

    public RaceChecker() {
        for (int s = 0; s < tokens.length; s++) tokens[s] = new ArrayDeque<>();
    }

    /**
     * Records that instruction {@code pc} executes now (after its waits, before its signals) with
     * {@code footprint}; returns the first race it finds, or null.
     */
    public Race execute(int pc, Insn insn, Footprint footprint) {
        instructions++;
        int e = insn.engine().ordinal();
        int[] vc = clocks[e];
        vc[e]++;
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.waitMask() & (1 << s)) != 0) {
                int[] t = tokens[s].poll();
                if (t != null) join(vc, t);
            }
        }
        if (insn.op() == Opcode.FINISH) {
            for (int[] other : clocks) join(vc, other);
        }
        Race race = null;
        for (MemAccess a : footprint.accesses()) {
            accesses++;
            Race r = access(new Access(pc, e, vc[e], a), vc);
            if (race == null) race = r;
        }
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.signalMask() & (1 << s)) != 0) tokens[s].add(vc.clone());
        }
        return race;
    }

    /** Instructions checked so far. */
    public long instructions() {
        return instructions;
    }

    /** Footprint ranges checked so far. */
    public long accesses() {
        return accesses;
    }

    private static void join(int[] into, int[] from) {
        for (int k = 0; k < into.length; k++) into[k] = Math.max(into[k], from[k]);
    }

    private static boolean ordered(Access before, int[] vc) {
        return before == null || before.epoch <= vc[before.engine];
    }

    private Race access(Access me, int[] vc) {
        TreeMap<Long, Seg> segs = shadow.get(me.range.space());
        long lo = me.range.start();
        long hi = me.range.end();
        split(segs, lo);
        split(segs, hi);
        fillGaps(segs, lo, hi);
        Race race = null;
        for (Map.Entry<Long, Seg> en : segs.subMap(lo, true, hi, false).entrySet()) {
            Seg s = en.getValue();
            if (race == null && !ordered(s.writer, vc)) race = race(me, s.writer);
            if (me.range.write()) {
                for (Access r : s.readers) if (race == null && !ordered(r, vc)) race = race(me, r);
            } else {
                s.readers[me.engine] = me;
            }
        }
        if (me.range.write()) {
            segs.subMap(lo, true, hi, false).clear();
            segs.put(lo, new Seg(hi, me, new Access[ENGINES]));
        }
        return race;
    }

    private static Race race(Access me, Access other) {
        long start = Math.max(me.range.start(), other.range.start());
        long end = Math.min(me.range.end(), other.range.end());
        return new Race(me.range.space(), start, end, verb(me.range), other.pc, verb(other.range));
    }

    private static String verb(MemAccess a) {
        return (a.write() ? "writes " : "reads ") + a.operand();
    }

    private static void split(TreeMap<Long, Seg> segs, long at) {
        Map.Entry<Long, Seg> e = segs.floorEntry(at);
        if (e == null || e.getKey() == at || e.getValue().end <= at) return;
        Seg s = e.getValue();
        segs.put(at, new Seg(s.end, s.writer, s.readers.clone()));
        s.end = at;
    }

    private static void fillGaps(TreeMap<Long, Seg> segs, long lo, long hi) {
        long cur = lo;
        TreeMap<Long, Seg> gaps = new TreeMap<>();
        for (Map.Entry<Long, Seg> e : segs.subMap(lo, true, hi, false).entrySet()) {
            if (e.getKey() > cur) gaps.put(cur, new Seg(e.getKey(), null, new Access[ENGINES]));
            cur = Math.max(cur, e.getValue().end);
        }
        if (cur < hi) gaps.put(cur, new Seg(hi, null, new Access[ENGINES]));
        segs.putAll(gaps);
    }
}
