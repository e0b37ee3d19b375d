package dev.cnnip.emulator.timing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link PerfReport} as aligned text tables (engines, then layers with a total row). */
public final class PerfText {
    private PerfText() {}

    public static String render(PerfReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "hw %s (%s), %s MHz, %d MACs/cycle, %d DRAM bytes/cycle, %s%n",
                r.hwName(), r.hwHash().substring(0, Math.min(12, r.hwHash().length())), num(r.clockMhz()),
                r.peakMacsPerCycle(), r.dramBytesPerCycle(), r.mode()));
        LayerStats t = r.total();
        sb.append(String.format(Locale.ROOT,
                "%d cycles (%.3f us), %d instructions, %d MACs, %d DRAM bytes, MAC utilisation %.2f %%, bound %d (%s)%n",
                r.totalCycles(), r.micros(), r.instructions(), t.macs(), t.dramBytes(), 100 * t.macUtilisation(),
                t.bound(), t.limit()));
        sb.append(String.format(Locale.ROOT,
                "%.1f frames/s, %.3f effective TOPS; ideal bound %d cycles (%s; %d compulsory DRAM bytes), %.2fx the ideal%n",
                r.fps(), r.effectiveTops(), r.idealBound(), r.idealLimit(), r.compulsoryBytes(), r.idealRatio()));
        if (r.convLayers() > 0) {
            sb.append(String.format(Locale.ROOT, "conv layers: %d, cycles/bound over them (min, p25, median, p75, p90, max):%n",
                    r.convLayers()));
            spread(sb, "own span", r.convBoundRatio());
            spread(sb, "attributed", r.convAttributedRatio());
            sb.append(String.format("  (attributed: the cycles the run spends on the layer, from the latest end of the layers"
                    + " before it; they sum to the total)%n"));
        }
        sb.append(String.format("%n"));
        List<String[]> eng = new ArrayList<>();
        eng.add(new String[] {"engine", "instr", "busy", "idle", "busy%", "stall.sem", "stall.fetch", "stall.dram",
                "stall.order", "free"});
        for (EngineStats e : r.engines()) {
            eng.add(new String[] {e.engine(), l(e.instructions()), l(e.busy()), l(e.idle()),
                    pct(r.totalCycles() == 0 ? 0 : (double) e.busy() / r.totalCycles()), l(e.stallSemaphore()),
                    l(e.stallFetch()), l(e.stallDram()), l(e.stallOrder()), l(e.free())});
        }
        table(sb, eng, 0);
        sb.append('\n');
        List<String[]> lay = new ArrayList<>();
        lay.add(new String[] {"layer", "name", "instr", "start", "end", "cycles", "MACs", "DRAM bytes", "util%",
                "T_mac", "T_dram", "bound", "limit", "T_sram", "map%", "x bound", "attributed", "x bound attr"});
        for (LayerStats s : r.layers()) lay.add(row(s));
        lay.add(row(t));
        table(sb, lay, 0, 1, 12);
        return sb.toString();
    }

    private static String[] row(LayerStats s) {
        return new String[] {s.index() < 0 ? "-" : Integer.toString(s.index()), s.name(), l(s.instructions()),
                l(s.start()), l(s.end()), l(s.cycles()), l(s.macs()), l(s.dramBytes()), pct(s.macUtilisation()),
                l(s.tMac()), l(s.tDram()), l(s.bound()), s.limit().label(), l(s.tSram()), pct(s.mappingEfficiency()),
                String.format(Locale.ROOT, "%.2f", s.boundRatio()), l(s.attributedCycles()),
                String.format(Locale.ROOT, "%.2f", s.attributedRatio())};
    }

    /** Left-aligns the text columns {@code left}, right-aligns the rest (numbers). */
    private static void table(StringBuilder sb, List<String[]> rows, int... left) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(w[i] - r[i].length());
                line.append(contains(left, i) ? r[i] + pad : pad + r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static String l(long v) {
        return Long.toString(v);
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%.2f", 100 * f);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void spread(StringBuilder sb, String what, RatioSpread s) {
        sb.append(String.format(Locale.ROOT, "  %-10s  %.2f  %.2f  %.2f  %.2f  %.2f  %.2f%n", what, s.min(), s.p25(),
                s.median(), s.p75(), s.p90(), s.max()));
    }
}
