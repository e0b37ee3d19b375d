package dev.cnnip.debugger;

import dev.cnnip.debugger.Out.Style;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.isa.Disassembler;
import java.util.List;
import java.util.Locale;

/** The views of execution, stop points and help. */
final class Views {
    private Views() {}

    static void stop(Console.Ctx x, Session.Stop s) {
        List<RetireEvent> r = s.retired();
        if (s.kind() == Session.StopKind.INTERRUPTED) x.out.println(""); // past the terminal's echoed ^C
        if (s.kind() == Session.StopKind.STEPPED || s.count() <= 3) {
            if (s.count() > r.size()) x.out.println(x.out.style(Style.DIM, "... " + (s.count() - r.size()) + " more before"));
            for (RetireEvent e : r) x.out.println(retired(x, e));
        } else if (!r.isEmpty()) {
            x.out.println(x.out.style(Style.DIM, s.count() + " instructions; last: ") + retired(x, r.get(r.size() - 1)));
        }
        if (!s.message().isEmpty()) {
            x.out.println(s.kind() == Session.StopKind.FAULT ? x.out.style(Style.ERROR, s.message())
                    : x.out.style(Style.STOP, s.message()));
        }
        MachineState st = x.session.machine().state();
        if (s.kind() != Session.StopKind.STEPPED || st.finished()) {
            x.out.println("at cycle " + st.cycle() + ", " + st.retired() + " instructions retired" + (st.currentLayer() >= 0
                    ? ", in layer " + st.currentLayer() + " '" + x.session.program().layers().get(st.currentLayer()).name() + "'" : ""));
        }
    }

    /** {@code [12] cycle 340..402  ex  pc 45  ex.conv …  (layer 3 'relu2', tile 0)}. */
    static String retired(Console.Ctx x, RetireEvent e) {
        return String.format(Locale.ROOT, "[%d] cycle %d..%d  %-3s pc %-5d %s%s", e.seq(), e.start(), e.end(), e.engine().label(),
                e.pc(), Disassembler.format(e.insn()), x.out.style(Style.DIM, x.session.annotation(e.pc())));
    }

    // ---- stop points ----

    static void added(Console.Ctx x, StopPoint p) {
        x.out.println((p.isWatch() ? "watchpoint " : "breakpoint ") + p.id + ": " + p.describe());
    }

    static void points(Console.Ctx x) {
        if (x.session.points().isEmpty()) {
            x.out.println("no breakpoints or watchpoints");
            return;
        }
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %-11s %-8s %6s  %s", "id", "type", "enabled", "hits", "what")));
        for (StopPoint p : x.session.points()) {
            x.out.println(String.format(Locale.ROOT, "%-4d %-11s %-8s %6d  %s", p.id, p.isWatch() ? "watchpoint" : "breakpoint",
                    p.enabled ? "yes" : "no", p.hits, p.describe()));
        }
    }

    static void help(Console.Ctx x, List<String> a) {
        List<Cmd> cmds = x.console.commands();
        if (a.isEmpty()) {
            x.out.println("commands (help <command> for details; an empty line repeats step, stepi, continue, disas and x):");
            for (Cmd c : cmds) x.out.println(String.format(Locale.ROOT, "  %-62s %s", c.synopsis(), c.summary()));
            return;
        }
        String w = a.get(0).startsWith("x/") ? "x" : a.get(0);
        Cmd c = x.console.find(w);
        x.out.println(c.synopsis() + (c.aliases().isEmpty() ? "" : "   (also: " + String.join(", ", c.aliases()) + ")"));
        x.out.println("  " + c.summary());
        if (!c.details().isEmpty()) x.out.println("  " + c.details());
        for (Cmd s : c.subs()) x.out.println(String.format(Locale.ROOT, "  %-44s %s", c.name() + " " + s.synopsis(), s.summary()));
    }
}
