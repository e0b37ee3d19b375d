package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-layer software pipeline: the instructions of convolutions that follow a layer streaming activations from
 * DRAM (the graph input's Quantize) move up into that layer's instructions, so that EX and PP work on the first
 * rows while LD still brings the later chunks. PP and EX are in-order queues: emitted after every chunk of the
 * streamed layer, the convolution's first requantization waits behind the last chunk (yunet: 40,867 cycles of
 * DRAM-bound input, then 8,006 cycles of PP-bound convolution).
 *
 * <p>The program builder lays the emission out as a flat list of {@link Entry entries} (layer markers and the
 * recorded register writes, instructions and tile marks, each with its layer, tile and note), exactly the order
 * it emitted before; {@link #reorder} moves the instructions of the chosen layers and {@link #emit} writes the
 * list. An instruction of a moved layer goes right after the last entry it conflicts with (an overlapping SRAM or
 * DRAM range written by either side), never before its own layer's earlier instructions and never before the
 * window's start; so every read still follows the write it needs and every write the reads and writes it must
 * not overtake, the same rule the {@link HazardTracker} turns into semaphores. Register state does not follow a
 * move: every instruction carries the values its engine's registers had in the original order and
 * {@link Emitter#restore} rewrites those that differ before it (nothing, where no instruction moved), so a
 * moved layer's own register writes are dropped.
 */
final class Interleave {
    private Interleave() {}

    /** Layers after a streaming host whose instructions may move into it (the host's consumer and its successors). */
    static final int MAX_CHAIN = 3;

    /** One element of the emission: a layer marker or one recorded op. */
    sealed interface Entry permits Marker, Step {
        int layer();
    }

    /** {@code layer.begin} ({@code begin}) or {@code layer.end} of {@code layer}, emitted with {@code tile}. */
    record Marker(boolean begin, int layer, int tile, String note) implements Entry {}

    /**
     * One recorded op of {@code layer} in the source-map context {@code (tile, note)}; for an instruction, its
     * engine's registers in the original order ({@code regs}, indexed by register id) and its footprint.
     */
    record Step(int layer, int tile, String note, Emitter.Op op, int[] regs, List<MemAccess> footprint) implements Entry {
        boolean insn() {
            return op instanceof Emitter.InsnOp;
        }

        boolean conflicts(Step o) {
            for (MemAccess a : footprint) {
                for (MemAccess b : o.footprint) {
                    if (a.space() == b.space() && (a.write() || b.write()) && a.overlaps(b)) return true;
                }
            }
            return false;
        }
    }

    /**
     * Builds the entry list in emission order with each op's source-map context: a layer's own ops keep the tile
     * they set, another layer's ops (a hosted prefix) start in the current tile and leave it unchanged.
     */
    static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final int[][] regs = new int[Engine.values().length][];
        private int layer = -1;
        private int tile = -1;

        Builder() {
            for (Engine e : Engine.values()) {
                regs[e.ordinal()] = new int[Reg.maxId(e) + 1];
                for (Reg r : Reg.of(e)) regs[e.ordinal()][r.id()] = r.reset();
            }
        }

        void begin(int j, String note) {
            layer = j;
            tile = 0;
            entries.add(new Marker(true, j, tile, note));
        }

        void end(int j, String note) {
            entries.add(new Marker(false, j, tile, note));
        }

        void replay(int j, String note, List<Emitter.Op> ops) {
            int t = tile;
            for (Emitter.Op op : ops) {
                if (op instanceof Emitter.TileOp to) {
                    t = to.tile();
                    entries.add(new Step(j, t, note, op, null, List.of()));
                } else if (op instanceof Emitter.SetOp so) {
                    int[] r = regs[so.engine().ordinal()];
                    for (RegWrites.Write w : so.writes().writes()) r[w.reg().id()] = w.value();
                    entries.add(new Step(j, t, note, op, null, List.of()));
                } else if (op instanceof Emitter.InsnOp io) {
                    Insn insn = io.insn();
                    int[] r = regs[insn.engine().ordinal()].clone();
                    entries.add(new Step(j, t, note, op, r, insn.op().footprint(insn, reg -> r[reg.id()]).accesses()));
                }
            }
            if (j == layer) tile = t;
        }

        List<Entry> entries() {
            return entries;
        }
    }

    /**
     * Moves the instructions of each layer {@code k} with {@code mover[k]} that follows a layer {@code h} with
     * {@code host[h]} (at most {@link #MAX_CHAIN} layers later, every layer between them moved as well) into the
     * window from {@code h}'s {@code layer.begin} on. Returns the new list; the layers moved are marked in
     * {@code moved}.
     */
    static List<Entry> reorder(List<Entry> entries, boolean[] host, boolean[] mover, boolean[] moved) {
        List<Entry> out = new ArrayList<>(entries);
        int n = host.length;
        int chainHost = -1;
        for (int k = 1; k < n; k++) {
            if (host[k - 1]) chainHost = k - 1;
            else if (!moved[k - 1]) chainHost = -1;
            if (chainHost < 0 || !mover[k] || k - chainHost > MAX_CHAIN) continue;
            int windowStart = indexOfMarker(out, true, chainHost);
            int endK = indexOfMarker(out, false, k);
            int beginK = indexOfMarker(out, true, k);
            if (windowStart < 0 || endK < 0 || beginK < 0) continue;
            // k's own ops in its block: instructions move, register writes and tile marks are dropped (the
            // instructions restore their registers and carry their tile)
            List<Step> mine = new ArrayList<>();
            for (int i = endK - 1; i > beginK; i--) {
                if (out.get(i) instanceof Step s && s.layer() == k) {
                    out.remove(i);
                    if (s.insn()) mine.add(0, s);
                }
            }
            int lo = windowStart + 1;
            for (Step s : mine) {
                int limit = indexOfMarker(out, false, k);
                int at = lo;
                for (int i = limit - 1; i >= lo; i--) {
                    if (out.get(i) instanceof Step o && o.insn() && s.conflicts(o)) {
                        at = i + 1;
                        break;
                    }
                }
                out.add(at, s);
                lo = at + 1;
            }
            moved[k] = true;
        }
        return out;
    }

    private static int indexOfMarker(List<Entry> entries, boolean begin, int layer) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof Marker m && m.begin() == begin && m.layer() == layer) return i;
        }
        return -1;
    }

    /** Emits {@code entries} in order. */
    static void emit(Emitter em, List<Entry> entries) {
        for (Entry e : entries) {
            if (e instanceof Marker m) {
                em.context(m.layer(), m.tile(), m.note());
                if (m.begin()) em.beginLayer(m.layer());
                else em.endLayer(m.layer());
            } else if (e instanceof Step s) {
                em.context(s.layer(), s.tile(), s.note());
                if (s.op() instanceof Emitter.SetOp so) {
                    em.set(so.engine(), so.writes());
                } else if (s.op() instanceof Emitter.InsnOp io) {
                    em.restore(io.insn().engine(), s.regs());
                    em.emit(io.insn());
                }
            }
        }
    }
}
