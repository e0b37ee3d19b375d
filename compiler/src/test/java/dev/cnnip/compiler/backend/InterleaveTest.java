package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Insn;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Opcode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Interleave#reorder}: a hand-worked software pipeline of a streamed Quantize and the convolution reading
 * its output, and random schedules checked against a byte-level oracle (every pair of instructions touching a
 * common byte, one of them writing it, keeps its order; each layer keeps its own order).
 */
class InterleaveTest {
    private static final Emitter.Op OP = new Emitter.InsnOp(Insn.of(Opcode.NOP).build());

    private static MemAccess sram(long lo, long hi, boolean write) {
        return new MemAccess(MemAccess.Space.SRAM, write, write ? "dst" : "src", lo, hi);
    }

    private static Interleave.Step step(int layer, String name, MemAccess... fp) {
        return new Interleave.Step(layer, 0, name, OP, new int[0], List.of(fp));
    }

    @Test
    void convolutionStartsOnTheFirstChunks() {
        // Layer 0 streams 4 chunks from DRAM: ld k into buffer k % 2 (0..100, 100..200), pp.quant k writes rows
        // 1000 + 100k .. + 100 of the resident tensor. Layer 1: ex.conv k reads rows k and k + 1 (a halo; the
        // last only row 3) and writes accumulator buffer k % 2 (5000.., 5100..); pp.requant k reads it and writes
        // output rows 9000 + 100k.
        List<Interleave.Entry> in = new ArrayList<>();
        Map<Interleave.Step, String> names = new HashMap<>();
        in.add(new Interleave.Marker(true, 0, 0, "q"));
        for (int k = 0; k < 4; k++) {
            long buf = 100L * (k % 2);
            Interleave.Step ld = step(0, "q", sram(buf, buf + 100, true));
            Interleave.Step q = step(0, "q", sram(buf, buf + 100, false), sram(1000 + 100L * k, 1100 + 100L * k, true));
            names.put(ld, "ld" + k);
            names.put(q, "q" + k);
            in.add(ld);
            in.add(q);
        }
        in.add(new Interleave.Marker(false, 0, 0, "q"));
        in.add(new Interleave.Marker(true, 1, 0, "c"));
        for (int k = 0; k < 4; k++) {
            long acc = 5000 + 100L * (k % 2);
            long hi = Math.min(1400, 1200 + 100L * k);
            Interleave.Step ex = step(1, "c", sram(1000 + 100L * k, hi, false), sram(acc, acc + 100, true));
            Interleave.Step rq = step(1, "c", sram(acc, acc + 100, false), sram(9000 + 100L * k, 9100 + 100L * k, true));
            names.put(ex, "ex" + k);
            names.put(rq, "rq" + k);
            in.add(ex);
            in.add(rq);
        }
        in.add(new Interleave.Marker(false, 1, 0, "c"));

        boolean[] moved = new boolean[2];
        List<Interleave.Entry> out = Interleave.reorder(in, new boolean[] {true, false}, new boolean[] {false, true}, moved);
        List<String> order = new ArrayList<>();
        for (Interleave.Entry e : out) {
            order.add(e instanceof Interleave.Marker m ? (m.begin() ? "begin" : "end") + m.layer() : names.get((Interleave.Step) e));
        }
        // ex0 needs rows 0 and 1 (q1); ex1 rows 1 and 2 (q2); ex2 and ex3 rows up to 3 (q3); ld2 overwrites the
        // buffer q0 read, which no conv instruction touches; each requantization follows its ex.conv and
        // rq k + 2 reuses the accumulators rq k read, after ex k + 2
        assertEquals(List.of("begin0", "ld0", "q0", "ld1", "q1", "ex0", "rq0", "ld2", "q2", "ex1", "rq1", "ld3", "q3",
                "ex2", "rq2", "ex3", "rq3", "end0", "begin1", "end1"), order);
        assertTrue(moved[1]);
        assertOrderKept(in, out);
    }

    @Test
    void nothingMovesWithoutAStreamingHost() {
        List<Interleave.Entry> in = List.of(new Interleave.Marker(true, 0, 0, "a"), step(0, "a", sram(0, 10, true)),
                new Interleave.Marker(false, 0, 0, "a"), new Interleave.Marker(true, 1, 0, "b"), step(1, "b", sram(20, 30, true)),
                new Interleave.Marker(false, 1, 0, "b"));
        boolean[] moved = new boolean[2];
        assertEquals(in, Interleave.reorder(in, new boolean[] {false, false}, new boolean[] {false, true}, moved));
        assertEquals(in, Interleave.reorder(in, new boolean[] {true, false}, new boolean[] {false, false}, moved));
        assertTrue(!moved[0] && !moved[1]);
    }

    @Test
    void randomSchedulesKeepEveryConflictingPairInOrder() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int layers = 2 + rnd.nextInt(4);
            List<Interleave.Entry> in = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                in.add(new Interleave.Marker(true, l, 0, "l" + l));
                int steps = 1 + rnd.nextInt(8);
                for (int s = 0; s < steps; s++) {
                    int accesses = 1 + rnd.nextInt(3);
                    MemAccess[] fp = new MemAccess[accesses];
                    for (int a = 0; a < accesses; a++) {
                        long lo = rnd.nextInt(64);
                        fp[a] = sram(lo, lo + 1 + rnd.nextInt(16), rnd.nextBoolean());
                    }
                    in.add(step(l, "l" + l, fp));
                }
                in.add(new Interleave.Marker(false, l, 0, "l" + l));
            }
            boolean[] host = new boolean[layers];
            boolean[] mover = new boolean[layers];
            for (int l = 0; l < layers; l++) {
                host[l] = rnd.nextInt(3) == 0;
                mover[l] = rnd.nextBoolean();
            }
            List<Interleave.Entry> out = Interleave.reorder(in, host, mover, new boolean[layers]);
            assertEquals(in.size(), out.size(), "trial " + trial + ": every entry is kept");
            assertOrderKept(in, out);
        }
    }

    /**
     * The oracle: for every pair of steps, when their byte sets (expanded from the ranges, independently of the
     * code under test) intersect and one of them writes a common byte, or they belong to the same layer, or one
     * is a marker, their order in {@code out} is their order in {@code in}... except that moved steps may pass
     * markers and non-conflicting steps of other layers.
     */
    private static void assertOrderKept(List<Interleave.Entry> in, List<Interleave.Entry> out) {
        Map<Interleave.Entry, Integer> pos = new HashMap<>();
        for (int i = 0; i < out.size(); i++) pos.put(out.get(i), i);
        assertEquals(in.size(), pos.size(), "entries are distinct and all present");
        for (int i = 0; i < in.size(); i++) {
            for (int j = i + 1; j < in.size(); j++) {
                if (!(in.get(i) instanceof Interleave.Step a) || !(in.get(j) instanceof Interleave.Step b)) continue;
                boolean ordered = a.layer() == b.layer() || conflict(a, b);
                if (ordered) {
                    assertTrue(pos.get(a) < pos.get(b), "entries " + i + " and " + j + " must keep their order");
                }
            }
        }
        // markers keep their relative order
        int last = -1;
        for (Interleave.Entry e : in) {
            if (e instanceof Interleave.Marker) {
                assertTrue(pos.get(e) > last, "markers keep their order");
                last = pos.get(e);
            }
        }
    }

    private static boolean conflict(Interleave.Step a, Interleave.Step b) {
        BitSet aw = new BitSet();
        BitSet ar = new BitSet();
        BitSet bw = new BitSet();
        BitSet br = new BitSet();
        for (MemAccess m : a.footprint()) (m.write() ? aw : ar).set((int) m.start(), (int) m.end());
        for (MemAccess m : b.footprint()) (m.write() ? bw : br).set((int) m.start(), (int) m.end());
        return aw.intersects(bw) || aw.intersects(br) || ar.intersects(bw);
    }
}
