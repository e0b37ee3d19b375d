package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.program.DramSegment;
import dev.cnnip.program.Program;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Machine#reset()}: a reused machine gives what a new one gives (the pipeline's outputs, worked out
 * independently by {@link Pipeline#expected}, cycles and retirements), its DRAM is back to the program image
 * and a fault is cleared; and the DRAM's copy-on-write reset image.
 */
class MachineResetTest {
    @Test
    void aResetMachineRunsLikeANewOne() {
        for (boolean serial : new boolean[] {false, true}) {
            Pipeline pl = new Pipeline(5, 11);
            Program p = pl.program(TestPrograms.TINY, false);
            Machine fresh = TestPrograms.run(p, serial);
            Machine reused = new Machine(p, SimOptions.defaults().withSerial(serial));
            for (int round = 0; round < 3; round++) {
                if (round > 0) {
                    reused.reset();
                    assertEquals(0, reused.state().retired());
                    assertFalse(reused.state().finished());
                    assertEquals(0, reused.state().sram().u8(0), "SRAM cleared");
                    for (int t = 0; t < pl.tiles; t++) {
                        assertEquals(0, reused.state().dram().u8(Pipeline.Y_DRAM + 32L * t), "output back to the image (zero)");
                    }
                }
                reused.run();
                assertEquals(fresh.perfReport().totalCycles(), reused.perfReport().totalCycles(), "round " + round);
                assertEquals(fresh.state().retired(), reused.state().retired());
                for (int t = 0; t < pl.tiles; t++) {
                    for (int m = 0; m < Pipeline.M; m++) {
                        for (int n = 0; n < Pipeline.N; n++) {
                            assertEquals(pl.expected(t, m, n),
                                    reused.state().dram().u8(Pipeline.Y_DRAM + 32L * t + m * Pipeline.N + n),
                                    "serial=" + serial + " round " + round + " tile " + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void resetClearsAFault() {
        Pipeline pl = new Pipeline(3, 5);
        Program p = pl.program(TestPrograms.TINY, false);
        Machine m = new Machine(p, SimOptions.defaults().withMaxInstructions(4));
        assertThrows(MachineFault.class, m::run);
        assertTrue(m.state().fault().isPresent());
        m.reset();
        assertTrue(m.state().fault().isEmpty());
        assertEquals(4, countSteps(m), "the same four instructions run again before the watchdog");
    }

    private static int countSteps(Machine m) {
        int n = 0;
        try {
            while (m.step() != null) n++;
        } catch (MachineFault f) {
            return n;
        }
        return n;
    }

    @Test
    void dramResetRestoresTheImageCopyOnWrite() {
        byte[] seg = new byte[Dram.PAGE_BYTES + 100];
        new Random(2).nextBytes(seg);
        Dram d = Dram.of(1L << 20, List.of(new DramSegment("seg", Dram.PAGE_BYTES - 50, seg)));
        assertEquals(3, d.allocatedPages());
        byte[] junk = new byte[300];
        new Random(3).nextBytes(junk);
        d.write(Dram.PAGE_BYTES - 10, junk, 0, junk.length);   // inside the image, across a page boundary
        d.write(5 * Dram.PAGE_BYTES, junk, 0, 10);             // a page outside the image
        assertArrayEquals(junk, d.read(Dram.PAGE_BYTES - 10, junk.length));
        assertEquals(4, d.allocatedPages());
        d.reset();
        assertArrayEquals(seg, d.read(Dram.PAGE_BYTES - 50, seg.length), "image restored");
        assertEquals(0, d.u8(5 * Dram.PAGE_BYTES), "pages outside the image zero again");
        assertEquals(3, d.allocatedPages());
        d.write(Dram.PAGE_BYTES - 10, junk, 0, junk.length);
        d.reset();
        assertArrayEquals(seg, d.read(Dram.PAGE_BYTES - 50, seg.length), "the image itself was never written");
    }

    @Test
    void sramClearZeroesWhatEveryWritePathWrote() {
        dev.cnnip.emulator.mem.Sram s = new dev.cnnip.emulator.mem.Sram(1 << 16);
        Dram d = new Dram(1 << 20);
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 1);
        d.write(0, ones, 0, ones.length);
        for (int round = 0; round < 2; round++) {
            s.put8(10, 1);
            s.put32(100, -1);
            s.put64(200, -1);
            s.fill(300, 20, (byte) 7);
            s.write(400, ones, 0, 8);
            d.copyToSram(0, s, 40_000, 64);                                            // DMA load
            new dev.cnnip.emulator.kernel.Tiles().writeInts(s, dev.cnnip.isa.ElemType.S16, 60_000, 4, new int[] {1, 2, 3, 4});
            new dev.cnnip.emulator.kernel.Tiles().writeS32(s, 50_000, 2, new int[] {5, 6});
            s.clear();
            byte[] all = s.read(0, 1 << 16);
            for (int i = 0; i < all.length; i++) assertEquals(0, all[i], "round " + round + " byte " + i);
        }
    }
}
