package dev.cnnip.debugger;

import dev.cnnip.debugger.Out.Style;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.isa.Disassembler;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Isa;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/** The views of the machine: engines, semaphores, layers, SRAM, disassembly and memory. */
final class MachineViews {
    private MachineViews() {}

    static void engines(Console.Ctx x) {
        MachineState st = x.session.machine().state();
        int next = x.session.machine().peekNext();
        long depth = x.session.program().hwConfig().queueDepth();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %6s  %-24s %-9s %s", "eng", "pc", "head", "queue",
                "state")));
        for (Engine e : Engine.values()) {
            List<MachineState.Queued> q = st.queue(e);
            String head = q.isEmpty() ? "-" : q.get(0).insn().op().mnemonic();
            String state;
            if (q.isEmpty()) {
                state = st.fetchDone() ? "done" : "idle (queue empty)";
            } else {
                Insn insn = q.get(0).insn();
                StringJoiner waits = new StringJoiner(", ");
                for (int s = 0; s < Isa.SEMAPHORES; s++) {
                    if ((insn.waitMask() & (1 << s)) != 0 && st.semaphore(s) <= 0) waits.add("s" + s + "=" + st.semaphore(s));
                }
                state = waits.length() > 0 ? "waiting on " + waits : q.get(0).pc() == next ? "ready (next)" : "ready";
            }
            x.out.println(String.format(Locale.ROOT, "%-4s %6s  %-24s %-9s %s", e.label(), st.pc(e) < 0 ? "-" : Integer.toString(st.pc(e)),
                    head, q.size() + "/" + depth, state));
        }
        x.out.println("fetch pc " + st.fetchPc() + (st.fetchDone() ? " (done)" : "") + ", cycle " + st.cycle() + ", "
                + st.retired() + " retired" + (st.finished() ? ", finished" : ""));
    }

    static void semaphores(Console.Ctx x) {
        MachineState st = x.session.machine().state();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %6s  %s", "sem", "value", "waited on by (queue heads)")));
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            StringJoiner w = new StringJoiner(", ");
            for (Engine e : Engine.values()) {
                List<MachineState.Queued> q = st.queue(e);
                if (!q.isEmpty() && (q.get(0).insn().waitMask() & (1 << s)) != 0) w.add(e.label() + " pc " + q.get(0).pc());
            }
            x.out.println(String.format(Locale.ROOT, "s%-3d %6d  %s", s, st.semaphore(s), w.length() == 0 ? "" : w.toString()).stripTrailing());
        }
    }

    static void layers(Console.Ctx x) {
        Recorder r = x.session.recorder();
        PerfReport perf = x.session.machine().perfReport();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%3s  %-28s %-18s %-8s %10s", "#", "layer", "op", "status", "cycles")));
        for (LayerInfo l : x.session.program().layers()) {
            String status = r.layerEnd[l.index()] >= 0 ? "done" : r.layerBegin[l.index()] >= 0 ? "running" : "pending";
            long cycles = perf.layers().stream().filter(s -> s.index() == l.index()).mapToLong(LayerStats::cycles).findFirst().orElse(0);
            x.out.println(String.format(Locale.ROOT, "%3d  %-28s %-18s %-8s %10d", l.index(), l.name(), l.op(), status, cycles));
        }
    }

    static void sram(Console.Ctx x) {
        Recorder r = x.session.recorder();
        long size = x.session.machine().state().sram().size();
        if (r.sram.isEmpty()) {
            x.out.println("sram: " + size + " bytes; nothing written yet");
            return;
        }
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-23s %8s  %s", "sram range", "bytes", "last written")));
        long used = 0;
        for (Recorder.Region g : r.sram.values()) {
            used += g.end() - g.start();
            x.out.println(String.format(Locale.ROOT, "[0x%06x, 0x%06x) %8d  %s by %s pc %d%s", g.start(), g.end(), g.end() - g.start(),
                    g.what(), x.session.machine().instructions().get(g.pc()).engine().label(), g.pc(), x.session.annotation(g.pc())));
        }
        x.out.println(String.format(Locale.ROOT, "%d of %d bytes hold data (from the ISA footprints of the instructions "
                + "retired so far)", used, size));
    }

    static void disas(Console.Ctx x, List<String> a) {
        List<Insn> code = x.session.machine().instructions();
        int next = x.session.machine().peekNext();
        int n = a.size() > 1 ? (int) Args.count(a.get(1), "count") : 12;
        int from = a.isEmpty() ? Math.max(0, (next < 0 ? code.size() : next) - 3) : Args.pc(x, a.get(0));
        MachineState st = x.session.machine().state();
        Program p = x.session.program();
        SourceEntry shown = null;
        for (int pc = from; pc < Math.min(code.size(), from + n); pc++) {
            Optional<SourceEntry> se = p.sourceFor(pc);
            if (se.isPresent() && se.get() != shown && se.get().layer() >= 0) {
                shown = se.get();
                LayerInfo l = p.layers().get(shown.layer());
                x.out.println(x.out.style(Style.DIM, "; layer " + l.index() + " '" + l.name() + "' (" + l.op() + ")"
                        + (shown.tile() >= 0 ? " tile " + shown.tile() : "")));
            }
            Insn insn = code.get(pc);
            x.out.println(String.format(Locale.ROOT, "%2s %5d  %s", mark(st, pc, insn, next), pc, Disassembler.format(insn)));
        }
    }

    private static String mark(MachineState st, int pc, Insn insn, int next) {
        if (pc == next) return "=>";
        for (MachineState.Queued q : st.queue(insn.engine())) if (q.pc() == pc) return "*";
        if (pc < st.fetchPc()) return "-";
        return "";
    }

    static void examine(Console.Ctx x, List<String> a) {
        String usage = "usage: x/<n><fmt> sram|dram <address|tensor>, e.g. x/32xb sram 0x100";
        if (a.size() != 3) throw new UserError(usage);
        String f = a.get(0);
        int i = 0;
        while (i < f.length() && Character.isDigit(f.charAt(i))) i++;
        long count = i == 0 ? 16 : Args.count(f.substring(0, i), "unit count");
        char fmt = 'x';
        int size = 0;
        for (char ch : f.substring(i).toCharArray()) {
            switch (ch) {
                case 'x', 'd', 'u', 'f' -> fmt = ch;
                case 'b' -> size = 1;
                case 'h' -> size = 2;
                case 'w' -> size = 4;
                default -> throw new UserError("bad format '" + f + "': letters x d u f (format) and b h w (size)");
            }
        }
        if (size == 0) size = fmt == 'f' ? 4 : 1;
        if (fmt == 'f' && size != 4) throw new UserError("format f needs size w (4 bytes)");
        boolean sram = Args.choice(a.get(1), "sram", "dram").equals("sram");
        long addr = Args.address(x, a.get(2), sram);
        MemoryView m = x.session.memory(sram);
        long bytes = count * size;
        if (!m.contains(addr, bytes)) {
            throw new UserError(String.format(Locale.ROOT, "[0x%x, +%d) lies outside %s (%d bytes)", addr, bytes, a.get(1), m.size()));
        }
        int perLine = Math.max(1, 16 / size);
        for (long k = 0; k < count; k += perLine) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s 0x%08x:", a.get(1), addr + k * size));
            for (long j = k; j < Math.min(count, k + perLine); j++) {
                long ad = addr + j * size;
                long v = switch (size) {
                    case 1 -> fmt == 'd' ? m.s8(ad) : m.u8(ad);
                    case 2 -> fmt == 'd' ? m.s16(ad) : m.u16(ad);
                    default -> fmt == 'd' || fmt == 'f' ? m.s32(ad) : m.s32(ad) & 0xFFFF_FFFFL;
                };
                sb.append(' ').append(switch (fmt) {
                    case 'x' -> String.format(Locale.ROOT, "%0" + (2 * size) + "x", v);
                    case 'f' -> String.format(Locale.ROOT, "%.6g", Float.intBitsToFloat((int) v));
                    default -> Long.toString(v);
                });
            }
            x.out.println(sb.toString());
        }
    }
}
