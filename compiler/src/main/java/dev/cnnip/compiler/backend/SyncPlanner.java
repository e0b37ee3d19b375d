package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns dependencies between instructions into semaphore waits and signals.
 *
 * <p>Each ordered pair of engines (producer P, consumer C) owns one counting semaphore, so its tokens
 * are produced in P's order and consumed in C's order. When instruction c of engine C depends on
 * instruction p of engine P, and C does not already know p complete, p signals sem(P,C) and c waits on
 * it. Induction shows the k-th wait consumes exactly the token of the instruction it depends on: every
 * earlier signal on sem(P,C) belongs to an earlier P instruction that an earlier wait consumed. Known
 * completion is tracked with vector clocks (per engine: the latest instruction known complete), which
 * drops waits implied transitively. Every signal has its wait, so the program ends with all semaphores
 * at zero, and program order is a valid serial schedule.
 */
final class SyncPlanner {
    private static final int ENGINES = Engine.values().length;

    private final List<Engine> engineOf = new ArrayList<>();
    private final List<int[]> clockOf = new ArrayList<>();
    private final List<int[]> masks = new ArrayList<>(); // {wait, signal}
    private final int[][] engineClock = new int[ENGINES][ENGINES];

    SyncPlanner() {
        for (int[] c : engineClock) Arrays.fill(c, -1);
    }

    /** Semaphore of the pair (producer, consumer); CTL never produces. */
    static int semaphore(Engine producer, Engine consumer) {
        if (producer == Engine.CTL || producer == consumer) {
            throw new IllegalArgumentException("no semaphore from " + producer + " to " + consumer);
        }
        int p = producer.ordinal() - 1; // LD, EX, PP, ST -> 0..3
        int c = consumer == Engine.CTL ? 3 : consumer.ordinal() - 1;
        if (consumer != Engine.CTL && consumer.ordinal() > producer.ordinal()) c--;
        return p * 4 + c;
    }

    /**
     * Adds instruction number {@link #size()} on engine {@code e} that must start after every
     * instruction in {@code deps} has completed; returns its index.
     */
    int add(Engine e, int[] deps) {
        int idx = engineOf.size();
        int[] clock = engineClock[e.ordinal()].clone();
        int[] maxDep = new int[ENGINES];
        Arrays.fill(maxDep, -1);
        for (int d : deps) {
            Engine p = engineOf.get(d);
            if (p != e) maxDep[p.ordinal()] = Math.max(maxDep[p.ordinal()], d);
        }
        int wait = 0;
        // Latest first: a later dependency's clock may already cover an earlier one.
        Integer[] order = new Integer[ENGINES];
        for (int i = 0; i < ENGINES; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(maxDep[b], maxDep[a]));
        for (int pi : order) {
            int d = maxDep[pi];
            if (d < 0 || clock[pi] >= d) continue;
            Engine p = Engine.values()[pi];
            int s = semaphore(p, e);
            wait |= 1 << s;
            masks.get(d)[1] |= 1 << s;
            int[] dc = clockOf.get(d);
            for (int k = 0; k < ENGINES; k++) clock[k] = Math.max(clock[k], dc[k]);
            clock[pi] = Math.max(clock[pi], d);
        }
        engineOf.add(e);
        clockOf.add(clock.clone());
        masks.add(new int[] {wait, 0});
        clock[e.ordinal()] = idx;
        engineClock[e.ordinal()] = clock;
        return idx;
    }

    int size() {
        return engineOf.size();
    }

    int waitMask(int idx) {
        return masks.get(idx)[0];
    }

    int signalMask(int idx) {
        return masks.get(idx)[1];
    }

    /** The last instruction emitted on engine {@code e}, or -1. */
    int lastOf(Engine e) {
        return engineClock[e.ordinal()][e.ordinal()];
    }
}
