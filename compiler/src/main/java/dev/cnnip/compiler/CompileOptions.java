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
 * @param sramResidency true (default): activations that convolutions or element-wise layers write and read stay
 *                      in SRAM from their producer to their last reader that can read SRAM, where it fits
 *                      (the backend's {@code ResidencyPlanner}); false: every layer loads its inputs from DRAM
 * @param keepInDram    true: every layer's output is also written to DRAM (write-through); false (default): a
 *                      resident tensor that is not a graph output lives in SRAM only (symbol kind
 *                      {@code SRAM_ACTIVATION}; the simulator keeps a copy taken when its last writer retires,
 *                      which {@code Machine.readSymbol}, the vector exporter and the debugger read)
 */
public record CompileOptions(HwConfig hw, Numerics numerics, Map<String, int[]> inputShapes,
                             Map<String, Tensor> frozenInputs, boolean sramResidency, boolean keepInDram) {
    public CompileOptions {
        inputShapes = Map.copyOf(inputShapes);
        frozenInputs = Map.copyOf(frozenInputs);
    }

    /** Options with SRAM residency on and resident tensors kept in SRAM only (no write-through to DRAM). */
    public CompileOptions(HwConfig hw, Numerics numerics, Map<String, int[]> inputShapes, Map<String, Tensor> frozenInputs) {
        this(hw, numerics, inputShapes, frozenInputs, true, false);
    }

    /** These options with SRAM residency on or off. */
    public CompileOptions withSramResidency(boolean on) {
        return new CompileOptions(hw, numerics, inputShapes, frozenInputs, on, keepInDram);
    }

    /** These options with every layer's output also written to DRAM, or not. */
    public CompileOptions withKeepInDram(boolean on) {
        return new CompileOptions(hw, numerics, inputShapes, frozenInputs, sramResidency, on);
    }

    public static CompileOptions of(HwConfig hw, Numerics numerics) {
        return new CompileOptions(hw, numerics, Map.of(), Map.of());
    }

    public CompileOptions withFrozenInputs(Map<String, Tensor> frozen) {
        return new CompileOptions(hw, numerics, inputShapes, frozen, sramResidency, keepInDram);
    }

    public CompileOptions withInputShapes(Map<String, int[]> shapes) {
        return new CompileOptions(hw, numerics, shapes, frozenInputs, sramResidency, keepInDram);
    }
}
