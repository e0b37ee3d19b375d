package dev.cnnip.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.table.LookupTable;
import dev.cnnip.isa.table.QuantEntry;
import dev.cnnip.isa.table.RequantEntry;
import dev.cnnip.isa.table.SoftmaxTable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Footprint rules on hand-computed cases, and the parameter table codecs. */
class FootprintsTest {
    private static RegisterReader regs(Object... pairs) {
        Map<Reg, Integer> m = new EnumMap<>(Reg.class);
        for (int i = 0; i < pairs.length; i += 2) m.put((Reg) pairs[i], (Integer) pairs[i + 1]);
        return r -> m.getOrDefault(r, r.reset());
    }

    private static List<String> of(String asm, RegisterReader r) {
        Insn i = Assembler.parseLine(asm, 1);
        return i.op().footprint(i, r).accesses().stream().map(MemAccess::toString).toList();
    }

    @Test
    void stridedDmaCoversItsSpanIncludingNegativeStrides() {
        // 3 rows of 2 elements of 4 bytes; DRAM rows go backwards by 100 bytes, SRAM rows forwards by 8.
        RegisterReader r = regs(Reg.ESZ, 4, Reg.N0, 2, Reg.N1, 3, Reg.DS0, 4, Reg.DS1, -100, Reg.SS0, 4, Reg.SS1, 8);
        // DRAM: [0x1000 + (3 - 1)·(-100), 0x1000 + 4 + 4) = [0xf38, 0x1008); SRAM: [0x40, 0x40 + 4 + 16 + 4).
        assertEquals(List.of("DRAM read dram [0xf38, 0x1008)", "SRAM write sram [0x40, 0x58)"), of("ld dram=0x1000 sram=0x40", r));
        assertEquals(List.of("SRAM read sram [0x40, 0x58)", "DRAM write dram [0xf38, 0x1008)"), of("st dram=0x1000 sram=0x40", r));
        assertEquals(List.of(), of("ld dram=0x1000 sram=0x40", regs(Reg.ESZ, 4, Reg.N1, 0)), "a zero count moves nothing");
    }

    @Test
    void requantTableSizeAndPitches() {
        RegisterReader r = regs(Reg.PP_N, 3, Reg.PP_C, 5, Reg.PP_APITCH, 8, Reg.PP_OPITCH, 6);
        // acc: ((3 - 1)·8 + 5)·4 = 84 bytes; prm: 5·12 = 60; out: ((3 - 1)·6 + 5)·2 = 34.
        assertEquals(List.of("SRAM read acc [0x0, 0x54)", "SRAM read prm [0x100, 0x13c)", "SRAM write out [0x200, 0x222)"),
                of("pp.requant acc=0x0 prm=0x100 out=0x200 ot=s16", r));
    }

    @Test
    void invalidRegistersGiveABoundNotAnException() {
        RegisterReader r = regs(Reg.PP_N, -5, Reg.PP_C, Integer.MAX_VALUE);
        assertEquals(List.of("SRAM read prm [0x100, 0x" + Long.toHexString(0x100 + 12L * Integer.MAX_VALUE) + ")"),
                of("pp.requant acc=0x0 prm=0x100 out=0x200 ot=s16", r));
        RegisterReader huge = regs(Reg.EX_IH, Integer.MAX_VALUE, Reg.EX_IW, Integer.MAX_VALUE, Reg.EX_IC, Integer.MAX_VALUE);
        Insn conv = Assembler.parseLine("ex.conv x=0x10 w=0x0 acc=0x0 xt=s16 wt=u8", 1);
        assertEquals(Long.MAX_VALUE, conv.op().footprint(conv, huge).accesses().get(0).end(), "saturates");
    }

    @Test
    void codecsRoundTripAndSizeTheRules() {
        List<RequantEntry> rq = List.of(RequantEntry.ofFloat(-7, 0.25f), new RequantEntry(1, 1 << 30, 37));
        byte[] b = RequantEntry.encode(rq);
        assertEquals(2 * RequantEntry.BYTES, b.length);
        assertEquals(rq.get(0), RequantEntry.decode(b, 0));
        assertEquals(0.25f, RequantEntry.decode(b, 0).multiplier());
        assertEquals(rq.get(1), RequantEntry.decode(b, 1));
        assertEquals((byte) -7, b[0]);
        assertEquals(0x3e, b[7], "float32 bits of 0.25 = 0x3e800000, little-endian");
        byte[] q = QuantEntry.encode(List.of(new QuantEntry(0.5f, 3)));
        assertEquals(QuantEntry.BYTES, q.length);
        assertEquals(new QuantEntry(0.5f, 3), QuantEntry.decode(q, 0));
        float[] sm = new float[SoftmaxTable.ENTRIES];
        for (int k = 0; k < sm.length; k++) sm[k] = k / 7f;
        byte[] t = SoftmaxTable.encode(sm);
        assertEquals(SoftmaxTable.BYTES, t.length);
        assertEquals(sm[200], SoftmaxTable.decode(t)[200]);
        int[] lut = new int[LookupTable.entries(ElemType.S8)];
        for (int k = 0; k < lut.length; k++) lut[k] = -k;
        byte[] l = LookupTable.encode(ElemType.S8, ElemType.S16, lut);
        assertEquals(512, l.length);
        assertEquals(-129, LookupTable.decode(l, ElemType.S16, LookupTable.index(1, ElemType.S8)));
        assertEquals(65536, LookupTable.entries(ElemType.U16));
        assertEquals(0, LookupTable.entries(ElemType.S32));
        Insn i = Assembler.parseLine("pp.lut src=0x0 tbl=0x100 dst=0x1000 it=s8 ot=s16", 1);
        MemAccess tbl = i.op().footprint(i, regs(Reg.PP_N, 1)).accesses().get(1);
        assertEquals(LookupTable.bytes(ElemType.S8, ElemType.S16), tbl.length());
        assertTrue(tbl.operand().equals("tbl"));
    }
}
