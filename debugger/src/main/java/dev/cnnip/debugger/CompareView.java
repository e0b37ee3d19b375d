package dev.cnnip.debugger;

import dev.cnnip.debugger.Out.Style;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code compare}: layer outputs against ONNX Runtime on the quantized and the float model. */
final class CompareView {
    private CompareView() {}

    static void compare(Console.Ctx x, List<String> a) {
        ReferenceProvider ref = x.session.reference();
        if (!ref.hasQuantized() && !ref.hasFloat()) {
            throw new UserError("compare needs a reference model: start with --model FLOAT.onnx and/or --quantized-model Q.onnx");
        }
        Recorder r = x.session.recorder();
        List<LayerInfo> layers = new ArrayList<>();
        if (a.isEmpty() || a.get(0).equals("all")) {
            for (LayerInfo l : x.session.program().layers()) if (r.layerEnd[l.index()] >= 0) layers.add(l);
            if (layers.isEmpty()) throw new UserError("compare: no layer has ended yet (try 'until layer 1' or 'continue')");
        } else {
            LayerInfo l = Args.layer(x, a.get(0));
            if (r.layerEnd[l.index()] < 0) throw new UserError("compare: layer " + l.index() + " '" + l.name() + "' has not ended yet");
            layers.add(l);
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (LayerInfo l : layers) for (String o : l.outputs()) if (x.session.program().symbol(o).isPresent()) names.add(o);
        Map<String, Tensor> q = ref.hasQuantized() ? ref.quantized(names) : Map.of();
        Map<String, Tensor> f = ref.hasFloat() ? ref.floating(names) : Map.of();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%3s  %-26s %-26s %10s %9s %12s", "#", "tensor",
                "vs quantized (ORT)", "SQNR dB", "cosine", "max|err|")));
        TensorMetrics metrics = x.session.metrics();
        for (LayerInfo l : layers) {
            for (String o : l.outputs()) {
                if (!names.contains(o)) continue;
                Symbol s = x.session.program().symbol(o).orElseThrow();
                byte[] atEnd = r.outputsAtEnd.get(o);
                Tensor sim = atEnd != null ? dev.cnnip.emulator.Layouts.toLogical(s, atEnd) : x.session.machine().readSymbol(o);
                String vq = "-";
                Tensor rq = q.get(o);
                if (rq != null) {
                    if (!java.util.Arrays.equals(rq.shape(), sim.shape())) {
                        vq = "shape " + java.util.Arrays.toString(rq.shape());
                    } else {
                        long mism = 0;
                        double max = 0;
                        for (int i = 0; i < sim.size(); i++) {
                            double d = Math.abs(sim.getDouble(i) - rq.getDouble(i));
                            if (d != 0) mism++;
                            max = Math.max(max, d);
                        }
                        vq = mism == 0 ? x.out.style(Style.GOOD, "exact") + " ".repeat(x.out.colour() ? 0 : 0)
                                : x.out.style(Style.ERROR, mism + "/" + sim.size() + " differ, max " + fmt(max));
                    }
                } else if (ref.hasQuantized()) {
                    vq = "(not in model)";
                }
                String sq = "-";
                String cos = "-";
                String mx = "-";
                Tensor rf = f.get(o);
                if (rf != null && rf.size() == sim.size()) {
                    Tensor deq = s.isQuantized() ? TensorText.dequantize(s, sim) : sim;
                    TensorMetrics.Result m = metrics.measure(deq.toFloatArray(), rf.toFloatArray());
                    sq = fmt(m.sqnrDb());
                    cos = String.format(Locale.ROOT, "%.6f", m.cosine());
                    mx = String.format(Locale.ROOT, "%.4g", m.maxAbsErr());
                }
                String plainVq = vq;
                int pad = Math.max(0, 26 - strip(plainVq).length());
                x.out.println(String.format(Locale.ROOT, "%3d  %-26s %s%s %10s %9s %12s", l.index(), o, vq, " ".repeat(pad), sq, cos, mx));
            }
        }
    }

    private static String strip(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    private static String fmt(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
