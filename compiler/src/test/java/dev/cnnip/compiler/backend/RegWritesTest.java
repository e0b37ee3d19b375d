package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Reg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed register writes and how the emitter turns them into {@code set} instructions. */
class RegWritesTest {
    @Test
    void writesKeepTheirOrderAndFloatBits() {
        RegWrites w = RegWrites.of(Reg.PP_QMIN, -128).and(Reg.PP_QMAX, 127).andFloat(Reg.PP_FA, 0.75f);
        assertEquals(List.of(Reg.PP_QMIN, Reg.PP_QMAX, Reg.PP_FA), w.writes().stream().map(RegWrites.Write::reg).toList());
        // 0.75f = 0x3F400000 (IEEE 754: sign 0, exponent 126, mantissa 0.5)
        assertEquals(List.of(-128, 127, 0x3F400000), w.writes().stream().map(RegWrites.Write::value).toList());
        assertEquals(0, RegWrites.NONE.writes().size());
        assertThrows(UnsupportedOperationException.class, () -> w.writes().add(new RegWrites.Write(Reg.PP_N, 1)));
    }

    @Test
    void emitterPacksTwoWritesPerSetAndSkipsUnchangedRegisters() {
        Emitter em = new Emitter();
        em.set(Engine.PP, RegWrites.of(Reg.PP_QMIN, 3).and(Reg.PP_QMAX, 200).and(Reg.PP_OZP, 7));
        assertEquals(2, em.size(), "three writes take two set instructions");
        em.set(Engine.PP, RegWrites.of(Reg.PP_QMIN, 3).and(Reg.PP_QMAX, 200));
        assertEquals(2, em.size(), "registers already holding the values are not written again");
        em.set(Engine.PP, Reg.PP_QMAX, 100);
        assertEquals(3, em.size());
        assertThrows(IllegalArgumentException.class, () -> em.set(Engine.EX, Reg.PP_QMIN, 1));
    }
}
