package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fetch, queues, semaphores, serial and overlapped modes, deadlocks and machine faults. */
class SchedulingTest {
    @Test
    void pipelineGivesIdenticalDramInBothModesAndOverlapsInTime() {
        Pipeline pl = new Pipeline(6, 42);
        Program p = pl.program(TestPrograms.TINY, false);
        Machine serial = TestPrograms.run(p, true);
        Machine overlapped = TestPrograms.run(p, false);
        byte[] a = serial.state().dram().read(0, 0x3000);
        byte[] b = overlapped.state().dram().read(0, 0x3000);
        assertArrayEquals(a, b, "serial and overlapped runs leave the same DRAM");
        for (int t = 0; t < pl.tiles; t++) {
            for (int m = 0; m < Pipeline.M; m++) {
                for (int n = 0; n < Pipeline.N; n++) {
                    assertEquals(pl.expected(t, m, n), b[(int) Pipeline.Y_DRAM + 32 * t + m * Pipeline.N + n] & 0xFF,
                            "tile " + t + " row " + m + " column " + n);
                }
            }
        }
        long cs = serial.perfReport().totalCycles();
        long co = overlapped.perfReport().totalCycles();
        assertTrue(co < cs, "overlapped " + co + " cycles < serial " + cs);
        assertEquals(Map.of(), overlapped.semaphoreBalances());
        assertEquals(List.of(), overlapped.warnings());
        assertEquals(p.instructionCount(), overlapped.state().retired());
    }

    @Test
    void overlappedModeReallyReordersAcrossEngines() {
        Pipeline pl = new Pipeline(6, 1);
        Machine m = new Machine(pl.program(TestPrograms.TINY, false));
        List<Integer> order = new ArrayList<>();
        m.addListener(new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                order.add(e.pc());
            }
        });
        m.run();
        List<Integer> sorted = new ArrayList<>(order);
        Collections.sort(sorted);
        assertTrue(!order.equals(sorted), "the functional order follows simulated time, not program order");
    }

    @Test
    void wrongSemaphoreDeadlocksWithOneLineMessage() {
        Program p = TestPrograms.tiny().asm("ld.set esz=4\nld dram=0 sram=0 signal=0\nex.sync wait=1\nfinish").build();
        MachineFault f = assertThrows(MachineFault.class, () -> TestPrograms.run(p, false));
        assertEquals(MachineFault.Kind.DEADLOCK, f.kind());
        assertEquals("fault: deadlock at cycle 17: ctl pc 3 (finish) waits for ex to drain; ex pc 2 (ex.sync) waits for"
                + " s1=0; semaphores: s0=1", f.getMessage());
        f = assertThrows(MachineFault.class, () -> TestPrograms.run(p, true));
        assertEquals("fault: deadlock in serial mode at cycle 17: ex pc 2 (ex.sync) waits for s1=0; semaphores: s0=1",
                f.getMessage());

        Program wrong = new Pipeline(4, 3).program(TestPrograms.TINY, true);
        f = assertThrows(MachineFault.class, () -> TestPrograms.run(wrong, false));
        assertTrue(f.getMessage().startsWith("fault: deadlock at cycle "), f.getMessage());
        assertTrue(f.getMessage().contains("(ex.conv) waits for s6=0"), f.getMessage());
        assertEquals(-1, f.pc());
    }

    @Test
    void queueDepthLimitsFetch() {
        // tiny has queue.depth 4: of six LD instructions behind a blocked one, fetch dispatches only four.
        StringBuilder a = new StringBuilder("ld.sync wait=0\n");
        for (int i = 0; i < 5; i++) a.append("ld.sync\n");
        a.append("ex.sync signal=0\nfinish\n");
        Machine m = new Machine(TestPrograms.tiny().asm(a.toString()).build());
        List<DispatchEvent> dispatched = new ArrayList<>();
        m.addListener(new MachineListener() {
            @Override
            public void onDispatch(DispatchEvent e) {
                dispatched.add(e);
            }
        });
        MachineFault f = assertThrows(MachineFault.class, m::step);
        assertEquals("fault: deadlock at cycle 0: ld pc 0 (ld.sync) waits for s0=0; semaphores: all 0", f.getMessage());
        assertEquals(4, m.state().queue(Engine.LD).size());
        assertEquals(4, m.state().fetchPc(), "fetch is in order: ex.sync behind the full LD queue never arrives");
        assertEquals(4, dispatched.size());
        assertEquals(List.of(0L, 1L, 2L, 3L), dispatched.stream().map(DispatchEvent::fetch).toList());
    }

    @Test
    void faultsAreOneLine() {
        MachineFault trap = assertThrows(MachineFault.class, () -> TestPrograms.run(TestPrograms.tiny()
                .layer("conv2").layer("fc").source(0, 1).asm("nop\ntrap code=7\nfinish").build(), false));
        assertEquals(MachineFault.Kind.TRAP, trap.kind());
        assertEquals("fault at ctl pc 1 (trap, layer 1 'fc'): trap code 7", trap.getMessage());
        assertEquals(Engine.CTL, trap.engine().orElseThrow());
        assertEquals(1, trap.pc());

        MachineFault none = assertThrows(MachineFault.class, () -> TestPrograms.run(TestPrograms.tiny()
                .asm("ld.sync\nnop").build(), false));
        assertEquals(MachineFault.Kind.NO_FINISH, none.kind());
        assertEquals("fault: the program ran out of instructions without finish (2 of 2 retired)", none.getMessage());

        byte[] code = InsnCodec.encodeAll(List.of(Insn.of(Opcode.NOP).build(), Insn.of(Opcode.FINISH).build()));
        code[16] = (byte) 0xee;
        Program illegal = Program.builder("t", TestPrograms.TINY, Numerics.HW).code(code).build();
        MachineFault f = assertThrows(MachineFault.class, () -> new Machine(illegal, SimOptions.defaults(), "net.cnnip"));
        assertEquals(MachineFault.Kind.ILLEGAL_INSTRUCTION, f.kind());
        assertEquals("net.cnnip: instruction 1: unknown opcode 0xee", f.getMessage());
    }

    @Test
    void watchdogs() {
        Program p = TestPrograms.tiny().asm("nop\nnop\nnop\nfinish").build();
        Machine m = new Machine(p, SimOptions.defaults().withMaxInstructions(2));
        MachineFault f = assertThrows(MachineFault.class, m::run);
        assertEquals(MachineFault.Kind.WATCHDOG, f.kind());
        assertEquals("fault at ctl pc 2 (nop): watchdog: instruction limit of 2 reached", f.getMessage());

        Program slow = TestPrograms.tiny().asm("ld.set esz=4096\nld dram=0 sram=0\nfinish").build();
        f = assertThrows(MachineFault.class, () -> new Machine(slow, SimOptions.defaults().withMaxCycles(100)).run());
        assertEquals("fault at ctl pc 2 (finish): watchdog: would start at cycle 528, beyond the limit of 100 cycles",
                f.getMessage());
    }

    @Test
    void semaphoreOverflow() {
        List<Insn> insns = new ArrayList<>(Collections.nCopies(65536, Insn.of(Opcode.NOP).signalMask(1).build()));
        insns.add(Insn.of(Opcode.FINISH).build());
        Program p = Program.builder("t", TestPrograms.TINY, Numerics.HW).code(InsnCodec.encodeAll(insns)).build();
        Machine m = new Machine(p);
        MachineFault f = assertThrows(MachineFault.class, m::run);
        assertEquals(MachineFault.Kind.SEMAPHORE_OVERFLOW, f.kind());
        assertEquals("fault at ctl pc 65535 (nop): semaphore s0 would exceed 65535", f.getMessage());
        assertEquals(65535, m.state().semaphore(0));
    }

    @Test
    void warningsAtTheEnd() {
        Machine m = TestPrograms.run(TestPrograms.tiny().asm("ld.sync signal=2\nst.sync signal=2,9\nfinish\nnop").build(), false);
        assertEquals(Map.of(2, 2, 9, 1), m.semaphoreBalances());
        assertEquals(List.of("semaphore s2 ends at 2 (signalled, never waited for)",
                "semaphore s9 ends at 1 (signalled, never waited for)",
                "1 instruction(s) after finish at pc 2 were not executed"), m.warnings());
        assertTrue(m.state().finished());
        assertNull(m.step(), "a finished machine retires nothing more");
    }

    @Test
    void stateIsInspectableAtEveryBoundaryAndLayersAreReported() {
        Program p = TestPrograms.tiny().layer("a").layer("b")
                .asm("layer.begin id=0\nex.set ih=5 iw=6\nld.sync signal=0\nex.sync wait=0\nlayer.end id=0\n"
                        + "layer.begin id=1\nlayer.end id=1\nfinish").build();
        Machine m = new Machine(p, SimOptions.defaults().withSerial(true));
        List<String> events = new ArrayList<>();
        m.addListener(new MachineListener() {
            @Override
            public void onLayerBegin(LayerEvent e) {
                events.add("begin " + e.layer() + " " + e.name() + " pc " + e.pc());
            }

            @Override
            public void onLayerEnd(LayerEvent e) {
                events.add("end " + e.layer() + " " + e.name() + " pc " + e.pc());
            }
        });
        assertEquals(-1, m.state().currentLayer());
        assertEquals(-1, m.state().pc(Engine.EX));
        assertEquals(0, m.step().pc());
        assertEquals(0, m.state().currentLayer());
        // Fetch ran ahead: the EX queue holds ex.set and ex.sync.
        assertEquals(List.of(1, 3), m.state().queue(Engine.EX).stream().map(MachineState.Queued::pc).toList());
        assertEquals(1, m.state().pc(Engine.EX));
        assertEquals(1, m.state().register(Engine.EX, Reg.EX_IH), "reset value");
        m.step();
        assertEquals(5, m.state().register(Engine.EX, Reg.EX_IH));
        assertEquals(6, m.state().registers(Engine.EX)[Reg.EX_IW.id()]);
        assertEquals(2, m.state().pc(Engine.LD), "LD's queue head");
        m.run();
        assertEquals(List.of("begin 0 a pc 0", "end 0 a pc 4", "begin 1 b pc 5", "end 1 b pc 6"), events);
        assertEquals(-1, m.state().currentLayer());
        assertEquals(8, m.state().retired());
        assertEquals(3, m.state().pc(Engine.EX), "last retired EX instruction");
    }

    @Test
    void twoMachinesRunSideBySide() {
        Program p1 = new Pipeline(4, 100).program(TestPrograms.TINY, false);
        Program p2 = new Pipeline(4, 200).program(TestPrograms.TINY, false);
        Machine a = new Machine(p1);
        Machine b = new Machine(p2, SimOptions.defaults().withSerial(true));
        while (!a.state().finished() || !b.state().finished()) {
            if (!a.state().finished()) a.step();
            if (!b.state().finished()) b.step();
        }
        assertArrayEquals(TestPrograms.run(p1, true).state().dram().read(0, 0x3000), a.state().dram().read(0, 0x3000));
        assertArrayEquals(TestPrograms.run(p2, false).state().dram().read(0, 0x3000), b.state().dram().read(0, 0x3000));
    }
}
