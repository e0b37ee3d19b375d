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
}
