package dev.cnnip.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblerTest {
    @Test
    void parsesListingWithCommentsDirectivesAndDefaults() {
        List<Insn> p = Assembler.assemble("""
                ; a tiny program
                .numerics ort
                ld.set esz=16 n0=4      # sixteen-byte rows
                ld dram=0x100 sram=0x0 signal=1
                pp.set fa=f:0.5
                layer.begin id=3

                finish wait=s1
                """);
        assertEquals(5, p.size());
        assertEquals("ld.set esz=16 n0=4", p.get(0).toString());
        assertEquals("ld dram=0x00000100 sram=0x000000 signal=1", p.get(1).toString());
        assertEquals(Reg.byName(Engine.EX, "fa"), null, "fa is a PP register");
        assertEquals("finish wait=1", p.get(4).toString());
    }

    @Test
    void floatRegisterBitsPrintInHex() {
        Insn i = Assembler.parseLine("pp.set fa=f:0.5 fk=-1", 1);
        assertEquals("pp.set fa=0x3f000000 fk=0xffffffff", i.toString());
        assertEquals(i, Assembler.parseLine(i.toString(), 1));
    }

    @Test
    void errorsNameLineAndFault() {
        assertEquals("line 2: unknown mnemonic 'ex.fly'",
                assertThrows(AsmException.class, () -> Assembler.assemble("nop\nex.fly x=1\n")).getMessage());
        assertEquals("line 1: ex.conv has no field 'q' (fields: x, w, acc, xt, wt, accum, a64, wzpv)",
                assertThrows(AsmException.class, () -> Assembler.parseLine("ex.conv q=1", 1)).getMessage());
        assertEquals("line 4: LD has no register 'ih'",
                assertThrows(AsmException.class, () -> Assembler.parseLine("ld.set ih=1", 4)).getMessage());
        assertEquals("line 1: ld.set writes at most two registers",
                assertThrows(AsmException.class, () -> Assembler.parseLine("ld.set n0=1 n1=2 n2=3", 1)).getMessage());
        assertEquals("line 1: semaphore 16 outside 0..15",
                assertThrows(AsmException.class, () -> Assembler.parseLine("nop wait=16", 1)).getMessage());
        assertEquals("line 1: bad value 'zz' for x",
                assertThrows(AsmException.class, () -> Assembler.parseLine("ex.conv x=zz", 1)).getMessage());
        assertEquals("line 1: ld: value 16777216 does not fit field sram (24-bit unsigned)",
                assertThrows(AsmException.class, () -> Assembler.parseLine("ld sram=0x1000000", 1)).getMessage());
    }
}
