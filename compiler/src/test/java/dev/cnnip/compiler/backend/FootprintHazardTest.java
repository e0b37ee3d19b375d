package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The emitter's hazards come from the ISA table's footprints evaluated with the registers each
 * instruction sees: the expected semaphores are worked out by hand from the byte ranges.
 */
class FootprintHazardTest {
    private static final int LD_TO_PP = SyncPlanner.semaphore(Engine.LD, Engine.PP);
    private static final int PP_TO_LD = SyncPlanner.semaphore(Engine.PP, Engine.LD);

    private static Insn lut(long src, long dst) {
        return Insn.of(Opcode.PP_LUT).with(F.SRC, src).with(F.TBL, 0x1000).with(F.DST, dst)
                .type(F.IT, ElemType.U8).type(F.OT, ElemType.U8).build();
    }

    /** The emitted instructions other than SETs, with their masks. */
    private static List<Insn> work(Emitter em) {
        return em.finish().stream().filter(i -> i.op().format() != dev.cnnip.isa.Format.SET && i.op() != Opcode.FINISH)
                .toList();
    }

    @Test
    void aReadOfWhatALoadWroteWaitsForIt() {
        Emitter em = new Emitter();
        Dma.load(em, 0x0, 0x100, 16); // SRAM [0x100, 0x110)
        em.set(Engine.PP, Reg.PP_N, 8);
        em.emit(lut(0x108, 0x400)); // reads [0x108, 0x110): overlaps
        em.emit(lut(0x110, 0x500)); // reads [0x110, 0x118): after the load's range, and after the first lut anyway
        List<Insn> w = work(em);
        assertEquals(1 << LD_TO_PP, w.get(0).signalMask());
        assertEquals(1 << LD_TO_PP, w.get(1).waitMask());
        assertEquals(0, w.get(2).waitMask());
    }

    @Test
    void theRegistersDecideTheRange() {
        // The same instruction with n = 8 reads [0x0f8, 0x100), clear of the load; with n = 9 it reaches 0x100.
        for (int n : new int[] {8, 9}) {
            Emitter em = new Emitter();
            Dma.load(em, 0x0, 0x100, 16);
            em.set(Engine.PP, Reg.PP_N, n);
            em.emit(lut(0x0f8, 0x400));
            List<Insn> w = work(em);
            assertEquals(n == 9 ? 1 << LD_TO_PP : 0, w.get(1).waitMask(), "n = " + n);
        }
    }

    @Test
    void aLoadOverARangeStillBeingReadWaitsForTheReader() {
        Emitter em = new Emitter();
        em.set(Engine.PP, Reg.PP_N, 16);
        em.emit(lut(0x100, 0x400)); // reads [0x100, 0x110) and the table [0x1000, 0x1100)
        // A strided load whose span [0x10c, 0x10c + 2·32 + 4) starts inside what the lut reads: write after read.
        Dma.load(em, 0x0, 0x10c, 4, new Dma.Loop(3, 64, 32));
        List<Insn> w = work(em);
        assertEquals(1 << PP_TO_LD, w.get(0).signalMask());
        assertEquals(1 << PP_TO_LD, w.get(1).waitMask());
        // The table counts too: a load into its last byte waits for the lut, one past it does not.
        Emitter em2 = new Emitter();
        em2.set(Engine.PP, Reg.PP_N, 16);
        em2.emit(lut(0x100, 0x400));
        Dma.load(em2, 0x0, 0x10ff, 1);
        assertEquals(1 << PP_TO_LD, work(em2).get(1).waitMask(), "the table's last byte");
        Emitter em3 = new Emitter();
        em3.set(Engine.PP, Reg.PP_N, 16);
        em3.emit(lut(0x100, 0x400));
        Dma.load(em3, 0x0, 0x1100, 1);
        assertEquals(0, work(em3).get(1).waitMask(), "one past the table");
    }
}
