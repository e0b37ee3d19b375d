package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instructions without data semantics: every engine's SET writes exactly the registers it names,
 * the SYNC instructions and {@code nop} only wait and signal, and {@code finish} retires after every
 * other queue has drained. The expected values are the literals of the program.
 */
class ControlOpsTest {
    private static List<RetireEvent> run(String asm, Machine[] out) {
        Machine m = new Machine(TestPrograms.tiny().asm(asm).build());
        List<RetireEvent> events = new ArrayList<>();
        m.addListener(new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                events.add(e);
            }
        });
        m.run();
        out[0] = m;
        return events;
    }

    @Test
    void setWritesTheNamedRegistersOfItsEngineOnly() {
        Machine[] m = new Machine[1];
        run("ld.set esz=3 n0=7\nex.set ih=5 wza=0x40\npp.set n=9 qmax=-3\nst.set ss2=-8 ds1=12\npp.set yinv=f:2.5\nfinish", m);
        MachineState s = m[0].state();
        assertEquals(3, s.register(Engine.LD, Reg.ESZ));
        assertEquals(7, s.register(Engine.LD, Reg.N0));
        assertEquals(5, s.register(Engine.EX, Reg.EX_IH));
        assertEquals(0x40, s.register(Engine.EX, Reg.EX_WZA));
        assertEquals(9, s.register(Engine.PP, Reg.PP_N));
        assertEquals(-3, s.register(Engine.PP, Reg.PP_QMAX));
        assertEquals(Float.floatToRawIntBits(2.5f), s.register(Engine.PP, Reg.PP_YINV));
        assertEquals(-8, s.register(Engine.ST, Reg.SS2));
        assertEquals(12, s.register(Engine.ST, Reg.DS1));
        // LD and ST have separate files; every register not named keeps its reset value.
        assertEquals(0, s.register(Engine.ST, Reg.ESZ));
        assertEquals(1, s.register(Engine.ST, Reg.N0));
        for (Engine e : new Engine[] {Engine.LD, Engine.EX, Engine.PP, Engine.ST}) {
            for (Reg r : Reg.of(e)) {
                boolean named = switch (e) {
                    case LD -> r == Reg.ESZ || r == Reg.N0;
                    case EX -> r == Reg.EX_IH || r == Reg.EX_WZA;
                    case PP -> r == Reg.PP_N || r == Reg.PP_QMAX || r == Reg.PP_YINV;
                    default -> r == Reg.SS2 || r == Reg.DS1;
                };
                if (!named) assertEquals(r.reset(), s.register(e, r), e + " " + r.asm());
            }
        }
    }

    @Test
    void syncsAndNopOnlyPassSemaphoreTokens() {
        Machine[] m = new Machine[1];
        List<RetireEvent> ev = run("nop wait=3\nst.sync wait=2 signal=3\npp.sync wait=1 signal=2\nex.sync wait=0 signal=1\n"
                + "ld.sync signal=0\nfinish", m);
        // The token chain forces the reverse of program order.
        assertEquals(List.of(4, 3, 2, 1, 0, 5), ev.stream().map(RetireEvent::pc).toList());
        assertTrue(m[0].semaphoreBalances().isEmpty(), "every token consumed");
        for (int a = 0; a < 256; a++) assertEquals(0, m[0].state().sram().u8(a));
        for (RetireEvent e : ev) assertEquals(0, e.metrics().sramBytes() + e.metrics().dramBytes(), e.insn().toString());
    }

    @Test
    void finishRetiresAfterEveryOtherQueueHasDrained() {
        Machine[] m = new Machine[1];
        List<RetireEvent> ev = run("ld.set esz=4096\nld dram=0x0 sram=0x0\nex.set ih=2\npp.set n=0\nfinish", m);
        RetireEvent fin = ev.get(ev.size() - 1);
        assertEquals("finish", fin.insn().op().mnemonic());
        for (RetireEvent e : ev.subList(0, ev.size() - 1)) assertTrue(e.end() <= fin.end(), e.insn() + " ends before finish");
        assertTrue(m[0].state().finished());
    }
}
