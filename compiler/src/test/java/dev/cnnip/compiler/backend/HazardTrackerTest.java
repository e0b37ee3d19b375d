package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Engine;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Hazards of one address space ({@link HazardTracker}): every case below states the accesses in program
 * order and the earlier instructions the last one must wait for, worked out by hand from the byte ranges
 * ({@code [start, end)}, end exclusive). The tracker reports the last writer of each byte (RAW, WAW) and,
 * for a write, the last reader per engine since that write (WAR); earlier readers of the same engine are
 * covered by the engines' in-order execution. A randomized case checks the same contract against a
 * brute-force oracle that compares every pair of accesses byte by byte.
 */
class HazardTrackerTest {
    private final HazardTracker t = new HazardTracker();
    private int next;

    /** Records the next instruction's access and returns the instructions it depends on, sorted, without repeats. */
    private TreeSet<Integer> access(Engine e, long start, long end, boolean write) {
        TreeSet<Integer> deps = new TreeSet<>();
        int insn = next++;
        t.access(start, end, write, insn, e, deps::add);
        return deps;
    }

    private TreeSet<Integer> write(Engine e, long start, long end) {
        return access(e, start, end, true);
    }

    private TreeSet<Integer> read(Engine e, long start, long end) {
        return access(e, start, end, false);
    }

    private static TreeSet<Integer> set(Integer... xs) {
        return new TreeSet<>(List.of(xs));
    }

    @Test
    void readAfterWriteOnOverlapOnly() {
        assertEquals(set(), write(Engine.LD, 0, 64));           // 0: LD fills [0,64)
        assertEquals(set(), read(Engine.EX, 64, 128));          // 1: adjacent, no byte shared
        assertEquals(set(), read(Engine.EX, 1000, 1064));       // 2: never written
        assertEquals(set(0), read(Engine.EX, 63, 64));          // 3: the last byte of 0
        assertEquals(set(0), read(Engine.PP, 32, 96));          // 4: straddles the end of 0
    }

    @Test
    void writeAfterReadWaitsForTheLastReaderOfEachEngine() {
        write(Engine.LD, 0, 64);                                // 0
        read(Engine.EX, 0, 64);                                 // 1
        read(Engine.PP, 16, 32);                                // 2
        read(Engine.EX, 0, 8);                                  // 3: EX's last reader of [0,8)
        // 4: LD rewrites [0,8): WAW on 0, WAR on EX's 3 only (EX's 1 is implied by 3: EX runs in order)
        assertEquals(set(0, 3), write(Engine.LD, 0, 8));
        // 5: LD rewrites [8,64): WAW on 0; WAR on PP's 2 ([16,32)) and EX's 1 (still the last EX reader of [8,64))
        assertEquals(set(0, 1, 2), write(Engine.LD, 8, 64));
        // 6: the readers were consumed by the writes: a third write waits only for the writers
        assertEquals(set(4, 5), write(Engine.LD, 0, 64));
    }

    @Test
    void writeAfterReadOnAdjacentRangesIsFree() {
        read(Engine.EX, 100, 200);                              // 0
        assertEquals(set(), write(Engine.LD, 200, 300));        // 1: starts where 0 ends
        assertEquals(set(), write(Engine.LD, 0, 100));          // 2: ends where 0 starts
        assertEquals(set(0, 1), write(Engine.LD, 199, 201));    // 3: WAR on 0's last byte, WAW on 1's first
    }

    @Test
    void writeAfterWriteKeepsThePartsNotOverwritten() {
        write(Engine.LD, 0, 100);                               // 0
        assertEquals(set(0), write(Engine.PP, 50, 150));        // 1: WAW on [50,100)
        assertEquals(set(0), read(Engine.EX, 0, 40));           // 2: [0,40) still 0's
        assertEquals(set(1), read(Engine.EX, 60, 70));          // 3: [60,70) now 1's
        assertEquals(set(0, 1), read(Engine.EX, 40, 60));       // 4: straddles the boundary at 50
        assertEquals(set(1), read(Engine.ST, 100, 150));        // 5: only 1 wrote [100,150)
        // 6: rewriting [0,150) waits for both writers and, per byte, the last reader of each engine:
        // EX's 2 on [0,40), 4 on [40,60), 3 on [60,70); ST's 5 on [100,150)
        assertEquals(set(0, 1, 2, 3, 4, 5), write(Engine.LD, 0, 150));
        // 7: then one writer and no readers are left
        assertEquals(set(6), read(Engine.EX, 0, 150));
    }

    @Test
    void emptyRangesTouchNothing() {
        write(Engine.LD, 0, 64);                                // 0
        assertEquals(set(), read(Engine.EX, 10, 10));           // 1
        assertEquals(set(), write(Engine.PP, 20, 20));          // 2
        assertEquals(set(0), read(Engine.EX, 20, 21));          // 3: the empty write left 0 as the writer
    }

    @Test
    void dramAddressesBeyondFourGigabytes() {
        long base = 1L << 32;
        write(Engine.ST, base, base + 16);                      // 0
        assertEquals(set(0), read(Engine.LD, base + 15, base + 16)); // 1
        assertEquals(set(), read(Engine.LD, base + 16, base + 32));  // 2: adjacent
        assertEquals(set(), read(Engine.LD, 0, 16));            // 3: same low 32 bits, other address
    }

    @Test
    void sameEngineDependenciesAreReportedForThePlannerToDrop() {
        // the tracker reports them (the planner needs no semaphore for them, see SyncPlannerTest)
        write(Engine.LD, 0, 64);                                // 0
        assertEquals(set(0), write(Engine.LD, 0, 64));          // 1
        assertEquals(set(1), read(Engine.LD, 0, 1));            // 2
    }

    /**
     * Random accesses over a 96-byte space by all four data engines. Oracle: for every byte, the earlier
     * accesses that conflict with the new one (same byte, at least one write). Every reported dependency
     * must be such a conflict, and every conflict must be ordered before the new access by the reported
     * dependencies, per-engine program order and transitivity.
     */
    @Test
    void everyConflictIsOrderedAndEveryDependencyIsAConflict() {
        SplittableRandom rnd = new SplittableRandom(20261129);
        Engine[] engines = {Engine.LD, Engine.EX, Engine.PP, Engine.ST};
        record Acc(Engine e, int start, int end, boolean write) {}
        List<Acc> accs = new ArrayList<>();
        List<BitSet> before = new ArrayList<>(); // before[i]: accesses ordered before i
        int[] lastOf = new int[Engine.values().length];
        java.util.Arrays.fill(lastOf, -1);
        for (int i = 0; i < 600; i++) {
            Engine e = engines[rnd.nextInt(engines.length)];
            int start = rnd.nextInt(96);
            int end = start + rnd.nextInt(Math.min(24, 96 - start) + 1);
            boolean w = rnd.nextInt(3) == 0;
            Acc a = new Acc(e, start, end, w);
            TreeSet<Integer> deps = access(e, start, end, w);
            BitSet hb = new BitSet();
            List<Integer> preds = new ArrayList<>(deps);
            if (lastOf[e.ordinal()] >= 0) preds.add(lastOf[e.ordinal()]);
            for (int p : preds) {
                hb.set(p);
                hb.or(before.get(p));
            }
            for (int d : deps) {
                Acc b = accs.get(d);
                assertTrue(overlap(a.start, a.end, b.start, b.end) && (a.write || b.write),
                        () -> "access " + accs.size() + " " + a + " depends on " + d + " " + b + " without a conflict");
            }
            for (int j = 0; j < accs.size(); j++) {
                Acc b = accs.get(j);
                if ((a.write || b.write) && overlap(a.start, a.end, b.start, b.end)) {
                    int jj = j;
                    assertTrue(hb.get(j), () -> "access " + accs.size() + " " + a + " is not ordered after " + jj + " " + b);
                }
            }
            accs.add(a);
            before.add(hb);
            lastOf[e.ordinal()] = i;
        }
    }

    private static boolean overlap(int s1, int e1, int s2, int e2) {
        return Math.max(s1, s2) < Math.min(e1, e2);
    }
}
