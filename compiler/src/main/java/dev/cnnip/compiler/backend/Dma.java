package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits one strided DMA (LD or ST): up to three loops over elements of {@code esz} bytes, each loop with
 * a count, a DRAM stride and an SRAM stride (bytes). Loops that are contiguous on both sides are
 * folded into the element, so a plain copy is a single burst. The emitter derives the ranges it
 * touches from the DMA registers (the ISA table's footprint rule for {@code ld}/{@code st}).
 */
final class Dma {
    /** One loop level, innermost first. */
    record Loop(int count, long dramStride, long sramStride) {}

    private Dma() {}

    static int load(Emitter em, long dram, long sram, long esz, Loop... loops) {
        return emit(em, Engine.LD, dram, sram, esz, loops);
    }

    static int store(Emitter em, long sram, long dram, long esz, Loop... loops) {
        return emit(em, Engine.ST, dram, sram, esz, loops);
    }

    private static int emit(Emitter em, Engine e, long dram, long sram, long esz, Loop... loops) {
        List<Loop> ls = new ArrayList<>();
        long el = esz;
        for (Loop l : loops) if (l.count() != 1) ls.add(l);
        // fold leading loops that continue the element contiguously on both sides
        while (!ls.isEmpty() && ls.get(0).dramStride() == el && ls.get(0).sramStride() == el) {
            el *= ls.get(0).count();
            ls.remove(0);
        }
        if (ls.size() > 3) throw new IllegalStateException("DMA needs " + ls.size() + " loops, the engines have 3");
        if (el > Integer.MAX_VALUE) throw new IllegalStateException("DMA element of " + el + " bytes");
        int[] n = {1, 1, 1};
        long[] ds = {0, 0, 0};
        long[] ss = {0, 0, 0};
        for (int i = 0; i < ls.size(); i++) {
            n[i] = ls.get(i).count();
            ds[i] = ls.get(i).dramStride();
            ss[i] = ls.get(i).sramStride();
        }
        em.set(e, RegWrites.of(Reg.ESZ, (int) el).and(Reg.N0, n[0]).and(Reg.N1, n[1])
                .and(Reg.N2, n[2]).and(Reg.DS0, (int) ds[0]).and(Reg.DS1, (int) ds[1])
                .and(Reg.DS2, (int) ds[2]).and(Reg.SS0, (int) ss[0]).and(Reg.SS1, (int) ss[1])
                .and(Reg.SS2, (int) ss[2]));
        // What the transfer touches (its span on each side) comes from the ISA table's footprint rule.
        return em.emit(Insn.of(e == Engine.LD ? Opcode.LD : Opcode.ST).with(F.DRAM, dram).with(F.SRAM, sram).build());
    }
}
