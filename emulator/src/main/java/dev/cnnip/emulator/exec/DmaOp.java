package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * {@code ld} and {@code st}: three-level strided copies between DRAM and SRAM.
 *
 * <p>For {@code i2 < n2, i1 < n1, i0 < n0}, {@code esz} bytes move between
 * {@code dram + i2·ds2 + i1·ds1 + i0·ds0} and {@code sram + i2·ss2 + i1·ss1 + i0·ss0} (LD: DRAM → SRAM,
 * ST: SRAM → DRAM), in that loop order, so where destinations overlap the later element wins. Strides
 * are signed 32-bit byte counts. Faults: {@code esz < 1}, a negative count, more than 2^31 − 1 elements,
 * or a touched byte outside {@code [0, dram size)} or {@code [0, sram size)}, checked over the whole
 * range before the first byte moves.
 */
final class DmaOp {
    private DmaOp() {}

    /** Registers of one transfer. */
    record Params(int esz, int n0, int n1, int n2, int ds0, int ds1, int ds2, int ss0, int ss1, int ss2) {
        long elements() {
            return (long) n0 * n1 * n2;
        }

        /** Lowest byte offset touched relative to the base, for strides {@code s0, s1, s2}. */
        long low(int s0, int s1, int s2) {
            return Math.min(0, (n0 - 1L) * s0) + Math.min(0, (n1 - 1L) * s1) + Math.min(0, (n2 - 1L) * s2);
        }

        /** One past the highest byte offset touched relative to the base. */
        long high(int s0, int s1, int s2) {
            return Math.max(0, (n0 - 1L) * s0) + Math.max(0, (n1 - 1L) * s1) + Math.max(0, (n2 - 1L) * s2) + esz;
        }

        /**
         * Contiguous DRAM runs in loop order: loop 0 merges into the element when {@code n0 = 1} or
         * {@code ds0 = esz}; loop 1 then merges when {@code n1 = 1} or {@code ds1 = n0·esz}; loop 2
         * likewise with {@code ds2 = n1·n0·esz}. Bursts = elements / merged elements per run.
         */
        long bursts() {
            long runs = elements();
            if (runs == 0) return 0;
            if (n0 != 1 && ds0 != esz) return runs;
            runs /= n0;
            if (n1 != 1 && ds1 != (long) n0 * esz) return runs;
            runs /= n1;
            if (n2 != 1 && ds2 != (long) n1 * n0 * esz) return runs;
            return runs / n2;
        }
    }

    static Params params(RegisterFile r) {
        int esz = r.get(Reg.ESZ);
        if (esz < 1) throw ExecFault.operand("register esz = " + esz + " must be >= 1");
        Params p = new Params(esz, Operands.count(r, Reg.N0), Operands.count(r, Reg.N1), Operands.count(r, Reg.N2),
                r.get(Reg.DS0), r.get(Reg.DS1), r.get(Reg.DS2), r.get(Reg.SS0), r.get(Reg.SS1), r.get(Reg.SS2));
        if (p.elements() > Integer.MAX_VALUE) {
            throw ExecFault.operand("transfer of " + p.elements() + " elements exceeds 2^31 - 1");
        }
        return p;
    }

    /** Executes {@code ld} ({@code load}) or {@code st}. */
    static WorkMetrics run(Insn insn, RegisterFile r, Dram dram, Sram sram, boolean load) {
        Params p = params(r);
        long d = insn.get(F.DRAM);
        long s = insn.get(F.SRAM);
        long elements = p.elements();
        if (elements > 0) {
            long dLo = d + p.low(p.ds0, p.ds1, p.ds2);
            long sLo = s + p.low(p.ss0, p.ss1, p.ss2);
            Operands.range("DRAM", dram, dLo, d + p.high(p.ds0, p.ds1, p.ds2) - dLo, !load, "dram");
            Operands.range("SRAM", sram, sLo, s + p.high(p.ss0, p.ss1, p.ss2) - sLo, load, "sram");
            copy(p, d, s, dram, sram, load);
        }
        long bytes = elements * p.esz;
        return new WorkMetrics(bytes, load ? 0 : bytes, load ? bytes : 0, 0, elements, p.bursts(), null);
    }

    private static void copy(Params p, long d, long s, Dram dram, Sram sram, boolean load) {
        // Rows contiguous on both sides move as one block.
        boolean rows = p.ds0 == p.esz && p.ss0 == p.esz;
        int len = rows ? p.n0 * p.esz : p.esz;
        int inner = rows ? 1 : p.n0;
        for (int i2 = 0; i2 < p.n2; i2++) {
            for (int i1 = 0; i1 < p.n1; i1++) {
                long db = d + (long) i2 * p.ds2 + (long) i1 * p.ds1;
                long sb = s + (long) i2 * p.ss2 + (long) i1 * p.ss1;
                for (int i0 = 0; i0 < inner; i0++) {
                    long da = db + (long) i0 * p.ds0;
                    long sa = sb + (long) i0 * p.ss0;
                    if (load) {
                        dram.copyToSram(da, sram, sa, len);
                    } else {
                        dram.copyFromSram(sram, sa, da, len);
                    }
                }
            }
        }
    }
}
