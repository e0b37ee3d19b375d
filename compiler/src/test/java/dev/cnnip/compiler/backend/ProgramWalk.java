package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a compiled program back the way the engines see it, independently of the compiler's tiling code:
 * per engine, the registers in force at each instruction (from their reset values, through the engine's
 * {@code set} instructions in program order), and for each {@code st} the DRAM bytes it writes by the
 * DMA definition (element of {@code esz} bytes at {@code dram + i0·ds0 + i1·ds1 + i2·ds2} for
 * {@code i0 < n0, i1 < n1, i2 < n2}).
 */
final class ProgramWalk {
    /** One data instruction with its layer and the registers of its engine at that point. */
    record Step(int pc, int layer, Insn insn, Map<Reg, Integer> regs) {}

    private static final java.util.Set<Opcode> SETS = java.util.EnumSet.of(Opcode.LD_SET, Opcode.EX_SET, Opcode.PP_SET, Opcode.ST_SET);

    private ProgramWalk() {}

    static List<Step> steps(Program p) {
        List<Insn> code = InsnCodec.decodeAll(p.code());
        Map<Engine, Map<Reg, Integer>> regs = new EnumMap<>(Engine.class);
        for (Engine e : Engine.values()) {
            Map<Reg, Integer> m = new EnumMap<>(Reg.class);
            for (Reg r : Reg.of(e)) m.put(r, r.reset());
            regs.put(e, m);
        }
        List<Step> out = new ArrayList<>();
        for (int pc = 0; pc < code.size(); pc++) {
            Insn insn = code.get(pc);
            Map<Reg, Integer> m = regs.get(insn.engine());
            if (SETS.contains(insn.op())) {
                m.put(insn.reg1(), insn.u(F.V1));
                if (insn.reg2() != null) m.put(insn.reg2(), insn.u(F.V2));
                continue;
            }
            int layer = p.sourceFor(pc).map(SourceEntry::layer).orElse(-1);
            out.add(new Step(pc, layer, insn, Map.copyOf(m)));
        }
        return out;
    }

    /** How many instructions of each opcode each layer has (layer index → opcode → count). */
    static Map<Integer, Map<Opcode, Integer>> counts(Program p) {
        Map<Integer, Map<Opcode, Integer>> out = new HashMap<>();
        for (Step s : steps(p)) out.computeIfAbsent(s.layer(), k -> new EnumMap<>(Opcode.class)).merge(s.insn().op(), 1, Integer::sum);
        return out;
    }

    /** {first, one past the last} SRAM byte a {@code ld} or {@code st} step touches, from its SRAM address and strides. */
    static long[] sramExtent(Step s) {
        Map<Reg, Integer> r = s.regs();
        long lo = s.insn().get(F.SRAM);
        long hi = lo + r.get(Reg.ESZ);
        Reg[] n = {Reg.N0, Reg.N1, Reg.N2};
        Reg[] ss = {Reg.SS0, Reg.SS1, Reg.SS2};
        long start = lo;
        for (int i = 0; i < 3; i++) {
            long ext = (long) (r.get(n[i]) - 1) * r.get(ss[i]);
            if (ext < 0) lo += ext; else hi += ext;
        }
        return new long[] {Math.min(lo, start), hi};
    }

    /** Times each DRAM byte in {@code [base, base + bytes)} is written by the {@code st} instructions of {@code layer}; -1 marks a write outside. */
    static int[] storeCoverage(Program p, int layer, long base, long bytes) {
        int[] hits = new int[(int) bytes];
        for (Step s : steps(p)) {
            if (s.layer() != layer || s.insn().op() != Opcode.ST) continue;
            Map<Reg, Integer> r = s.regs();
            long dram = s.insn().get(F.DRAM);
            int esz = r.get(Reg.ESZ);
            for (int i2 = 0; i2 < r.get(Reg.N2); i2++) {
                for (int i1 = 0; i1 < r.get(Reg.N1); i1++) {
                    for (int i0 = 0; i0 < r.get(Reg.N0); i0++) {
                        long a = dram + (long) i0 * r.get(Reg.DS0) + (long) i1 * r.get(Reg.DS1) + (long) i2 * r.get(Reg.DS2);
                        for (int k = 0; k < esz; k++) {
                            long off = a + k - base;
                            if (off < 0 || off >= bytes) return new int[] {-1};
                            hits[(int) off]++;
                        }
                    }
                }
            }
        }
        return hits;
    }
}
