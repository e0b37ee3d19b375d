package dev.cnnip.compiler.backend;

import java.util.List;

/** One accelerator layer: what it reads and writes, and how it lowers to instructions. */
public interface LayerOp {
    /** Layer name (the ONNX output tensor or node name). */
    String name();

    /** Short operator name for reports ({@code Conv}, {@code MaxPool}, …). */
    String op();

    /** The ONNX nodes this layer implements. */
    List<String> nodes();

    List<TensorRef> inputs();

    List<TensorRef> outputs();

    /** Multiply-accumulates performed (none for data movement and element-wise layers). */
    default long macs() {
        return 0;
    }

    /**
     * Emits the layer's instructions; throws {@link BackendException} when it cannot be placed in an SRAM
     * of {@code sramBytes}.
     */
    void emit(Emitter em, long sramBytes);
}
