package dev.cnnip.compiler.backend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the SRAM-resident activations and their SRAM addresses, and narrows each layer's SRAM to what lies
 * below the resident tensors live during it.
 *
 * <p>A tensor is a candidate when a convolution, a pooling or an element-wise (streamed) layer writes it (batch
 * 1, not a product of two activations) and at least one later layer can read it in place: a convolution or a
 * pooling reading it (or a reshape view of it) as its input, or an element-wise layer reading it as a streamed
 * operand. It lives from
 * its producer to its last such reader (its SRAM is free for later layers after that), at the highest SRAM
 * range not taken by a resident tensor whose lifetime overlaps; its region has {@code ic} bytes of slack for a
 * convolution reader, which reads whole pixels from a channel offset. It is kept when every layer of its
 * lifetime still lowers in the SRAM left below the resident tensors and the convolutions' estimated DRAM
 * traffic ({@link ConvPlan#cost}) grows by less than the bytes residency saves. Candidates are taken greedily
 * in producer order.
 *
 * <p>It lives in SRAM only (never written to DRAM) unless write-through is asked for, it is a graph output, a
 * layer that cannot read SRAM reads it (pooling, concatenation, …), or a view of it exists (a view's symbol
 * needs DRAM bytes).
 */
final class ResidencyPlanner {
    private ResidencyPlanner() {}

    private record Placed(TensorRef t, int from, int to, long lo, long hi) {}

    /**
     * Plans residency for {@code layers} on an SRAM of {@code sramBytes}; lowers {@code cap[i]} (initially the
     * SRAM size) to the lowest resident address live during layer i.
     */
    static Residency plan(List<LayerOp> layers, long sramBytes, long[] cap, List<TensorRef> graphOutputs,
                          boolean keepInDram, Iterable<TensorRef> allTensors) {
        Residency res = new Residency();
        // a reshape view that is a graph output needs the base's bytes in DRAM; other views are read from the
        // resident copy and their symbols point at it (SRAM_ACTIVATION), like the base's
        Map<TensorRef, Boolean> viewIsOutput = new IdentityHashMap<>();
        for (TensorRef t : allTensors) if (t.aliasOf() != null && graphOutputs.contains(t)) viewIsOutput.put(t.aliasOf(), true);
        List<Placed> placed = new ArrayList<>();
        for (int p = 0; p < layers.size(); p++) {
            LayerOp producer = layers.get(p);
            for (TensorRef t : producer.outputs()) {
                if (t.aliasOf() != null || !writesResident(producer, t)) continue;
                int last = -1;
                boolean allCapable = true;
                long slack = 0;
                for (int r = p + 1; r < layers.size(); r++) {
                    LayerOp reader = layers.get(r);
                    boolean reads = false;
                    for (TensorRef in : reader.inputs()) reads |= Residency.root(in) == t;
                    if (!reads) continue;
                    if (readsResident(reader, t)) {
                        last = r;
                        if (reader instanceof ConvLayerOp c) slack = Math.max(slack, (long) c.spec().ic() * c.spec().xt().bytes());
                    } else {
                        allCapable = false;
                    }
                }
                if (last < 0) continue;
                boolean onlySram = !keepInDram && allCapable && !graphOutputs.contains(t) && !viewIsOutput.containsKey(t);
                long bytes = SramArena.align(t.bytes() + slack);
                long lo = highestFree(placed, p, last, bytes, sramBytes);
                if (lo < 0) continue;
                double before = 0;
                for (int k = p; k <= last; k++) before += cost(layers.get(k), cap[k], res);
                res.put(t, lo, bytes, onlySram);
                double after = 0;
                boolean fits = true;
                for (int k = p; k <= last && fits; k++) {
                    double c = cost(layers.get(k), Math.min(cap[k], lo), res);
                    if (c < 0) fits = false;
                    after += c;
                }
                int reads = 0;
                for (int r = p + 1; r <= last; r++) {
                    for (TensorRef in : layers.get(r).inputs()) if (Residency.root(in) == t && readsResident(layers.get(r), t)) reads++;
                }
                double saved = (double) t.bytes() * (reads + (onlySram ? 1 : 0));
                if (!fits || after - before >= saved) {
                    res.remove(t);
                    continue;
                }
                placed.add(new Placed(t, p, last, lo, lo + bytes));
                for (int k = p; k <= last; k++) cap[k] = Math.min(cap[k], lo);
            }
        }
        return res;
    }

    /** The highest 64-byte aligned start of {@code bytes} free of every resident tensor live in [from, to], or −1. */
    private static long highestFree(List<Placed> placed, int from, int to, long bytes, long sramBytes) {
        List<Placed> live = new ArrayList<>();
        for (Placed q : placed) if (q.from() <= to && q.to() >= from) live.add(q);
        List<Long> his = new ArrayList<>();
        his.add(sramBytes / SramArena.ALIGN * SramArena.ALIGN);
        for (Placed q : live) his.add(q.lo());
        his.sort((a, b) -> Long.compare(b, a));
        for (long hi : his) {
            long lo = hi - bytes;
            if (lo < 0) continue;
            boolean free = true;
            for (Placed q : live) if (lo < q.hi() && hi > q.lo()) free = false;
            if (free) return lo;
        }
        return -1;
    }

    /**
     * The layer's estimated DRAM traffic lowered in {@code cap} bytes with {@code res} (0 for layers without an
     * estimate), or −1 when it does not lower.
     */
    private static double cost(LayerOp op, long cap, Residency res) {
        try {
            op.lower(new SramArena(cap, 0), cap, res);
        } catch (BackendException | IllegalStateException e) {
            return -1;
        }
        if (op instanceof ConvLayerOp c) {
            ConvSpec s = c.spec();
            ConvPlan plan = ConvPlan.choose(s, cap, res.address(s.x()) >= 0, res.address(s.y()) >= 0);
            return plan == null ? -1 : ConvPlan.cost(s, plan.toc(), plan.tic(), plan.toh(), plan.tow(), res.address(s.x()) >= 0);
        }
        return 0;
    }

    /** Whether {@code op} can write its output {@code t} into a resident copy. */
    static boolean writesResident(LayerOp op, TensorRef t) {
        if (op instanceof ConvLayerOp c) {
            return c.spec().y() == t && c.spec().n() == 1 && !c.spec().dynamicWeights();
        }
        if (op instanceof PoolLayerOp p) return p.spec().y() == t && p.spec().n() == 1;
        return op instanceof StreamLayerOp s && s.spec().y() == t;
    }

    /** Whether {@code op} reads every one of its uses of {@code t} (or of a view of it) from a resident copy. */
    static boolean readsResident(LayerOp op, TensorRef t) {
        if (op instanceof ConvLayerOp c) {
            ConvSpec s = c.spec();
            return Residency.root(s.x()) == t && s.n() == 1 && !s.dynamicWeights();
        }
        if (op instanceof PoolLayerOp p) return Residency.root(p.spec().x()) == t && p.spec().n() == 1;
        if (op instanceof ResizeLayerOp r) return Residency.root(r.x()) == t && r.n() == 1;
        if (op instanceof StreamLayerOp s) {
            StreamSpec sp = s.spec();
            boolean aOk = Residency.root(sp.a()) == t;
            boolean bUses = sp.b() != null && Residency.root(sp.b()) == t;
            if (bUses && sp.bScalar()) return false;
            return aOk || bUses;
        }
        return false;
    }
}
