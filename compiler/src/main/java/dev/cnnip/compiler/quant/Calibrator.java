package dev.cnnip.compiler.quant;

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
 * as extra graph outputs, and collects each tensor's value range.
 */
public final class Calibrator {
    private Calibrator() {}

    /**
     * @param tensors  names of the tensors to observe
     * @param inputs   calibration items (graph input name to tensor)
     * @param progress called with the number of items done after each item (may be null)
     */
    public static Map<String, RangeStats> minMax(ModelProto model, List<String> tensors, List<Map<String, Tensor>> inputs,
                                                 IntConsumer progress) {
        List<String> exposed = new ArrayList<>();
        for (String t : tensors) {
            if (!isGraphInput(model, t)) exposed.add(t);
        }
        ModelProto probe = OnnxModels.withExtraOutputs(model, exposed);
        Map<String, RangeStats> stats = new LinkedHashMap<>();
        for (String t : tensors) stats.put(t, new RangeStats());
        OrtOptions opts = OrtOptions.defaults().withOptLevel(OrtOptions.OptLevel.BASIC);
        try (OrtRunner ort = OrtRunner.create(probe, opts)) {
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Tensor> feed = inputs.get(i);
                Map<String, Tensor> out = ort.run(feed, exposed);
                for (String t : tensors) {
                    Tensor v = out.containsKey(t) ? out.get(t) : feed.get(t);
                    if (v != null) stats.get(t).add(v, "calibration item " + i + ", tensor '" + t + "'");
                }
                if (progress != null) progress.accept(i + 1);
            }
        }
        return stats;
    }

    private static boolean isGraphInput(ModelProto m, String name) {
        return m.getGraph().getInputList().stream().anyMatch(v -> v.getName().equals(name));
    }
}
