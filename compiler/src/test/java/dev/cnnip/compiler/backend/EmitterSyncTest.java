package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hazards and semaphores end to end in the emitter: DMA transfers whose SRAM and DRAM ranges are known by
 * hand, the masks the emitted {@code ld}/{@code st} instructions carry (their ranges come from the
 * instructions themselves, whatever derives them).
 */
class EmitterSyncTest {
    private static int bit(Engine p, Engine c) {
        return 1 << SyncPlanner.semaphore(p, c);
    }

    @Test
    void dmaHazardsBecomeSemaphoresOnlyAcrossEngines() {
        Emitter em = new Emitter();
        Dma.load(em, 0x1000, 0, 64);          // LD a: DRAM [0x1000,+64) -> SRAM [0,64)
        Dma.load(em, 0x2000, 0, 64);          // LD b: same SRAM bytes (WAW on LD's own a: in order, no semaphore)
        Dma.store(em, 0, 0x3000, 64);         // ST c: reads SRAM [0,64): RAW on b -> waits LD->ST
        Dma.store(em, 64, 0x3040, 64);        // ST d: reads SRAM [64,128), never written: nothing to wait for
        Dma.load(em, 0x3000, 128, 64);        // LD e: reads DRAM [0x3000,+64) written by c -> waits ST->LD
        Dma.load(em, 0x3040, 0, 64);          // LD f: rewrites SRAM [0,64) read by c (WAR) and reads d's DRAM:
                                              //        waiting for d (ST, after c) covers both
        List<Insn> code = em.finish();
        List<Insn> dma = code.stream().filter(i -> i.op() == Opcode.LD || i.op() == Opcode.ST).toList();
        assertEquals(6, dma.size());
        int ldSt = bit(Engine.LD, Engine.ST);
        int stLd = bit(Engine.ST, Engine.LD);
        int[] waits = {0, 0, ldSt, 0, stLd, stLd};
        int[] signals = {0, ldSt, stLd, stLd, 0, 0};
        for (int i = 0; i < 6; i++) {
            assertEquals(waits[i], dma.get(i).waitMask(), "wait of transfer " + (char) ('a' + i));
            assertEquals(signals[i], dma.get(i).signalMask(), "signal of transfer " + (char) ('a' + i));
        }
        // the register writes sit in the same engine queue as their transfer: never synchronised
        for (Insn i : code) {
            if (i.op() == Opcode.LD_SET || i.op() == Opcode.ST_SET) {
                assertEquals(0, i.waitMask() | i.signalMask(), i.toString());
            }
        }
    }

    @Test
    void restoreRewritesOnlyTheRegistersThatDiffer() {
        // LD's registers after a 64-byte load, then another layer's 4 x 16-byte strided load; restoring the
        // first snapshot must write esz back to 64 and n0, ds0, ss0 back to 1, 0, 0 (three set instructions of
        // two registers at most), and restoring it again nothing
        Emitter em = new Emitter();
        Dma.load(em, 0x1000, 0, 64);
        int[] snapshot = new int[dev.cnnip.isa.Reg.maxId(Engine.LD) + 1];
        for (dev.cnnip.isa.Reg r : dev.cnnip.isa.Reg.of(Engine.LD)) snapshot[r.id()] = r.reset();
        snapshot[dev.cnnip.isa.Reg.ESZ.id()] = 64;
        Dma.load(em, 0x2000, 64, 16, new Dma.Loop(4, 32, 16));
        int before = em.size();
        em.restore(Engine.LD, snapshot);
        assertEquals(2, em.size() - before, "esz, n0, ds0, ss0: two set instructions");
        em.restore(Engine.LD, snapshot);
        assertEquals(2, em.size() - before, "nothing left to restore");
        List<Insn> code = em.finish();
        Insn a = code.get(before);
        Insn b = code.get(before + 1);
        assertEquals(Opcode.LD_SET, a.op());
        assertEquals(Opcode.LD_SET, b.op());
    }
}
