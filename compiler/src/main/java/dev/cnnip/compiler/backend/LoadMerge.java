package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges a layer's leading constant loads (its weights, biases, requantization and lookup tables, placed one after
 * the other in DRAM and in the layer's SRAM buffers) into fewer {@code ld}s. LD runs one transfer at a time and
 * pays {@code dma.setup + dram.latency} (132 cycles on v3u-like) for each, so a small layer's two loads of a few
 * hundred bytes cost 270 LD cycles: yunet's 19 head convolutions wait for them in turn.
 *
 * <p>Two plain (one-burst) loads merge when the second's DRAM and SRAM addresses are the same distance from the
 * first's, and the bytes between them (the 64-byte alignment of the two allocations) number fewer than
 * {@link SramArena#ALIGN}: no buffer can start in that gap (every allocation starts at a multiple of
 * {@link SramArena#ALIGN}), so writing it disturbs nothing, and the DRAM bytes read there are padding between two
 * constants. The merged load's footprint (the ISA table's rule over {@code esz}) covers both, so the hazards and
 * semaphores derived from it are those of the two loads.
 */
final class LoadMerge {
    private LoadMerge() {}

    /** A plain load: {@code bytes} from {@code dram} to {@code sram}. */
    private record Load(long dram, long sram, long bytes) {}

    /**
     * {@code ops} with the plain constant loads among its first {@code prefixLength} ops merged where possible (the
     * prefix keeps only LD register writes and loads, {@link Prefetch#prefixLength}); the rest unchanged.
     */
    static List<Emitter.Op> merge(List<Emitter.Op> ops, int prefixLength) {
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < prefixLength; i++) {
            Emitter.Op op = ops.get(i);
            if (op instanceof Emitter.TileOp) continue;
            if (op instanceof Emitter.SetOp) continue;
            Load l = plain(ops, i);
            if (l == null) return ops; // a strided constant load: leave the prefix as it is
            loads.add(l);
        }
        if (loads.size() < 2) return ops;
        List<Load> merged = new ArrayList<>();
        for (Load l : loads) {
            Load last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            Load m = last == null ? null : join(last, l);
            if (m != null) merged.set(merged.size() - 1, m);
            else merged.add(l);
        }
        if (merged.size() == loads.size()) return ops;
        List<Emitter.Op> out = new ArrayList<>();
        for (int i = 0; i < prefixLength; i++) if (ops.get(i) instanceof Emitter.TileOp t) out.add(t);
        for (Load l : merged) {
            out.add(new Emitter.SetOp(Engine.LD, oneBurst(l.bytes())));
            out.add(new Emitter.InsnOp(Insn.of(Opcode.LD).with(F.DRAM, l.dram()).with(F.SRAM, l.sram()).build()));
        }
        out.addAll(ops.subList(prefixLength, ops.size()));
        return out;
    }

    /** The load at {@code ops[i]} when the LD registers written since the previous load make it one burst. */
    private static Load plain(List<Emitter.Op> ops, int i) {
        if (!(ops.get(i) instanceof Emitter.InsnOp io) || io.insn().op() != Opcode.LD) return null;
        int j = i - 1;
        while (j >= 0 && ops.get(j) instanceof Emitter.TileOp) j--;
        if (j < 0 || !(ops.get(j) instanceof Emitter.SetOp so) || so.engine() != Engine.LD) return null;
        long esz = -1;
        for (RegWrites.Write w : so.writes().writes()) {
            Reg r = w.reg();
            if (r == Reg.ESZ) esz = w.value();
            else if ((r == Reg.N0 || r == Reg.N1 || r == Reg.N2) && w.value() != 1) return null;
        }
        if (!so.writes().equals(oneBurst(esz))) return null;
        return new Load(io.insn().get(F.DRAM), io.insn().get(F.SRAM), esz);
    }

    /** One load covering {@code a} and {@code b} (in either order), or null. */
    static Load join(Load a, Load b) {
        Load lo = a.dram() <= b.dram() ? a : b;
        Load hi = lo == a ? b : a;
        long gap = hi.dram() - (lo.dram() + lo.bytes());
        if (gap < 0 || gap >= SramArena.ALIGN) return null;
        if (hi.sram() - lo.sram() != hi.dram() - lo.dram()) return null;
        long bytes = hi.dram() + hi.bytes() - lo.dram();
        if (bytes > Integer.MAX_VALUE) return null;
        return new Load(lo.dram(), lo.sram(), bytes);
    }

    /** The register writes {@link Dma} makes for a one-burst transfer of {@code bytes}. */
    private static RegWrites oneBurst(long bytes) {
        return RegWrites.of(Reg.ESZ, (int) bytes).and(Reg.N0, 1).and(Reg.N1, 1).and(Reg.N2, 1).and(Reg.DS0, 0)
                .and(Reg.DS1, 0).and(Reg.DS2, 0).and(Reg.SS0, 0).and(Reg.SS1, 0).and(Reg.SS2, 0);
    }
}
