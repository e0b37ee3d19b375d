package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Finds the read-after-write, write-after-read and write-after-write hazards of one address space
 * (SRAM or DRAM). Memory is kept as non-overlapping segments, each with its last writer and, per
 * engine, its last reader since that write (engines are in order, so the last reader of an engine
 * stands for all earlier ones).
 */
final class HazardTracker {
    private static final int NONE = -1;

    private static final class Seg {
        long end;
        int writer;
        int[] readers;

        Seg(long end, int writer, int[] readers) {
            this.end = end;
            this.writer = writer;
            this.readers = readers;
        }

        Seg copy(long newEnd) {
            return new Seg(newEnd, writer, readers.clone());
        }
    }

    private final TreeMap<Long, Seg> segs = new TreeMap<>();

    /**
     * Records that instruction {@code insn} of engine {@code engine} reads or writes {@code [start, end)}
     * and reports to {@code deps} every earlier instruction it must wait for.
     */
    void access(long start, long end, boolean write, int insn, Engine engine, IntConsumer deps) {
        if (end <= start) return;
        split(start);
        split(end);
        fillGap(start, end);
        for (Map.Entry<Long, Seg> e : segs.subMap(start, true, end, false).entrySet()) {
            Seg s = e.getValue();
            if (s.writer != NONE) deps.accept(s.writer);
            if (write) {
                for (int r : s.readers) if (r != NONE) deps.accept(r);
                s.writer = insn;
                Arrays.fill(s.readers, NONE);
            } else {
                s.readers[engine.ordinal()] = insn;
            }
        }
        if (write) merge(start, end, insn);
    }

    /** Splits the segment containing {@code at} so that a segment starts exactly there. */
    private void split(long at) {
        Map.Entry<Long, Seg> e = segs.floorEntry(at);
        if (e == null || e.getKey() == at || e.getValue().end <= at) return;
        Seg s = e.getValue();
        segs.put(at, s.copy(s.end));
        s.end = at;
    }

    /** Adds empty segments over the parts of {@code [start, end)} not yet covered. */
    private void fillGap(long start, long end) {
        long cur = start;
        List<long[]> gaps = new ArrayList<>();
        for (Map.Entry<Long, Seg> e : segs.subMap(start, true, end, false).entrySet()) {
            if (e.getKey() > cur) gaps.add(new long[] {cur, e.getKey()});
            cur = Math.max(cur, e.getValue().end);
        }
        if (cur < end) gaps.add(new long[] {cur, end});
        for (long[] g : gaps) segs.put(g[0], new Seg(g[1], NONE, emptyReaders()));
    }

    /** After a write, the written range is one segment again (keeps the map small). */
    private void merge(long start, long end, int writer) {
        segs.subMap(start, true, end, false).clear();
        segs.put(start, new Seg(end, writer, emptyReaders()));
    }

    private static int[] emptyReaders() {
        int[] r = new int[Engine.values().length];
        Arrays.fill(r, NONE);
        return r;
    }
}
