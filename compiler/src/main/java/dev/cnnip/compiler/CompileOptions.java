package dev.cnnip.compiler;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.Numerics;
import dev.cnnip.tensor.Tensor;
import java.util.Map;

/**
 * Options of one compilation.
 *
 * @param hw           the target machine
 * @param numerics     requantization arithmetic: {@code ORT} (bit-exact with ONNX Runtime) or {@code HW}
 * @param inputShapes  shapes for graph inputs with symbolic dimensions
 * @param frozenInputs graph inputs to bind as constants (weights and scales that a test feeds as inputs)
 * @param sramResidency true (default): a convolution's output that only the next convolution reads also stays
 *                      in SRAM and is read from there; false: every layer loads its input from DRAM. Every
 *                      layer's output is written to DRAM either way.
 */
public record CompileOptions(HwConfig hw, Numerics numerics, Map<String, int[]> inputShapes,
                             Map<String, Tensor> frozenInputs, boolean sramResidency) {
    public CompileOptions {
        inputShapes = Map.copyOf(inputShapes);
        frozenInputs = Map.copyOf(frozenInputs);
    }

    /** Options with SRAM residency on. */
    public CompileOptions(HwConfig hw, Numerics numerics, Map<String, int[]> inputShapes, Map<String, Tensor> frozenInputs) {
        this(hw, numerics, inputShapes, frozenInputs, true);
    }

    /** These options with SRAM residency on or off. */
    public CompileOptions withSramResidency(boolean on) {
        return new CompileOptions(hw, numerics, inputShapes, frozenInputs, on);
    }

    public static CompileOptions of(HwConfig hw, Numerics numerics) {
        return new CompileOptions(hw, numerics, Map.of(), Map.of());
    }

    public CompileOptions withFrozenInputs(Map<String, Tensor> frozen) {
        return new CompileOptions(hw, numerics, inputShapes, frozen, sramResidency);
    }

    public CompileOptions withInputShapes(Map<String, int[]> shapes) {
        return new CompileOptions(hw, numerics, shapes, frozenInputs, sramResidency);
    }
}
