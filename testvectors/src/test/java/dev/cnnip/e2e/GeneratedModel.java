package dev.cnnip.e2e;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One generated quantized model.
 *
 * @param name        unique name, also the program's model name
 * @param description what it holds, one line (the catalogue golden file lists it)
 * @param form        QOperator or QDQ
 * @param hw          HwConfig preset it is compiled for
 * @param model       the ONNX model
 * @param inputs      its graph inputs and their value distributions
 * @param seed        seed of its random inputs
 */
record GeneratedModel(String name, String description, ModelWriter.Form form, String hw, ModelProto model,
                      List<InputSpec> inputs, long seed) {
    GeneratedModel {
        inputs = List.copyOf(inputs);
    }

    HwConfig hwConfig() {
        return HwConfig.preset(hw);
    }

    /** The model's random inputs (the same on every call). */
    Map<String, Tensor> randomInputs() {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (InputSpec s : inputs) out.put(s.name(), s.random(rnd));
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
