package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LoadMerge}: a layer's leading constant loads merged into one transfer, addresses worked out by hand. */
class LoadMergeTest {
    /** The ops {@link Dma#load} records for a plain transfer of {@code bytes}. */
    private static List<Emitter.Op> load(long dram, long sram, long bytes) {
        Emitter em = new Emitter();
        return em.record(e -> Dma.load(e, dram, sram, bytes));
    }

    private static List<Emitter.Op> concat(List<List<Emitter.Op>> parts) {
        List<Emitter.Op> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    private static long[] transfer(Emitter.Op set, Emitter.Op ld) {
        long esz = ((Emitter.SetOp) set).writes().writes().stream().filter(w -> w.reg() == Reg.ESZ).findFirst().orElseThrow().value();
        Insn insn = ((Emitter.InsnOp) ld).insn();
        return new long[] {insn.get(F.DRAM), insn.get(F.SRAM), esz};
    }

    @Test
    void paramsAfterWeightsBecomeOneLoad() {
        // the first convolution of yunet: params 192 bytes at DRAM 0x1200 -> SRAM 0x96200, weights 432 bytes at
        // 0x1040 -> 0x96040. Weights end at 0x11f0 on both sides, 16 bytes before the params: one load of
        // 0x12c0 - 0x1040 = 640 bytes from 0x1040 to 0x96040.
        List<Emitter.Op> ops = concat(List.of(load(0x1200, 0x96200, 192), load(0x1040, 0x96040, 432),
                List.of(new Emitter.InsnOp(Insn.of(Opcode.NOP).build()))));
        List<Emitter.Op> out = LoadMerge.merge(ops, 4);
        assertEquals(3, out.size());
        assertEquals(List.of(0x1040L, 0x96040L, 640L), List.of(transfer(out.get(0), out.get(1))[0], transfer(out.get(0), out.get(1))[1],
                transfer(out.get(0), out.get(1))[2]));
        assertSame(ops.get(4), out.get(2), "the ops after the prefix stay");
    }

    @Test
    void notWhenTheGapCouldHoldABufferOrTheOffsetsDiffer() {
        // 64 bytes between them: a 64-byte aligned buffer could start there
        List<Emitter.Op> gap = concat(List.of(load(0x1000, 0x0, 64), load(0x1080, 0x80, 64)));
        assertSame(gap, LoadMerge.merge(gap, 4));
        // adjacent in DRAM, not in SRAM
        List<Emitter.Op> apart = concat(List.of(load(0x1000, 0x0, 64), load(0x1040, 0x100, 64)));
        assertSame(apart, LoadMerge.merge(apart, 4));
        // a strided load in the prefix: left alone
        Emitter em = new Emitter();
        List<Emitter.Op> strided = concat(List.of(load(0x1000, 0x0, 64),
                em.record(e -> Dma.load(e, 0x1040, 0x40, 16, new Dma.Loop(4, 32, 16)))));
        assertSame(strided, LoadMerge.merge(strided, strided.size()));
        // three in a row merge into one: 0x1000..0x1030, 0x1040..0x1080, 0x1080..0x1100
        List<Emitter.Op> three = concat(List.of(load(0x1000, 0x200, 48), load(0x1040, 0x240, 64), load(0x1080, 0x280, 128)));
        List<Emitter.Op> out = LoadMerge.merge(three, 6);
        assertEquals(2, out.size());
        long[] t = transfer(out.get(0), out.get(1));
        assertEquals(List.of(0x1000L, 0x200L, 0x100L), List.of(t[0], t[1], t[2]));
        assertEquals(Engine.LD, ((Emitter.SetOp) out.get(0)).engine());
    }
}
