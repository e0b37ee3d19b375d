package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Engine;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Semaphore planning ({@link SyncPlanner}). Small sequences are checked against masks worked out by hand;
 * random dependency graphs are checked against an oracle written here that knows nothing of vector
 * clocks: it runs the planned program serially in program order with one counter per semaphore (no wait
 * may find its counter at zero, every counter ends at zero), and it builds happens-before from per-engine
 * program order plus signal→wait edges (the k-th wait on a semaphore after its k-th signal: one producer
 * and one consumer engine per semaphore, both in order) and requires every dependency to be ordered by it,
 * and no wait to be implied by the others.
 */
class SyncPlannerTest {
    private static int bit(Engine producer, Engine consumer) {
        return 1 << SyncPlanner.semaphore(producer, consumer);
    }

    @Test
    void semaphoresAreOnePerOrderedEnginePair() {
        Engine[] producers = {Engine.LD, Engine.EX, Engine.PP, Engine.ST};
        Set<Integer> seen = new HashSet<>();
        for (Engine p : producers) {
            for (Engine c : Engine.values()) {
                if (c == p) continue;
                int s = SyncPlanner.semaphore(p, c);
                assertTrue(s >= 0 && s < 16, p + "->" + c + ": " + s);
                assertTrue(seen.add(s), p + "->" + c + " shares semaphore " + s);
            }
        }
        assertEquals(16, seen.size());
        assertThrows(IllegalArgumentException.class, () -> SyncPlanner.semaphore(Engine.CTL, Engine.EX));
        assertThrows(IllegalArgumentException.class, () -> SyncPlanner.semaphore(Engine.EX, Engine.EX));
    }

    @Test
    void crossEngineDependencySignalsAndWaits() {
        SyncPlanner s = new SyncPlanner();
        assertEquals(0, s.add(Engine.LD, new int[0]));
        assertEquals(1, s.add(Engine.EX, new int[] {0}));
        assertEquals(bit(Engine.LD, Engine.EX), s.signalMask(0));
        assertEquals(bit(Engine.LD, Engine.EX), s.waitMask(1));
        assertEquals(0, s.signalMask(1));
        assertEquals(0, s.waitMask(0));
    }

    @Test
    void sameEngineDependenciesNeedNoSemaphore() {
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.LD, new int[0]);
        s.add(Engine.LD, new int[] {0});
        s.add(Engine.LD, new int[] {0, 1});
        for (int i = 0; i < 3; i++) {
            assertEquals(0, s.waitMask(i), "wait of " + i);
            assertEquals(0, s.signalMask(i), "signal of " + i);
        }
        assertEquals(2, s.lastOf(Engine.LD));
        assertEquals(-1, s.lastOf(Engine.EX));
    }

    @Test
    void waitImpliedByAnEarlierWaitOfTheSameEngineIsDropped() {
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.LD, new int[0]);            // 0
        s.add(Engine.EX, new int[] {0});         // 1 waits LD->EX
        s.add(Engine.EX, new int[] {0});         // 2 already knows 0 complete (1 waited for it)
        assertEquals(bit(Engine.LD, Engine.EX), s.waitMask(1));
        assertEquals(0, s.waitMask(2));
        assertEquals(bit(Engine.LD, Engine.EX), s.signalMask(0));
    }

    @Test
    void waitImpliedTransitivelyThroughAnotherEngineIsDropped() {
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.LD, new int[0]);            // 0: load
        s.add(Engine.EX, new int[] {0});         // 1: compute on the load
        s.add(Engine.PP, new int[] {0, 1});      // 2: needs both; waiting for 1 implies 0
        assertEquals(bit(Engine.EX, Engine.PP), s.waitMask(2));
        assertEquals(bit(Engine.LD, Engine.EX), s.signalMask(0), "0 signals EX only");
        assertEquals(bit(Engine.EX, Engine.PP), s.signalMask(1));
        s.add(Engine.ST, new int[] {2, 0});      // 3: 2 implies 0 (2 knew 1, which knew 0)
        assertEquals(bit(Engine.PP, Engine.ST), s.waitMask(3));
    }

    @Test
    void independentProducersAreBothWaitedFor() {
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.LD, new int[0]);            // 0
        s.add(Engine.PP, new int[0]);            // 1
        s.add(Engine.EX, new int[] {0, 1});      // 2
        assertEquals(bit(Engine.LD, Engine.EX) | bit(Engine.PP, Engine.EX), s.waitMask(2));
        assertEquals(bit(Engine.LD, Engine.EX), s.signalMask(0));
        assertEquals(bit(Engine.PP, Engine.EX), s.signalMask(1));
    }

    @Test
    void oneSignalServesOneWaitOnly() {
        // two EX instructions depend on two successive loads: two tokens on LD->EX, consumed in order
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.LD, new int[0]);            // 0
        s.add(Engine.LD, new int[0]);            // 1
        s.add(Engine.EX, new int[] {0});         // 2
        s.add(Engine.EX, new int[] {1});         // 3
        int sem = bit(Engine.LD, Engine.EX);
        assertEquals(sem, s.signalMask(0));
        assertEquals(sem, s.signalMask(1));
        assertEquals(sem, s.waitMask(2));
        assertEquals(sem, s.waitMask(3));
    }

    @Test
    void controlWaitsButNeverSignals() {
        SyncPlanner s = new SyncPlanner();
        s.add(Engine.ST, new int[0]);            // 0
        s.add(Engine.CTL, new int[] {0});        // 1: e.g. layer.end after the layer's last store
        assertEquals(bit(Engine.ST, Engine.CTL), s.waitMask(1));
        assertEquals(bit(Engine.ST, Engine.CTL), s.signalMask(0));
        assertEquals(0, s.signalMask(1));
    }

    @Test
    void randomDependencyGraphsPassTheOracle() {
        SplittableRandom rnd = new SplittableRandom(6);
        Engine[] data = {Engine.LD, Engine.EX, Engine.PP, Engine.ST};
        long waitsDropped = 0;
        long crossDeps = 0;
        for (int trial = 0; trial < 200; trial++) {
            int n = 10 + rnd.nextInt(60);
            SyncPlanner s = new SyncPlanner();
            List<Engine> eng = new ArrayList<>();
            List<int[]> deps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Engine e = rnd.nextInt(12) == 0 ? Engine.CTL : data[rnd.nextInt(data.length)];
                int k = i == 0 ? 0 : rnd.nextInt(Math.min(4, i) + 1);
                List<Integer> ds = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    int d = rnd.nextInt(i);
                    if (eng.get(d) != Engine.CTL) ds.add(d); // CTL never produces
                }
                int[] da = ds.stream().mapToInt(Integer::intValue).toArray();
                assertEquals(i, s.add(e, da));
                eng.add(e);
                deps.add(da);
                for (int d : da) if (eng.get(d) != e) crossDeps++;
            }
            waitsDropped += Oracle.check(s, eng, deps);
        }
        // the vector clocks do drop waits on these graphs (else the implied-wait rule would be untested)
        assertTrue(waitsDropped > 100, "cross-engine dependencies with no wait of their own: " + waitsDropped);
        assertTrue(crossDeps > 1000);
    }

    @Test
    void compiledProgramsRunSeriallyAndEndWithEverySemaphoreAtZero() {
        // the masks as encoded in real programs (tiled layers on tiny and v3u-like), counted in program order
        for (String preset : List.of("tiny", "v3u-like")) {
            for (dev.cnnip.onnx.proto.ModelProto m : List.of(CodegenModels.conv("conv3x3", 32, 32, 16, 16, 3, 1),
                    CodegenModels.conv("pointwise512", 512, 512, 2, 2, 1, 1), CodegenModels.conv("depthwise", 32, 32, 16, 16, 3, 32),
                    CodegenModels.maxPool("maxpool", 16, 64, 64), CodegenModels.add("add", 1, 32, 32, 32))) {
                dev.cnnip.program.Program p = dev.cnnip.compiler.Compiler.compile(m, m.getGraph().getName(),
                        dev.cnnip.compiler.CompileOptions.of(dev.cnnip.hw.HwConfig.preset(preset), dev.cnnip.program.Numerics.ORT));
                List<dev.cnnip.isa.Insn> code = dev.cnnip.isa.InsnCodec.decodeAll(p.code());
                int[] counter = new int[16];
                int waits = 0;
                for (int pc = 0; pc < code.size(); pc++) {
                    dev.cnnip.isa.Insn insn = code.get(pc);
                    for (int b = 0; b < 16; b++) {
                        if ((insn.waitMask() & (1 << b)) == 0) continue;
                        assertTrue(counter[b] > 0, m.getGraph().getName() + " on " + preset + ": pc " + pc + " waits on " + b + " at zero");
                        counter[b]--;
                        waits++;
                    }
                    for (int b = 0; b < 16; b++) if ((insn.signalMask() & (1 << b)) != 0) counter[b]++;
                }
                assertArrayEqualsZero(counter, m.getGraph().getName() + " on " + preset);
                assertTrue(waits > 0);
            }
        }
    }

    private static void assertArrayEqualsZero(int[] counters, String what) {
        for (int b = 0; b < counters.length; b++) assertEquals(0, counters[b], what + ": semaphore " + b + " at the end");
    }

    /** The independent check of one planned program. */
    private static final class Oracle {
        /** Checks the plan and returns how many cross-engine dependencies got no wait of their own. */
        static long check(SyncPlanner s, List<Engine> eng, List<int[]> deps) {
            int n = eng.size();
            // 1. serial run in program order: waits consume, signals (at completion) produce
            int[] counter = new int[16];
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < 16; b++) {
                    if ((s.waitMask(i) & (1 << b)) != 0) {
                        assertTrue(counter[b] > 0, "instruction " + i + " waits on semaphore " + b + " at zero in program order");
                        counter[b]--;
                    }
                }
                for (int b = 0; b < 16; b++) if ((s.signalMask(i) & (1 << b)) != 0) counter[b]++;
            }
            for (int b = 0; b < 16; b++) assertEquals(0, counter[b], "semaphore " + b + " at the end");
            // 2. every semaphore bit belongs to its engine pair, on both ends
            for (int i = 0; i < n; i++) {
                for (int b = 0; b < 16; b++) {
                    if ((s.waitMask(i) & (1 << b)) != 0) assertTrue(consumerOf(b) == eng.get(i), "wait " + b + " on " + eng.get(i));
                    if ((s.signalMask(i) & (1 << b)) != 0) assertTrue(producerOf(b) == eng.get(i), "signal " + b + " on " + eng.get(i));
                }
            }
            // 3. happens-before: program order per engine, k-th signal -> k-th wait per semaphore
            List<List<Integer>> signals = new ArrayList<>();
            for (int b = 0; b < 16; b++) signals.add(new ArrayList<>());
            for (int i = 0; i < n; i++) for (int b = 0; b < 16; b++) if ((s.signalMask(i) & (1 << b)) != 0) signals.get(b).add(i);
            int[] consumed = new int[16];
            int[] last = new int[Engine.values().length];
            java.util.Arrays.fill(last, -1);
            List<BitSet> hb = new ArrayList<>();
            long dropped = 0;
            for (int i = 0; i < n; i++) {
                List<Integer> waitedFor = new ArrayList<>();
                for (int b = 0; b < 16; b++) {
                    if ((s.waitMask(i) & (1 << b)) != 0) {
                        int src = signals.get(b).get(consumed[b]++);
                        assertTrue(src < i, "wait of " + i + " matched with the later signal of " + src);
                        waitedFor.add(src);
                    }
                }
                int prev = last[eng.get(i).ordinal()];
                // no wait is implied by the engine's past and the instruction's other waits
                for (int w : waitedFor) {
                    List<Integer> others = new ArrayList<>(waitedFor);
                    others.remove(Integer.valueOf(w));
                    if (prev >= 0) others.add(prev);
                    assertFalse(closure(hb, others).get(w), "instruction " + i + " waits for " + w + ", already implied");
                }
                List<Integer> preds = new ArrayList<>(waitedFor);
                if (prev >= 0) preds.add(prev);
                BitSet all = closure(hb, preds);
                for (int d : deps.get(i)) {
                    assertTrue(all.get(d), "instruction " + i + " (" + eng.get(i) + ") not ordered after its dependency " + d);
                    if (eng.get(d) != eng.get(i) && !waitedFor.contains(d)) dropped++;
                }
                hb.add(all);
                last[eng.get(i).ordinal()] = i;
            }
            return dropped;
        }

        private static BitSet closure(List<BitSet> hb, List<Integer> preds) {
            BitSet out = new BitSet();
            for (int p : preds) {
                out.set(p);
                out.or(hb.get(p));
            }
            return out;
        }

        private static Engine producerOf(int sem) {
            for (Engine p : Engine.values()) for (Engine c : Engine.values())
                if (p != Engine.CTL && p != c && SyncPlanner.semaphore(p, c) == sem) return p;
            throw new AssertionError(sem);
        }

        private static Engine consumerOf(int sem) {
            for (Engine p : Engine.values()) for (Engine c : Engine.values())
                if (p != Engine.CTL && p != c && SyncPlanner.semaphore(p, c) == sem) return c;
            throw new AssertionError(sem);
        }
    }
}
