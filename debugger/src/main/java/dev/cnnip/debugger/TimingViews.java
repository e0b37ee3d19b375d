package dev.cnnip.debugger;

import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.timing.PerfText;
import dev.cnnip.isa.Engine;
import dev.cnnip.program.LayerInfo;
import java.util.List;
import java.util.Locale;

/** The timing views: {@code stats} and {@code timeline}. */
final class TimingViews {
    private TimingViews() {}

    static void stats(Console.Ctx x, List<String> a) {
        PerfReport r = x.session.machine().perfReport();
        if (a.isEmpty()) {
            x.out.println(PerfText.render(r).stripTrailing());
            return;
        }
        LayerInfo l = Args.layer(x, Args.one(a, "stats [layer]"));
        LayerStats s = r.layers().stream().filter(ls -> ls.index() == l.index()).findFirst()
                .orElseThrow(() -> new UserError("stats: layer " + l.index() + " '" + l.name() + "' has not run yet"));
        x.out.println(String.format(Locale.ROOT, "layer %d '%s' (%s): %d instructions, cycles %d..%d = %d, %d MACs, %d DRAM bytes",
                l.index(), l.name(), l.op(), s.instructions(), s.start(), s.end(), s.cycles(), s.macs(), s.dramBytes()));
        x.out.println(String.format(Locale.ROOT, "MAC utilisation %.2f %%; roofline: T_mac %d, T_dram %d, bound %d cycles, limited by %s%s",
                100 * s.macUtilisation(), s.tMac(), s.tDram(), s.bound(), s.limit(),
                x.session.recorder().layerEnd[l.index()] < 0 ? " (layer still running: figures so far)" : ""));
    }

    static void timeline(Console.Ctx x, List<String> a) {
        Recorder r = x.session.recorder();
        long t0 = 0;
        long t1 = x.session.machine().state().cycle();
        String title = "whole run so far";
        if (!a.isEmpty()) {
            LayerInfo l = Args.layer(x, Args.one(a, "timeline [layer]"));
            LayerStats s = x.session.machine().perfReport().layers().stream().filter(ls -> ls.index() == l.index()).findFirst()
                    .orElseThrow(() -> new UserError("timeline: layer " + l.index() + " '" + l.name() + "' has not run yet"));
            t0 = s.start();
            t1 = s.end();
            title = "layer " + l.index() + " '" + l.name() + "'";
        }
        if (t1 <= t0) {
            x.out.println("timeline: nothing has run yet");
            return;
        }
        int width = 64;
        double per = (double) (t1 - t0) / width;
        x.out.println(String.format(Locale.ROOT, "%s: cycles %d..%d, %.1f cycles per column ('#' busy over half the column, '+' partly, '.' idle)",
                title, t0, t1, per));
        for (Engine e : Engine.values()) {
            int k = e.ordinal();
            double[] busy = new double[width];
            long total = 0;
            for (int i = 0; i < r.counts[k]; i++) {
                long s = Math.max(t0, r.starts[k][i]);
                long en = Math.min(t1, r.ends[k][i]);
                if (en <= s) continue;
                total += en - s;
                int c0 = (int) Math.min(width - 1, (s - t0) / per);
                int c1 = (int) Math.min(width - 1, (en - 1 - t0) / per);
                for (int c = c0; c <= c1; c++) {
                    double cs = t0 + c * per;
                    double ce = cs + per;
                    busy[c] += Math.min(ce, en) - Math.max(cs, s);
                }
            }
            StringBuilder bar = new StringBuilder();
            for (double b : busy) bar.append(b >= per / 2 ? '#' : b > 0 ? '+' : '.');
            x.out.println(String.format(Locale.ROOT, "%-4s |%s| %5.1f%%", e.label(), bar, 100.0 * total / (t1 - t0)));
        }
    }
}
