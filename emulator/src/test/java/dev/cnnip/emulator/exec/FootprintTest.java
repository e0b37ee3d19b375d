package dev.cnnip.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.check.FootprintGuard;
import dev.cnnip.emulator.mem.AccessGuard;
import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.Assembler;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Opcode;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ISA table's footprint rules against the executor: for one instruction of every opcode that
 * touches memory (several for the modes that change the footprint), the ranges the executor checks
 * before touching memory are exactly the declared ones, and an access the footprint does not declare
 * faults.
 */
class FootprintTest {
    /** Register setup (SET lines) and the instruction, per case. */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        CASES.put("ld", new String[] {"ld.set esz=4 n0=3\nld.set n1=2 ds0=8\nld.set ds1=-100 ss0=4\nld.set ss1=12",
            "ld dram=0x200 sram=0x40"});
        CASES.put("st", new String[] {"st.set esz=2 n0=5\nst.set ds0=2 ss0=6", "st dram=0x300 sram=0x10"});
        CASES.put("ex.conv", new String[] {"ex.set ih=4 iw=5\nex.set ic=3 oh=2\nex.set ow=3 oc=4\nex.set kh=3 kw=3\n"
            + "ex.set gic=3 goc=4\nex.set wza=0x900", "ex.conv x=0x0 w=0x100 acc=0x400 xt=u8 wt=s8 accum=1 a64=0 wzpv=1"});
        CASES.put("ex.conv (a64, overwrite)", new String[] {"ex.set ih=4 iw=5\nex.set ic=3 oh=2\nex.set ow=3 oc=4\n"
            + "ex.set kh=3 kw=3\nex.set gic=3 goc=4", "ex.conv x=0x0 w=0x100 acc=0x400 xt=s16 wt=s16 accum=0 a64=1 wzpv=0"});
        CASES.put("pp.requant", new String[] {"pp.set n=3 c=5\npp.set apitch=7 opitch=6",
            "pp.requant acc=0x0 prm=0x200 out=0x300 ot=u8 mode=f32 a64=0"});
        CASES.put("pp.quant", new String[] {"pp.set n=10 c=2\npp.set inner=5", "pp.quant src=0x0 prm=0x100 dst=0x200 ot=s16"});
        CASES.put("pp.dequant", new String[] {"pp.set n=10 c=2\npp.set inner=5", "pp.dequant src=0x0 prm=0x100 dst=0x200 it=u8"});
        CASES.put("pp.maxpool", new String[] {"pp.set ih=4 iw=4\npp.set c=3 oh=2\npp.set ow=2 kh=2\npp.set kw=2 sh=2\npp.set sw=2",
            "pp.maxpool src=0x0 dst=0x100 dt=s16"});
        CASES.put("pp.avgpool", new String[] {"pp.set ih=4 iw=4\npp.set c=3 oh=2\npp.set ow=2 kh=2\npp.set kw=2 sh=2\n"
            + "pp.set sw=2 xs=f:0.5\npp.set ys=f:0.25", "pp.avgpool src=0x0 dst=0x100 dt=u8"});
        CASES.put("pp.add", new String[] {"pp.set n=12", "pp.add a=0x0 b=0x100 dst=0x200 at=u8 bt=s16 ot=s8 mode=f32 bscalar=0"});
        CASES.put("pp.add (bmod)", new String[] {"pp.set n=12 bmod=3", "pp.add a=0x0 b=0x100 dst=0x200 at=u8 bt=u8 ot=u8 mode=f32 bscalar=1"});
        CASES.put("pp.mul (scalar)", new String[] {"pp.set n=12", "pp.mul a=0x0 b=0x100 dst=0x200 at=u8 bt=u8 ot=u8 mode=f32 bscalar=1"});
        CASES.put("pp.lut", new String[] {"pp.set n=9", "pp.lut src=0x0 tbl=0x100 dst=0x400 it=s8 ot=s16"});
        CASES.put("pp.lut (16-bit input)", new String[] {"pp.set n=9", "pp.lut src=0x0 tbl=0x100 dst=0x40000 it=u16 ot=u8"});
        CASES.put("pp.softmax", new String[] {"pp.set n=3 c=7\npp.set yinv=f:256", "pp.softmax src=0x0 exp=0x100 dst=0x600 dt=u8"});
        CASES.put("pp.softmaxf", new String[] {"pp.set n=3 c=7\npp.set xs=f:0.001 ys=f:0.0001", "pp.softmaxf src=0x0 dst=0x100 it=s16 ot=u16"});
        CASES.put("pp.lrn", new String[] {"pp.set n=4 c=6\npp.set lsize=5 xs=f:0.5\npp.set ys=f:0.25 lbias=f:1", "pp.lrn src=0x0 dst=0x100 it=u8 ot=s16"});
    }

    /** Records what the executor checks. */
    private record Seen(MemAccess.Space space, boolean write, String what, long start, long end) {}

    private static Set<Seen> executed(Sram sram, Dram dram, Executor ex, Map<Engine, RegisterFile> regs, Insn insn) {
        Set<Seen> seen = new HashSet<>();
        sram.guard((a, l, w, what) -> seen.add(new Seen(MemAccess.Space.SRAM, w, what, a, a + l)) ? null : null);
        dram.guard((a, l, w, what) -> seen.add(new Seen(MemAccess.Space.DRAM, w, what, a, a + l)) ? null : null);
        ex.execute(insn, regs.get(insn.engine()));
        return seen;
    }

    private static Map<Engine, RegisterFile> files() {
        Map<Engine, RegisterFile> m = new EnumMap<>(Engine.class);
        for (Engine e : Engine.values()) m.put(e, new RegisterFile(e));
        return m;
    }

    @Test
    void everyRuleDeclaresExactlyWhatTheExecutorChecks() {
        Set<Opcode> covered = new HashSet<>();
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            Sram sram = new Sram(1 << 20);
            Dram dram = new Dram(1 << 16);
            Executor ex = new Executor(dram, sram);
            Map<Engine, RegisterFile> regs = files();
            for (Insn set : Assembler.assemble(c.getValue()[0])) ex.execute(set, regs.get(set.engine()));
            Insn insn = Assembler.parseLine(c.getValue()[1], 1);
            Footprint fp = insn.op().footprint(insn, regs.get(insn.engine())::get);
            Set<Seen> declared = new HashSet<>();
            for (MemAccess a : fp.accesses()) declared.add(new Seen(a.space(), a.write(), a.operand(), a.start(), a.end()));
            Set<Seen> seen = executed(sram, dram, ex, regs, insn);
            // ex.conv reads the accumulators it adds to without a separate check: the write check covers them.
            if (insn.op() == Opcode.EX_CONV && insn.flag(dev.cnnip.isa.F.ACCUM)) {
                declared.removeIf(s -> s.what().equals("acc") && !s.write());
            }
            assertEquals(declared, seen, c.getKey());
            covered.add(insn.op());
        }
        for (Opcode o : Opcode.values()) {
            boolean touches = !o.footprintRule().reads().isEmpty() || !o.footprintRule().writes().isEmpty();
            assertEquals(touches, covered.contains(o), o.mnemonic() + ": a footprint case exists iff the rule touches memory");
        }
    }

    @Test
    void theConvolutionRuleCountsTheAccumulatorsItAddsTo() {
        Insn insn = Assembler.parseLine("ex.conv x=0x0 w=0x100 acc=0x400 xt=u8 wt=u8 accum=1", 1);
        Footprint fp = insn.op().footprint(insn, files().get(Engine.EX)::get);
        assertEquals(List.of("SRAM read x [0x0, 0x1)", "SRAM read w [0x100, 0x101)", "SRAM read acc [0x400, 0x404)",
                "SRAM write acc [0x400, 0x404)"), fp.accesses().stream().map(MemAccess::toString).toList());
    }

    @Test
    void anAccessOutsideTheDeclaredFootprintFaults() {
        Sram sram = new Sram(1 << 16);
        Dram dram = new Dram(1 << 16);
        Executor ex = new Executor(dram, sram);
        Map<Engine, RegisterFile> regs = files();
        FootprintGuard guard = new FootprintGuard();
        sram.guard(guard.sram());
        dram.guard(guard.dram());
        Insn set8 = Assembler.parseLine("pp.set n=8", 1);
        Insn add = Assembler.parseLine("pp.add a=0x0 b=0x100 dst=0x200 at=u8 bt=u8 ot=u8", 1);
        ex.execute(Assembler.parseLine("pp.set n=4", 1), regs.get(Engine.PP));
        // The footprint of n = 4, then the registers change under it: the executor's first range leaves it.
        guard.arm(add.op().footprint(add, regs.get(Engine.PP)::get));
        ex.execute(set8, regs.get(Engine.PP));
        ExecFault f = assertThrows(ExecFault.class, () -> ex.execute(add, regs.get(Engine.PP)));
        assertEquals(ExecFault.Cause.FOOTPRINT, f.kind());
        assertEquals("SRAM read of a [0x0, 0x8) outside the instruction's declared footprint (a: [0x0, 0x4))", f.getMessage());
        // An operand the footprint does not name at all.
        guard.arm(new Footprint(List.of(new MemAccess(MemAccess.Space.SRAM, false, "a", 0, 8))));
        f = assertThrows(ExecFault.class, () -> ex.execute(add, regs.get(Engine.PP)));
        assertEquals("SRAM read of b [0x100, 0x108) outside the instruction's declared footprint (no SRAM read of b declared)",
                f.getMessage());
        assertEquals(0, sram.u8(0x200), "a faulting instruction writes nothing");
        guard.disarm();
        ex.execute(add, regs.get(Engine.PP));
        AccessGuard none = AccessGuard.NONE;
        assertTrue(none.check(0, 1, true, "x") == null);
    }
}
