package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Opcode;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight prefetch: where each layer's leading constant loads (weights, biases, requantization and lookup
 * tables of its first block) go in the program, so that LD, whose queue is in order, loads them while an
 * earlier layer computes.
 *
 * <p>A layer's <em>prefix</em> is its longest run of leading LD register writes and {@code ld}s whose DRAM
 * source lies among the program's constants (below {@code constEnd}: nothing writes there), ending at its
 * last such {@code ld}. The prefix of layer k is emitted inside the instructions of its <em>host</em>
 * layer {@code j = k − d}, {@code d ≤ MAX_DISTANCE} (only {@code d = 1} for a host that streams activations from
 * DRAM), right after j's second load of an activation (or at j's
 * start when j loads at most one: its own prefix already went to an earlier layer, so LD serves j's first
 * input tiles before reaching further ahead). Moving the loads earlier in program order is legal only when
 * the SRAM they write is touched by no instruction they move past: layer k's buffers must be disjoint from
 * the buffers and the resident tensors of every layer from j to k − 1. The largest legal distance is taken;
 * hosts never decrease with k, so the loads keep their layer order in LD's queue. The hazard tracker then
 * derives the semaphores from the footprints as for any instruction (a load into SRAM an earlier layer
 * used waits for that layer's last access).
 */
final class Prefetch {
    private Prefetch() {}

    /**
     * How far ahead (in layers) a prefix may move: far enough that LD, idle while the middle of a network runs
     * from SRAM, loads the large weights of its last layers early (mobilenetv2: 2.03x the ideal bound at 3,
     * 1.96x at 8).
     */
    static final int MAX_DISTANCE = 8;

    /** An SRAM byte range [lo, hi). */
    record Range(long lo, long hi) {
        boolean overlaps(Range o) {
            return lo < o.hi && o.lo < hi;
        }
    }

    /** Number of leading ops of {@code ops} forming the layer's prefix (0: none). */
    static int prefixLength(List<Emitter.Op> ops, long constEnd) {
        int len = 0;
        for (int i = 0; i < ops.size(); i++) {
            Emitter.Op op = ops.get(i);
            if (op instanceof Emitter.TileOp) continue;
            if (op instanceof Emitter.SetOp so && so.engine() == Engine.LD) continue;
            if (op instanceof Emitter.InsnOp io && io.insn().op() == Opcode.LD && io.insn().get(F.DRAM) < constEnd) {
                len = i + 1;
                continue;
            }
            break;
        }
        return len;
    }

    /** Whether {@code ops} (after the prefix) load anything: activations streamed from DRAM. */
    static boolean streams(List<Emitter.Op> ops, int prefixLength) {
        for (int i = prefixLength; i < ops.size(); i++) {
            if (ops.get(i) instanceof Emitter.InsnOp io && io.insn().op() == Opcode.LD) return true;
        }
        return false;
    }

    /** Where in a host layer's own ops the prefixes it hosts go: after its second activation load. */
    static int insertionPoint(List<Emitter.Op> ops) {
        int loads = 0;
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Emitter.InsnOp io && io.insn().op() == Opcode.LD && ++loads == 2) return i + 1;
        }
        return loads == 1 ? firstLoadEnd(ops) : 0;
    }

    private static int firstLoadEnd(List<Emitter.Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Emitter.InsnOp io && io.insn().op() == Opcode.LD) return i + 1;
        }
        return 0;
    }

    /**
     * The host layer of each layer's prefix ({@code host[k] = k} when it stays in place).
     *
     * @param arenas   each layer's buffers
     * @param resident per layer, the SRAM regions of the resident tensors it reads or writes
     * @param hasPrefix whether layer k has a prefix to move
     * @param streams  whether layer j loads activations from DRAM (then it hosts only layer j + 1's prefix)
     */
    static int[] hosts(List<Range> arenas, List<List<Range>> resident, boolean[] hasPrefix, boolean[] streams) {
        int n = arenas.size();
        int[] host = new int[n];
        int floor = 0;
        for (int k = 0; k < n; k++) {
            host[k] = k;
            if (!hasPrefix[k]) continue;
            Range a = arenas.get(k);
            int best = k;
            for (int j = k - 1; j >= Math.max(floor, k - MAX_DISTANCE); j--) {
                // A layer that streams activations from DRAM is on the critical path through LD: it hosts the
                // next layer's prefix only, so that prefixes of layers far ahead do not delay its input tiles.
                if (j < k - 1 && streams[j]) break;
                boolean ok = !a.overlaps(arenas.get(j));
                for (Range r : resident.get(j)) ok &= !a.overlaps(r);
                if (!ok) break;
                best = j;
            }
            host[k] = best;
            floor = best;
        }
        return host;
    }

    /**
     * Base address of a layer's buffers of {@code footprint} bytes below {@code capacity}: of after the previous
     * layer's buffers ({@code sramEnd}), at the top of the free SRAM, or at 0, the first that is clear of the
     * buffers and resident tensors of the most previous layers in a row (up to {@link #MAX_DISTANCE}), so that
     * its prefix can move that far ahead.
     */
    static long place(List<Range> arenas, List<List<Range>> resident, long sramEnd, long footprint, long capacity) {
        long top = (capacity - footprint) / SramArena.ALIGN * SramArena.ALIGN;
        long[] candidates = {sramEnd + footprint <= capacity ? sramEnd : -1, top, 0};
        long best = sramEnd + footprint <= capacity ? sramEnd : 0;
        int bestClear = -1;
        for (long b : candidates) {
            if (b < 0) continue;
            Range a = new Range(b, b + footprint);
            int clear = 0;
            for (int j = arenas.size() - 1; j >= Math.max(0, arenas.size() - MAX_DISTANCE); j--) {
                boolean ok = !a.overlaps(arenas.get(j));
                for (Range r : resident.get(j)) ok &= !a.overlaps(r);
                if (!ok) break;
                clear++;
            }
            if (clear > bestClear) {
                bestClear = clear;
                best = b;
            }
        }
        return best;
    }

    /** {@code ops} with the ops at [from, to) removed. */
    static List<Emitter.Op> without(List<Emitter.Op> ops, int from, int to) {
        List<Emitter.Op> out = new ArrayList<>(ops.subList(0, from));
        out.addAll(ops.subList(to, ops.size()));
        return out;
    }
}
