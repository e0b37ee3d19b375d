package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.LookupTable;

/**
 * {@code pp.lut}: table lookup. For {@code i < n}: {@code dst[i] = tbl[src[i] − it.min()]}, where the
 * table at {@code tbl} has {@code it.max() − it.min() + 1} entries of type {@code ot} (256 for 8-bit
 * inputs, 65,536 for 16-bit ones) and entries are copied bit for bit (an {@code f32} table gives float
 * outputs). Faults: {@code n < 0}; {@code it} not an 8- or 16-bit integer type; source, the whole table
 * or destination outside SRAM.
 */
final class LutOp {
    private LutOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = insn.type(F.IT);
        if (it.bytes() > 2) {
            throw ExecFault.operand("element type " + it.asm() + " of field it is not supported by pp.lut (8- or 16-bit integers)");
        }
        ElemType ot = insn.type(F.OT);
        int n = Operands.count(r, Reg.PP_N);
        int entries = LookupTable.entries(it);
        long src = insn.get(F.SRC);
        long tbl = insn.get(F.TBL);
        long dst = insn.get(F.DST);
        Operands.sram(sram, src, (long) n * it.bytes(), false, "src");
        Operands.sram(sram, tbl, (long) entries * ot.bytes(), false, "tbl");
        Operands.sram(sram, dst, (long) n * ot.bytes(), true, "dst");
        int[] table = sc.ints(0, entries);
        Operands.readInts(sram, ot, tbl, entries, table, 0);
        int[] v = sc.ints(1, n);
        Operands.readInts(sram, it, src, n, v, it.min());
        for (int i = 0; i < n; i++) v[i] = table[v[i]];
        Operands.writeInts(sram, ot, dst, n, v);
        // One table read per element.
        return WorkMetrics.pp(n, (long) n * (it.bytes() + ot.bytes()), (long) n * ot.bytes());
    }
}
