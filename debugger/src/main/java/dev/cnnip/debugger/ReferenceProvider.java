package dev.cnnip.debugger;

import dev.cnnip.tensor.Tensor;
import java.util.Collection;
import java.util.Map;

/**
 * Reference values for {@code compare}: the same tensors computed by ONNX Runtime, on the same inputs
 * as the simulated run. The debugger module cannot run ONNX Runtime itself (it depends on the emulator
 * and the ISA only); the command line wires an implementation over the compiler's ORT bridge.
 */
public interface ReferenceProvider {
    /** Whether the quantized model (the one the program was compiled from) is available. */
    boolean hasQuantized();

    /** Whether a float model is available. */
    boolean hasFloat();

    /**
     * The program tensors {@code names} as ONNX Runtime computes them on the quantized model: same
     * dtype and logical shape as the program's symbols. Names the model does not define are absent.
     */
    Map<String, Tensor> quantized(Collection<String> names);

    /**
     * The float model's counterparts of the program tensors {@code names} (float32), keyed by the
     * program tensor name: for a tensor {@code T_quantized} the float tensor {@code T}, else the float
     * tensor of the same name. Names without a counterpart are absent.
     */
    Map<String, Tensor> floating(Collection<String> names);

    /** No reference: {@code compare} explains how to give one. */
    ReferenceProvider NONE = new ReferenceProvider() {
        @Override public boolean hasQuantized() { return false; }

        @Override public boolean hasFloat() { return false; }

        @Override public Map<String, Tensor> quantized(Collection<String> names) { return Map.of(); }

        @Override public Map<String, Tensor> floating(Collection<String> names) { return Map.of(); }
    };
}
