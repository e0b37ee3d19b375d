package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.calib.CalibrationOptions;
import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.compiler.frontend.GraphExporter;
import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.prep.FloatGraphPrep;
import dev.cnnip.compiler.prep.OpsetUpgrade;
import dev.cnnip.compiler.prep.Pruner;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training quantization of a float model into QDQ form (a model ONNX Runtime runs): the graph is
 * prepared ({@link FloatGraphPrep}), planned ({@link QuantPlan}), calibrated on the prepared float
 * model in ONNX Runtime, and QuantizeLinear/DequantizeLinear pairs are inserted. Activations are per
 * tensor (uint8 asymmetric by default, int8 option, 16 bits for chosen layers); weights symmetric int8
 * (16-bit for chosen layers) per output channel by default; biases int32 with scale {@code xs · ws[c]}.
 */
public final class QdqQuantizer {
    /**
     * @param activationType    UINT8 (default) or INT8: the 8-bit activation type (16-bit layers use UINT16 or INT16)
     * @param perChannelWeights one weight scale per output channel (default) or one per tensor
     * @param wideActivations   layers (node or output tensor names) whose outputs get 16 bits
     * @param wideWeights       layers whose weights get 16 bits
     * @param ranges            how tensor ranges are calibrated (min/max by default)
     * @param prune             magnitude pruning of the weights before quantization
     */
    public record Options(DType activationType, boolean perChannelWeights, Set<String> wideActivations,
                          Set<String> wideWeights, CalibrationOptions ranges, Pruner.Spec prune) {
        public Options {
            if (activationType != DType.UINT8 && activationType != DType.INT8) {
                throw new IllegalArgumentException("activation type must be uint8 or int8");
            }
            wideActivations = Set.copyOf(wideActivations);
            wideWeights = Set.copyOf(wideWeights);
        }

        public static Options defaults() {
            return new Options(DType.UINT8, true, Set.of(), Set.of(), CalibrationOptions.defaults(), Pruner.Spec.none());
        }

        public Options with16Bit(Set<String> activations, Set<String> weights) {
            return new Options(activationType, perChannelWeights, activations, weights, ranges, prune);
        }

        public Options withRanges(CalibrationOptions m) {
            return new Options(activationType, perChannelWeights, wideActivations, wideWeights, m, prune);
        }

        public Options withActivationType(DType t) {
            return new Options(t, perChannelWeights, wideActivations, wideWeights, ranges, prune);
        }

        public Options withPruning(Pruner.Spec p) {
            return new Options(activationType, perChannelWeights, wideActivations, wideWeights, ranges, p);
        }

        public Options withPerChannelWeights(boolean on) {
            return new Options(activationType, on, wideActivations, wideWeights, ranges, prune);
        }
    }

    /** A calibrated range and the fraction of calibration values outside it. */
    public record TensorRange(float min, float max, double clipped) {}

    /** The quantized model, the prepared float model it derives from, and the per-tensor summary. */
    public record Result(ModelProto model, ModelProto preparedFloat, QuantSummary summary) {}

    private QdqQuantizer() {}

    public static Result quantize(ModelProto model, List<Map<String, Tensor>> calib, Options opts, ProgressReporter progress) {
        if (calib.isEmpty()) throw new IllegalArgumentException("no calibration data");
        Map<String, int[]> shapes = new HashMap<>();
        for (Map.Entry<String, Tensor> e : calib.get(0).entrySet()) shapes.put(e.getKey(), e.getValue().shape());
        Graph g = GraphImporter.importModel(dev.cnnip.compiler.prep.Pool3dLift.run(dev.cnnip.compiler.prep.Pool1dLift.run(model)), shapes);
        FloatGraphPrep.run(g);
        // per-axis DequantizeLinear needs opset 13; HardSwish (which preparation may introduce) 14
        OpsetUpgrade.run(g, g.nodes().stream().anyMatch(n -> n.opType().equals("HardSwish")) ? 14 : 13);
        if (opts.prune().active()) Pruner.run(g, opts.prune());
        QuantPlan plan = QuantPlan.build(g, opts.wideActivations(), opts.wideWeights());
        int opset = Math.max(g.opsets().getOrDefault("", 13), plan.wide.isEmpty() && plan.wideWeights.isEmpty() ? 13 : 21);
        g.opsets().put("", opset);
        ModelProto prepared = GraphExporter.export(g, irVersion(opset), g.opsets(), "cnnip");
        List<String> observed = new ArrayList<>();
        for (String t : plan.quantized) if (!g.value(t).isConstant()) observed.add(t);
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        Calibrator.calibrate(prepared, observed, calib, opts.ranges(), progress == null ? ProgressReporter.NONE : progress)
                .forEach((k, v) -> ranges.put(k, new TensorRange(v.min(), v.max(), v.clippedFraction())));
        for (String t : plan.quantized) {
            if (g.value(t).isConstant()) {
                Tensor c = g.value(t).constant();
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < c.size(); i++) {
                    lo = Math.min(lo, c.getFloat(i));
                    hi = Math.max(hi, c.getFloat(i));
                }
                ranges.put(t, new TensorRange(lo, hi, 0));
            }
        }
        Map<String, float[]> groupRange = new HashMap<>();
        for (String t : plan.quantized) {
            TensorRange r = ranges.get(t);
            float[] gr = groupRange.computeIfAbsent(plan.root(t), k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            gr[0] = Math.min(gr[0], r.min());
            gr[1] = Math.max(gr[1], r.max());
        }
        QdqInserter ins = new QdqInserter(g, plan, opts, groupRange);
        QuantSummary summary = ins.apply(ranges);
        ModelProto q = GraphExporter.export(g, irVersion(opset), g.opsets(), "cnnip");
        return new Result(q, prepared, summary);
    }

    static long irVersion(int opset) {
        return opset >= 21 ? 10 : 8;
    }

    static DType wideOf(DType narrow) {
        return narrow == DType.UINT8 ? DType.UINT16 : DType.INT16;
    }

    /** Parameters for a range at a type: asymmetric over the type's full range. */
    static QParams paramsFor(float[] range, DType t) {
        QuantMath.ScaleZp sz = QuantMath.compute(range[0], range[1], (int) t.min(), (int) t.max(), false);
        return QParams.perTensor(t, sz.scale(), sz.zeroPoint());
    }

    static Value constant(Graph g, String base, Tensor t) {
        String name = g.freshName(base);
        return g.add(Value.constant(name, t));
    }
}
