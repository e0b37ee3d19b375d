package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.program.Program;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The race checker on hand-written programs whose ordering is known by construction: every pair of
 * conflicting accesses is either ordered (program order, a semaphore chain, finish) or not, whatever
 * order the machine happens to execute them in.
 */
class RaceCheckerTest {
    private static final String LOAD = "ld.set esz=16\nld dram=0x0 sram=0x0%s\n";
    private static final String LUT = "pp.set n=16\npp.lut src=0x0 tbl=0x100 dst=0x200 it=u8 ot=u8%s\n";

    private static Machine run(String asm, boolean serial) {
        Program p = TestPrograms.tiny().layer("l0").source(1, 0).source(3, 0).asm(asm + "finish").build();
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial).withCheckRaces(true));
        m.run();
        return m;
    }

    private static MachineFault race(String asm, boolean serial) {
        MachineFault f = assertThrows(MachineFault.class, () -> run(asm, serial));
        assertEquals(MachineFault.Kind.RACE, f.kind(), f.getMessage());
        return f;
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void readAfterWriteWithoutWaitIsARace(boolean serial) {
        MachineFault f = race(String.format(LOAD, "") + String.format(LUT, ""), serial);
        String msg = f.getMessage();
        // One line naming both instructions and the overlapping range, whichever ran first.
        assertTrue(!msg.contains("\n"), msg);
        assertTrue(msg.contains("data race on SRAM [0x0, 0x10)"), msg);
        assertTrue(msg.contains("ld pc 1 (ld, layer 0 'l0')") && msg.contains("pp pc 3 (pp.lut, layer 0 'l0')"), msg);
        assertTrue(msg.contains("writes sram") && msg.contains("reads src"), msg);
        if (serial) {
            assertEquals("fault at pp pc 3 (pp.lut, layer 0 'l0'): data race on SRAM [0x0, 0x10): reads src while"
                    + " ld pc 1 (ld, layer 0 'l0') writes sram, and neither program order nor a semaphore orders the two", msg);
        }
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void aSemaphoreOrdersTheAccesses(boolean serial) {
        Machine m = run(String.format(LOAD, " signal=0") + String.format(LUT, " wait=0"), serial);
        assertEquals(5, m.raceChecker().orElseThrow().accesses(), "ld: 2 ranges, pp.lut: 3");
        assertEquals(5, m.raceChecker().orElseThrow().instructions());
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void orderingIsTransitiveThroughAnotherEngine(boolean serial) {
        run(String.format(LOAD, " signal=0") + "ex.sync wait=0 signal=1\n" + String.format(LUT, " wait=1"), serial);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void writeAfterReadWithoutWaitIsARace(boolean serial) {
        // pp.lut reads [0, 16) (zeros), then ld overwrites it: both orders give different results.
        MachineFault f = race("pp.set n=16\npp.lut src=0x0 tbl=0x100 dst=0x200 it=u8 ot=u8\nld.set esz=8\n"
                + "ld dram=0x0 sram=0x8\n", serial);
        assertTrue(f.getMessage().contains("data race on SRAM [0x8, 0x10)"), f.getMessage());
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void programOrderOrdersOneEngine(boolean serial) {
        run(String.format(LOAD, "") + "ld dram=0x40 sram=0x0\nst.set esz=16\n", serial);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void disjointRangesDoNotRace(boolean serial) {
        run(String.format(LOAD, "") + "pp.set n=16\npp.lut src=0x10 tbl=0x100 dst=0x200 it=u8 ot=u8\n", serial);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void theKthWaitPairsWithTheKthSignal(boolean serial) {
        // Two loads signal s0; the first lut waits once, so it is ordered after the first load only: the second
        // lut, which reads what the second load wrote, must wait a second time.
        String two = "ld.set esz=16\nld dram=0x0 sram=0x0 signal=0\nld dram=0x10 sram=0x10 signal=0\n";
        run(two + "pp.set n=16\npp.lut src=0x0 tbl=0x100 dst=0x200 it=u8 ot=u8 wait=0\n"
                + "pp.lut src=0x10 tbl=0x100 dst=0x300 it=u8 ot=u8 wait=0\n", serial);
        MachineFault f = race(two + "pp.set n=16\npp.lut src=0x10 tbl=0x100 dst=0x200 it=u8 ot=u8 wait=0\n"
                + "pp.sync wait=0\n", serial);
        assertTrue(f.getMessage().contains("SRAM [0x10, 0x20)"), f.getMessage());
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void dramRacesBetweenStoreAndLoad(boolean serial) {
        MachineFault f = race("st.set esz=16\nst dram=0x100 sram=0x0\nld.set esz=16\nld dram=0x108 sram=0x40\n", serial);
        assertTrue(f.getMessage().contains("data race on DRAM [0x108, 0x110)"), f.getMessage());
    }
}
