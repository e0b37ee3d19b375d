package dev.cnnip.verify.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link CompareReport} as one self-contained HTML page: inline CSS and SVG only (no scripts, no network):
 * the summary, an SQNR-by-layer chart (accumulated and isolated), the per-layer table, the diagnoses, the fix's
 * before and after (with both SQNR curves), the auto-precision Pareto table, and per layer a scatter plot of
 * float against dequantized ISS values with the y = x line and a histogram of the float values with the
 * calibrated range marked.
 */
public final class CompareHtml {
    private static final int SW = 260;
    private static final int SH = 220;

    private CompareHtml() {}

    public static String write(CompareReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cnnip compare: ")
                .append(esc(r.program())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:16px;color:#222}table{border-collapse:collapse;font-size:12px}")
                .append("td,th{border:1px solid #ccc;padding:2px 5px;text-align:right}td.l,th.l{text-align:left}")
                .append("tr.d-calibration td{background:#fff1d6}tr.d-resolution td{background:#fde0e0}")
                .append(".cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ccc;padding:6px;font-size:12px}")
                .append(".card h4{margin:2px 0 4px 0;font-size:13px}svg text{font-size:10px;font-family:sans-serif}")
                .append(".ok{color:#1a7f37}.bad{color:#b00020}.warn{color:#9a6700}\n</style></head><body>\n");
        sb.append("<h1>Quantization comparison</h1>\n<p>Program <b>").append(esc(r.program())).append("</b> against float model <b>")
                .append(esc(r.floatModel())).append("</b> on ").append(r.items()).append(" input").append(r.items() == 1 ? "" : "s")
                .append(".</p>\n<ul>");
        for (OutputView o : r.outputs()) {
            sb.append("<li>output <b>").append(esc(o.name())).append("</b>: SQNR ").append(CompareText.db(o.figures().sqnrDb()))
                    .append(" dB, cosine ").append(f("%.5f", o.figures().cosine())).append("</li>");
        }
        if (!Double.isNaN(r.top1())) sb.append("<li>top-1 ").append(f("%.2f%%", 100 * r.top1())).append(" (float ")
                .append(f("%.2f%%", 100 * r.floatTop1())).append(")</li>");
        sb.append("<li>cost: ").append(esc(CompareText.cost(r.cost()))).append("</li>");
        if (!r.isolatedNote().isEmpty()) sb.append("<li>isolated figures: ").append(esc(r.isolatedNote())).append("</li>");
        sb.append("<li>bit_exact: ").append(esc(r.bitExactNote().isEmpty() ? "compared with ONNX Runtime on the quantized model"
                : r.bitExactNote())).append("</li></ul>\n");

        sb.append("<h2>SQNR by layer</h2>\n");
        List<String> names = r.layers().stream().map(LayerView::name).toList();
        List<double[]> series = new ArrayList<>();
        series.add(r.layers().stream().mapToDouble(v -> v.accumulated().sqnrDb()).toArray());
        series.add(r.layers().stream().mapToDouble(v -> v.isolated().sqnrDb()).toArray());
        sqnrChart(sb, names, series, new String[] {"accumulated", "isolated"}, new String[] {"#1f77b4", "#ff7f0e"},
                r.layers().stream().map(v -> v.diagnosis()).toList());

        sb.append("<h2>Layers</h2>\n<table><tr><th>#</th><th class=l>tensor</th><th class=l>op</th><th>bits</th><th>scale</th>")
                .append("<th>zp</th><th>calibrated range</th><th>seen range</th><th>saturated</th><th>SQNR dB</th>")
                .append("<th>isolated dB</th><th>cosine</th><th>RMSE/scale</th><th>max abs error</th><th>bit-exact</th>")
                .append("<th class=l>diagnosis</th></tr>\n");
        for (LayerView v : r.layers()) {
            sb.append("<tr class=d-").append(v.diagnosis().key()).append("><td>").append(v.index()).append("</td><td class=l>")
                    .append(esc(v.name())).append("</td><td class=l>").append(esc(v.op())).append("</td><td>").append(v.bits())
                    .append("</td><td>").append(f("%.5g", v.scale())).append("</td><td>").append(v.zeroPoint()).append("</td><td>")
                    .append(f("[%.4g, %.4g]", v.calibMin(), v.calibMax())).append("</td><td>")
                    .append(f("[%.4g, %.4g]", v.seenMin(), v.seenMax())).append("</td><td>").append(f("%.2f%%", 100 * v.saturated()))
                    .append("</td><td>").append(CompareText.db(v.accumulated().sqnrDb())).append("</td><td>")
                    .append(CompareText.db(v.isolated().sqnrDb())).append("</td><td>").append(f("%.5f", v.accumulated().cosine()))
                    .append("</td><td>").append(f("%.3f", v.accumulated().rmseOverScale())).append("</td><td>")
                    .append(f("%.4g", v.accumulated().maxAbsError())).append("</td><td>")
                    .append(v.bitExact() == null ? "-" : v.bitExact() ? "yes" : "<b class=bad>NO</b>").append("</td><td class=l>")
                    .append(v.diagnosis().key()).append("</td></tr>\n");
        }
        sb.append("</table>\n<h2>Diagnosis</h2>\n");
        if (r.flagged().isEmpty()) sb.append("<p class=ok>Every layer ok.</p>\n");
        else {
            sb.append("<ul>");
            for (LayerView v : r.flagged()) {
                sb.append("<li><b>").append(esc(v.name())).append("</b> (").append(esc(v.op())).append("): <b class=")
                        .append(v.diagnosis() == Diagnosis.CALIBRATION ? "warn" : "bad").append(">").append(v.diagnosis().key())
                        .append("</b>: ").append(esc(v.reason())).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        r.fix().ifPresent(fx -> fix(sb, r, fx));
        r.autoPrecision().ifPresent(a -> auto(sb, a));

        sb.append("<h2>Per layer: float against ISS, and the float values against the calibrated range</h2>\n<div class=cards>\n");
        for (LayerView v : r.layers()) {
            sb.append("<div class=card><h4>").append(v.index()).append(" ").append(esc(v.name())).append(" (").append(esc(v.op()))
                    .append(", ").append(v.bits()).append(" bits) <span class=").append(v.diagnosis() == Diagnosis.OK ? "ok" : "bad")
                    .append(">").append(v.diagnosis().key()).append("</span></h4>");
            scatter(sb, v);
            histogram(sb, v);
            sb.append("</div>\n");
        }
        sb.append("</div>\n</body></html>\n");
        return sb.toString();
    }

    private static void fix(StringBuilder sb, CompareReport r, FixReport fx) {
        sb.append("<h2>Fix: before and after</h2>\n<p>Re-quantized with ").append(esc(fx.calibration()))
                .append(fx.recalibrated() ? " (recalibration)" : "").append("; 16-bit activations: ")
                .append(esc(names(fx.overrides().activations16()))).append("; 16-bit weights: ")
                .append(esc(names(fx.overrides().weights16()))).append(".</p>\n");
        sb.append("<table><tr><th></th><th>output SQNR dB</th><th>top-1</th><th>cycles</th><th>SRAM bytes</th><th>DRAM bytes moved</th>")
                .append("<th>DRAM footprint</th></tr>\n");
        for (Object[] row : new Object[][] {{"before", fx.before()}, {"after", fx.after()}}) {
            FixReport.Outcome o = (FixReport.Outcome) row[1];
            sb.append("<tr><td class=l>").append(row[0]).append("</td><td>").append(CompareText.db(o.outputSqnrDb())).append("</td><td>")
                    .append(Double.isNaN(o.top1()) ? "-" : f("%.2f%%", 100 * o.top1())).append("</td><td>").append(o.cost().cycles())
                    .append("</td><td>").append(o.cost().sramBytes()).append("</td><td>").append(o.cost().dramBytes())
                    .append("</td><td>").append(o.cost().dramFootprint()).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        List<String> names = r.layers().stream().map(LayerView::name).toList();
        double[] after = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            final String n = names.get(i);
            after[i] = fx.afterReport().layer(n).map(v -> v.accumulated().sqnrDb()).orElse(Double.NaN);
        }
        List<double[]> series = new ArrayList<>();
        series.add(r.layers().stream().mapToDouble(v -> v.accumulated().sqnrDb()).toArray());
        series.add(after);
        sqnrChart(sb, names, series, new String[] {"before", "after"}, new String[] {"#888888", "#2ca02c"},
                r.layers().stream().map(v -> v.diagnosis()).toList());
    }

    private static void auto(StringBuilder sb, AutoPrecision.Result a) {
        sb.append("<h2>Auto-precision to ").append(f("%.1f", a.targetDb())).append(" dB: ")
                .append(a.reached() ? "<span class=ok>reached</span>" : "<span class=bad>not reached</span>").append("</h2>\n")
                .append("<table><tr><th>step</th><th>cycles</th><th>output SQNR dB</th><th>16-bit layers</th><th class=l>widened</th></tr>\n");
        for (AutoPrecision.Step s : a.steps()) {
            sb.append("<tr><td>").append(s.step()).append("</td><td>").append(s.cycles()).append("</td><td>")
                    .append(CompareText.db(s.sqnrDb())).append("</td><td>").append(s.widened()).append("</td><td class=l>")
                    .append(esc(s.added().isEmpty() ? "(start)" : String.join(", ", s.added()))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** SQNR per layer: one polyline per series, points coloured by diagnosis, layer names below. */
    private static void sqnrChart(StringBuilder sb, List<String> names, List<double[]> series, String[] labels, String[] colours,
                                  List<Diagnosis> diag) {
        int n = Math.max(1, names.size());
        int left = 44;
        int step = Math.max(8, Math.min(28, 1300 / n));
        int w = left + step * n + 20;
        int h = 320;
        int plotH = 200;
        double max = 10;
        for (double[] s : series) for (double v : s) if (Double.isFinite(v)) max = Math.max(max, v);
        max = Math.ceil(max / 10) * 10;
        double min = 0;
        for (double[] s : series) for (double v : s) if (Double.isFinite(v)) min = Math.min(min, v);
        min = Math.floor(min / 10) * 10;
        final double lo = min;
        final double hi = max;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h).append("\">");
        for (double y = lo; y <= hi; y += 10) {
            double py = 10 + plotH * (1 - (y - lo) / (hi - lo));
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", left, py, w - 10, py));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>", left - 4, py + 3, y));
        }
        sb.append(f("<text x=\"4\" y=\"%d\" transform=\"rotate(-90 10 %d)\">SQNR dB</text>", 120, 120));
        for (int k = 0; k < series.size(); k++) {
            StringBuilder pts = new StringBuilder();
            double[] s = series.get(k);
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) continue;
                double px = left + step * (i + 0.5);
                double py = 10 + plotH * (1 - (s[i] - lo) / (hi - lo));
                pts.append(f("%.1f,%.1f ", px, py));
                String c = diag.get(i) == Diagnosis.OK ? colours[k] : diag.get(i) == Diagnosis.CALIBRATION ? "#d08c00" : "#d62728";
                sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", px, py, c));
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(colours[k]).append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
            sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", left + 10 + 110 * k, h - 14, colours[k]));
            sb.append(f("<text x=\"%d\" y=\"%d\">%s</text>", left + 24 + 110 * k, h - 5, labels[k]));
        }
        for (int i = 0; i < names.size(); i++) {
            double px = left + step * (i + 0.5);
            sb.append(f("<text x=\"%.1f\" y=\"%d\" transform=\"rotate(60 %.1f %d)\">%s</text>", px, plotH + 18, px, plotH + 18,
                    esc(cutName(names.get(i)))));
        }
        sb.append("</svg>\n");
    }

    /** Float (x) against dequantized ISS (y) with the y = x line. */
    private static void scatter(StringBuilder sb, LayerView v) {
        float[] x = v.scatter().reference();
        float[] y = v.scatter().tested();
        double lo = Math.min(v.calibMin(), v.seenMin());
        double hi = Math.max(v.calibMax(), v.seenMax());
        for (int i = 0; i < x.length; i++) {
            lo = Math.min(lo, Math.min(x[i], y[i]));
            hi = Math.max(hi, Math.max(x[i], y[i]));
        }
        if (!(hi > lo)) hi = lo + 1;
        int m = 30;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SW).append("\" height=\"").append(SH).append("\">");
        sb.append(f("<rect x=\"%d\" y=\"5\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", m, SW - m - 5, SH - m - 5));
        double sx = (SW - m - 5) / (hi - lo);
        double sy = (SH - m - 5) / (hi - lo);
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"5\" stroke=\"#2ca02c\" stroke-dasharray=\"4 3\"/>", m, SH - m, SW - 5));
        for (int i = 0; i < x.length; i++) {
            sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.3\" fill=\"#1f77b4\" fill-opacity=\"0.5\"/>", m + (x[i] - lo) * sx,
                    SH - m - (y[i] - lo) * sy));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\">%.3g</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>", m, SH - m + 12, lo,
                SW - 5, SH - m + 12, hi));
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">float (x) vs ISS (y), SQNR %s dB</text></svg>", SW / 2, SH - 4,
                CompareText.db(v.accumulated().sqnrDb())));
    }

    /** Histogram of float values with the calibrated range as red lines and the values beyond counted at the edges. */
    private static void histogram(StringBuilder sb, LayerView v) {
        Histogram h = v.histogram();
        long[] c = h.counts();
        long max = 1;
        for (long k : c) max = Math.max(max, k);
        int m = 30;
        double bw = (double) (SW - m - 5) / c.length;
        int plotH = SH - m - 15;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SW).append("\" height=\"").append(SH).append("\">");
        for (int i = 0; i < c.length; i++) {
            // square-root height keeps sparse tails visible next to a tall peak
            double bh = plotH * Math.sqrt((double) c[i] / max);
            sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7f7f7f\"/>", m + i * bw, 10 + plotH - bh,
                    Math.max(0.5, bw - 0.5), bh));
        }
        double span = h.hi() - h.lo();
        for (double edge : new double[] {v.calibMin(), v.calibMax()}) {
            double px = m + (edge - h.lo()) / span * (SW - m - 5);
            sb.append(f("<line x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"1.5\"/>", px, px, 10 + plotH));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\">%.3g</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>", m, SH - m + 2,
                h.lo(), SW - 5, SH - m + 2, h.hi()));
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">float values, red: calibrated range</text>", SW / 2, SH - 16));
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d beyond below, %d beyond above</text></svg>", SW / 2, SH - 4,
                h.below(), h.above()));
    }

    private static String names(java.util.Set<String> s) {
        return s.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(s));
    }

    private static String cutName(String s) {
        return s.length() <= 22 ? s : s.substring(0, 21) + "…";
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
