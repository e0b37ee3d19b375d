package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.CalibrationDataException;
import dev.cnnip.compiler.calib.CalibrationOptions;
import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.compiler.calib.RangeCollector;
import dev.cnnip.compiler.calib.TensorRange;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs the float model in ONNX Runtime over the calibration inputs with the tensors of interest exposed
 * as extra graph outputs, and collects each tensor's value range. Items are taken from the list one at a
 * time ({@link CalibrationData} loads each on demand), so memory holds one item and its outputs.
 */
public final class Calibrator {
    private Calibrator() {}

    /** Receives one observed tensor value of one item. */
    private interface Sink {
        void accept(String tensor, Tensor value, String what);
    }

    /**
     * The calibrated range of every observed tensor, chosen with {@code options} (min/max, percentile or
     * entropy), in the order of {@code tensors}. A graph input among {@code tensors} is observed as fed.
     *
     * @param tensors  names of the tensors to observe
     * @param items    calibration items (graph input name to tensor)
     * @param progress receives one step per item ({@link ProgressReporter#NONE} for none)
     * @throws CalibrationDataException for an empty item list, bad data, or a NaN or infinite value in an
     *     observed tensor (naming the item's file and the tensor)
     */
    public static Map<String, TensorRange> calibrate(ModelProto model, List<String> tensors, List<Map<String, Tensor>> items,
                                                     CalibrationOptions options, ProgressReporter progress) {
        if (items.isEmpty()) throw new CalibrationDataException("no calibration data");
        Map<String, RangeCollector> collectors = new LinkedHashMap<>();
        for (String t : tensors) collectors.put(t, new RangeCollector(options));
        try (ProgressReporter.Progress p = progress.start("Calibrating (" + options + ")", items.size())) {
            observe(model, tensors, items, (t, v, what) -> collectors.get(t).add(v, what), i -> p.step());
        }
        Map<String, TensorRange> out = new LinkedHashMap<>();
        collectors.forEach((t, c) -> out.put(t, c.result(t)));
        return out;
    }

    /**
     * The running minimum and maximum of every observed tensor.
     *
     * @param tensors  names of the tensors to observe
     * @param inputs   calibration items (graph input name to tensor)
     * @param progress called with the number of items done after each item (may be null)
     */
    public static Map<String, RangeStats> minMax(ModelProto model, List<String> tensors, List<Map<String, Tensor>> inputs,
                                                 IntConsumer progress) {
        Map<String, RangeStats> stats = new LinkedHashMap<>();
        for (String t : tensors) stats.put(t, new RangeStats());
        observe(model, tensors, inputs, (t, v, what) -> stats.get(t).add(v, what), progress);
        return stats;
    }

    /** Runs every item and hands each observed tensor to {@code sink}; {@code done} gets the items done so far. */
    private static void observe(ModelProto model, List<String> tensors, List<Map<String, Tensor>> items, Sink sink, IntConsumer done) {
        List<String> exposed = new ArrayList<>();
        for (String t : tensors) {
            if (!isGraphInput(model, t)) exposed.add(t);
        }
        ModelProto probe = OnnxModels.withExtraOutputs(model, exposed);
        OrtOptions opts = OrtOptions.defaults().withOptLevel(OrtOptions.OptLevel.BASIC);
        try (OrtRunner ort = OrtRunner.create(probe, opts)) {
            int n = items.size();
            for (int i = 0; i < n; i++) {
                Map<String, Tensor> feed = items.get(i);
                Map<String, Tensor> out = ort.run(feed, exposed);
                String item = items instanceof CalibrationData cd ? "calibration item " + i + " (" + cd.where(i) + ")"
                        : "calibration item " + i;
                for (String t : tensors) {
                    Tensor v = out.containsKey(t) ? out.get(t) : feed.get(t);
                    if (v != null) sink.accept(t, v, item + ", tensor '" + t + "'");
                }
                if (done != null) done.accept(i + 1);
            }
        }
    }

    private static boolean isGraphInput(ModelProto m, String name) {
        return m.getGraph().getInputList().stream().anyMatch(v -> v.getName().equals(name));
    }
}
