package dev.cnnip.verify.compare;

import java.util.Locale;

/** A {@link CompareReport} as the terminal table, the diagnoses in words, and the fix or auto-precision tables. */
public final class CompareText {
    private CompareText() {}

    public static String write(CompareReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s against %s on %d input%s%n%n", r.program(), r.floatModel(), r.items(),
                r.items() == 1 ? "" : "s"));
        sb.append(String.format(Locale.ROOT, "%3s  %-28s %-9s %4s %11s %6s %23s %23s %7s %8s %8s %8s %7s %10s %5s  %s%n",
                "#", "tensor", "op", "bits", "scale", "zp", "calibrated range", "seen range", "satur.", "SQNR", "isolated",
                "cosine", "rmse/s", "max error", "exact", "diagnosis"));
        for (LayerView v : r.layers()) {
            sb.append(String.format(Locale.ROOT, "%3d  %-28s %-9s %4d %11.5g %6d %23s %23s %6.2f%% %8s %8s %8.5f %7.3f %10.4g %5s  %s%n",
                    v.index(), cut(v.name(), 28), cut(v.op(), 9), v.bits(), v.scale(), v.zeroPoint(),
                    range(v.calibMin(), v.calibMax()), range(v.seenMin(), v.seenMax()), 100 * v.saturated(),
                    db(v.accumulated().sqnrDb()), db(v.isolated().sqnrDb()), v.accumulated().cosine(),
                    v.accumulated().rmseOverScale(), v.accumulated().maxAbsError(),
                    v.bitExact() == null ? "-" : v.bitExact() ? "yes" : "NO", v.diagnosis().key()));
        }
        sb.append('\n');
        for (OutputView o : r.outputs()) {
            sb.append(String.format(Locale.ROOT, "output %-24s SQNR %s dB, cosine %.5f%s%n", o.name(), db(o.figures().sqnrDb()),
                    o.figures().cosine(), r.outputs().size() > 1 && o.name().equals(r.output().name()) ? "  (worst)" : ""));
        }
        if (!Double.isNaN(r.top1())) {
            sb.append(String.format(Locale.ROOT, "top-1: %.2f%% on the simulator, %.2f%% float%n", 100 * r.top1(), 100 * r.floatTop1()));
        }
        sb.append(String.format(Locale.ROOT, "cost: %s%n", cost(r.cost())));
        if (!r.isolatedNote().isEmpty()) sb.append("isolated: ").append(r.isolatedNote()).append('\n');
        if (!r.bitExactNote().isEmpty()) sb.append("bit_exact: ").append(r.bitExactNote()).append('\n');
        else {
            long exact = r.layers().stream().filter(v -> Boolean.TRUE.equals(v.bitExact())).count();
            sb.append(String.format(Locale.ROOT, "bit_exact: %d of %d layers equal ONNX Runtime on the quantized model%s%n", exact,
                    r.layers().size(), exact == r.layers().size() ? "" : " (a simulator or compiler defect, not quantization error)"));
        }
        if (r.flagged().isEmpty()) {
            sb.append("diagnosis: every layer ok\n");
        } else {
            sb.append("\ndiagnosis:\n");
            for (LayerView v : r.flagged()) {
                sb.append(String.format(Locale.ROOT, "  %s (layer %d, %s): %s: %s%n", v.name(), v.index(), v.op(),
                        v.diagnosis().key(), v.reason()));
            }
        }
        r.fix().ifPresent(f -> {
            sb.append(String.format(Locale.ROOT, "%nfix: re-quantized with %s%s; 16-bit activations: %s; 16-bit weights: %s%n",
                    f.calibration(), f.recalibrated() ? " (recalibration)" : "", list(f.overrides().activations16()),
                    list(f.overrides().weights16())));
            sb.append(String.format(Locale.ROOT, "  %-7s %10s %8s %12s %14s %14s %14s%n", "", "SQNR (dB)", "top-1", "cycles",
                    "SRAM bytes", "DRAM bytes", "DRAM footprint"));
            outcome(sb, "before", f.before());
            outcome(sb, "after", f.after());
            FixReport.Outcome b = f.before();
            FixReport.Outcome a = f.after();
            sb.append(String.format(Locale.ROOT, "  gain %+.2f dB for %+d cycles (%+.1f%%), %+d SRAM bytes, %+d DRAM bytes moved%n",
                    a.outputSqnrDb() - b.outputSqnrDb(), a.cost().cycles() - b.cost().cycles(),
                    100.0 * (a.cost().cycles() - b.cost().cycles()) / Math.max(1, b.cost().cycles()),
                    a.cost().sramBytes() - b.cost().sramBytes(), a.cost().dramBytes() - b.cost().dramBytes()));
        });
        r.autoPrecision().ifPresent(a -> {
            sb.append(String.format(Locale.ROOT, "%nauto-precision to %.1f dB: %s (%d of %d widenable layers at 16 bits)%n",
                    a.targetDb(), a.reached() ? "reached" : "NOT reached", a.overrides().activations16().size(), a.candidates()));
            sb.append(String.format(Locale.ROOT, "  %4s %10s %10s %8s  %s%n", "step", "cycles", "SQNR (dB)", "16-bit", "widened"));
            for (AutoPrecision.Step s : a.steps()) {
                sb.append(String.format(Locale.ROOT, "  %4d %10d %10s %8d  %s%n", s.step(), s.cycles(), db(s.sqnrDb()), s.widened(),
                        s.added().isEmpty() ? "(start)" : String.join(", ", s.added())));
            }
        });
        return sb.toString();
    }

    private static void outcome(StringBuilder sb, String what, FixReport.Outcome o) {
        sb.append(String.format(Locale.ROOT, "  %-7s %10s %8s %12d %14d %14d %14d%n", what, db(o.outputSqnrDb()),
                Double.isNaN(o.top1()) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * o.top1()), o.cost().cycles(),
                o.cost().sramBytes(), o.cost().dramBytes(), o.cost().dramFootprint()));
    }

    static String cost(Cost c) {
        return String.format(Locale.ROOT, "%d cycles, %d SRAM bytes accessed, %d DRAM bytes moved, %d bytes of DRAM", c.cycles(),
                c.sramBytes(), c.dramBytes(), c.dramFootprint());
    }

    static String db(double v) {
        if (Double.isNaN(v)) return "-";
        if (v == Double.POSITIVE_INFINITY) return "inf";
        if (v == Double.NEGATIVE_INFINITY) return "-inf";
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String range(double lo, double hi) {
        return String.format(Locale.ROOT, "[%.4g, %.4g]", lo, hi);
    }

    private static String list(java.util.Collection<String> s) {
        return s.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(s));
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
