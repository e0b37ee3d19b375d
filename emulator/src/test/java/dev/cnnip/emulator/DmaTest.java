package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.program.Program;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ld} and {@code st}: strided copies against a naive byte-by-byte reference. */
class DmaTest {
    private static final int DRAM = 4096;
    private static final int SRAM_REGION = 4096;

    /** Naive reference: for i2, i1, i0 copy esz bytes from src to dst. */
    private static void copy(byte[] src, long s, int[] ss, byte[] dst, long d, int[] ds, int esz, int[] n) {
        for (int i2 = 0; i2 < n[2]; i2++) {
            for (int i1 = 0; i1 < n[1]; i1++) {
                for (int i0 = 0; i0 < n[0]; i0++) {
                    for (int b = 0; b < esz; b++) {
                        dst[(int) (d + (long) i2 * ds[2] + (long) i1 * ds[1] + (long) i0 * ds[0] + b)] =
                                src[(int) (s + (long) i2 * ss[2] + (long) i1 * ss[1] + (long) i0 * ss[0] + b)];
                    }
                }
            }
        }
    }

    private static String regs(String engine, int esz, int[] n, int[] ds, int[] ss) {
        return String.format("%1$s.set esz=%2$d n0=%3$d%n%1$s.set n1=%4$d n2=%5$d%n%1$s.set ds0=%6$d ds1=%7$d%n"
                        + "%1$s.set ds2=%8$d ss0=%9$d%n%1$s.set ss1=%10$d ss2=%11$d",
                engine, esz, n[0], n[1], n[2], ds[0], ds[1], ds[2], ss[0], ss[1], ss[2]);
    }

    /** A random stride for a loop of count n, so that loops neither go out of bounds nor are trivial. */
    private static int stride(Random rnd, int max) {
        return rnd.nextInt(2 * max + 1) - max;
    }

    /** Base address so that every touched byte lies in [0, limit). */
    private static long base(int esz, int[] n, int[] st, int limit, Random rnd) {
        long lo = 0;
        long hi = esz;
        for (int i = 0; i < 3; i++) {
            long ext = (long) (n[i] - 1) * st[i];
            if (ext < 0) lo += ext; else hi += ext;
        }
        long room = limit - (hi - lo);
        return -lo + (room > 0 ? rnd.nextInt((int) room) : 0);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void loadAndStoreRandomStridedCopies(boolean serial) {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int esz = 1 + rnd.nextInt(4);
            int[] n = {1 + rnd.nextInt(6), 1 + rnd.nextInt(5), 1 + rnd.nextInt(4)};
            int[] ds = {stride(rnd, 40), stride(rnd, 200), stride(rnd, 900)};
            int[] ss = {stride(rnd, 40), stride(rnd, 200), stride(rnd, 900)};
            byte[] dram = TestPrograms.random(rnd, DRAM);
            long d = base(esz, n, ds, DRAM, rnd);
            long s = base(esz, n, ss, SRAM_REGION, rnd);

            // LD: DRAM -> SRAM
            Program ld = TestPrograms.tiny().dram(DRAM).segment(0, dram)
                    .asm(regs("ld", esz, n, ds, ss)).asm("ld dram=0x%x sram=0x%x", d, s).asm("finish").build();
            Machine m = TestPrograms.run(ld, serial);
            byte[] expectSram = new byte[SRAM_REGION];
            copy(dram, d, ds, expectSram, s, ss, esz, n);
            assertArrayEquals(expectSram, m.state().sram().read(0, SRAM_REGION), "ld trial " + trial);

            // ST: fill SRAM with a contiguous load of random bytes, then store strided into DRAM.
            byte[] sramData = TestPrograms.random(rnd, SRAM_REGION);
            Program st = TestPrograms.tiny().dram(2L * DRAM).segment(0, dram).segment(DRAM, sramData)
                    .asm("ld.set esz=%d", SRAM_REGION).asm("ld dram=0x%x sram=0 signal=3", DRAM)
                    .asm(regs("st", esz, n, ds, ss)).asm("st dram=0x%x sram=0x%x wait=3", d, s).asm("finish").build();
            Machine m2 = TestPrograms.run(st, serial);
            byte[] expectDram = dram.clone();
            copy(sramData, s, ss, expectDram, d, ds, esz, n);
            assertArrayEquals(expectDram, m2.state().dram().read(0, DRAM), "st trial " + trial);
        }
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void transposesWithOneByteElements(boolean serial) {
        int rows = 7;
        int cols = 13;
        byte[] a = TestPrograms.random(new Random(5), rows * cols);
        // SRAM[c][r] = DRAM[r][c]: inner loop over r (DRAM stride cols, SRAM stride 1), outer over c.
        Program p = TestPrograms.tiny().dram(256).segment(0, a)
                .asm(regs("ld", 1, new int[] {rows, cols, 1}, new int[] {cols, 1, 0}, new int[] {1, rows, 0}))
                .asm("ld dram=0 sram=0x100").asm("finish").build();
        Machine m = TestPrograms.run(p, serial);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(a[r * cols + c], (byte) m.state().sram().u8(0x100 + c * rows + r), "element " + r + "," + c);
            }
        }
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void zeroCountsCopyNothing(boolean serial) {
        Program p = TestPrograms.tiny().dram(64).segment(0, new byte[] {1, 2, 3, 4})
                .asm("ld.set esz=4 n1=0").asm("ld dram=0 sram=0").asm("finish").build();
        Machine m = TestPrograms.run(p, serial);
        assertEquals(0, m.state().sram().s32(0));
    }

    private static MachineFault fault(Program p) {
        Machine m = new Machine(p);
        return assertThrows(MachineFault.class, m::run);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void rangeAndRegisterFaultsHaveNoEffect(boolean serial) {
        // DRAM read past the end: 2 rows of 16 bytes from 0xf0 in a DRAM of 0x100 bytes.
        MachineFault f = fault(TestPrograms.tiny().dram(0x100).asm("ld.set esz=16 n1=2").asm("ld.set ds1=16")
                .asm("ld dram=0xf0 sram=0").asm("finish").build());
        assertEquals(MachineFault.Kind.MEMORY_RANGE, f.kind());
        assertEquals("fault at ld pc 2 (ld): DRAM read of dram [0xf0, 0x110) outside DRAM of 0x100 bytes", f.getMessage());

        // Negative stride reaching below address 0.
        f = fault(TestPrograms.tiny().dram(0x100).asm("st.set esz=4 n0=3").asm("st.set ds0=-8")
                .asm("st dram=0x8 sram=0").asm("finish").build());
        assertEquals("fault at st pc 2 (st): DRAM write of dram [-0x8, 0xc) outside DRAM of 0x100 bytes", f.getMessage());

        // SRAM write past the 64 KiB of tiny.
        f = fault(TestPrograms.tiny().dram(0x100).asm("ld.set esz=32").asm("ld dram=0 sram=0xfff0").asm("finish").build());
        assertEquals("fault at ld pc 1 (ld): SRAM write of sram [0xfff0, 0x10010) outside SRAM of 0x10000 bytes",
                f.getMessage());

        f = fault(TestPrograms.tiny().asm("ld dram=0 sram=0").asm("finish").build());
        assertEquals(MachineFault.Kind.BAD_OPERAND, f.kind());
        assertEquals("fault at ld pc 0 (ld): register esz = 0 must be >= 1", f.getMessage());

        f = fault(TestPrograms.tiny().asm("st.set esz=1 n1=-1").asm("st dram=0 sram=0").asm("finish").build());
        assertEquals("fault at st pc 1 (st): register n1 = -1 must be >= 0", f.getMessage());

        // The machine state after a fault: nothing retired past the faulting instruction, SRAM untouched.
        Program p = TestPrograms.tiny().dram(0x100).segment(0, new byte[] {9, 9, 9, 9})
                .asm("ld.set esz=4 n0=2").asm("ld.set ds0=0xfd").asm("ld dram=0 sram=0").asm("finish").build();
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        MachineFault g = assertThrows(MachineFault.class, m::run);
        assertEquals(2, m.state().retired());
        assertEquals(0, m.state().sram().s32(0));
        assertEquals(2, m.state().pc(dev.cnnip.isa.Engine.LD));
        assertEquals(g, m.state().fault().orElseThrow());
        assertEquals(g, assertThrows(MachineFault.class, m::step), "a stopped machine rethrows its fault");
    }
}
