package dev.cnnip.verify.compare;

import dev.cnnip.compiler.quant.BitsOverrides;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Program;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Applies a comparison's recommendations: re-quantize with 16-bit overrides and the given calibration data. */
public final class QuantFix {
    private QuantFix() {}

    /** A re-quantized, re-compiled program. */
    public record Built(Program program, ModelProto quantized, Map<String, Double> calibClipped) {}

    /** Quantizes the float model with the caller's calibration data and options plus {@code overrides}, and compiles it. */
    @FunctionalInterface
    public interface Rebuild {
        Built build(BitsOverrides overrides);
    }

    /** Compares a rebuilt program with the float model on the same inputs. */
    @FunctionalInterface
    public interface Evaluate {
        CompareReport compare(Built b);
    }

    /** The 16-bit overrides the program already has (from its layers' widths). */
    public static BitsOverrides existing(CompareReport r) {
        Set<String> a = new LinkedHashSet<>();
        Set<String> w = new LinkedHashSet<>();
        for (LayerView v : r.layers()) {
            if (v.overrideName() == null) continue;
            if (v.bits() == 16) a.add(v.overrideName());
            if (v.weightBits() == 16) w.add(v.overrideName());
        }
        return new BitsOverrides(a, w);
    }

    /** The existing overrides plus every resolution layer's recommendation. */
    public static BitsOverrides recommended(CompareReport r) {
        Set<String> a = new LinkedHashSet<>(existing(r).activations16());
        Set<String> w = new LinkedHashSet<>(existing(r).weights16());
        for (LayerView v : r.layers()) {
            if (v.diagnosis() != Diagnosis.RESOLUTION) continue;
            a.addAll(v.widenActivations());
            w.addAll(v.widenWeights());
        }
        return new BitsOverrides(a, w);
    }

    /** Rebuilds with the recommendations and compares again. */
    public static FixReport fix(CompareReport before, String calibration, Rebuild rebuild, Evaluate evaluate) {
        BitsOverrides o = recommended(before);
        boolean recalibrate = before.layers().stream().anyMatch(v -> v.diagnosis() == Diagnosis.CALIBRATION);
        Built b = rebuild.build(o);
        CompareReport after = evaluate.compare(b);
        return new FixReport(calibration, recalibrate, o, FixReport.Outcome.of(before), FixReport.Outcome.of(after), after, b);
    }
}
