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
     * Chooses the layer's tiles for an SRAM of {@code sramBytes} and allocates its buffers from
     * {@code arena}, without emitting anything; the returned emission writes the instructions. The program
     * builder calls it on a probe arena to learn the layer's SRAM need ({@code arena.used()}), then on the
     * arena it places the layer in, and emits once. Throws {@link BackendException} when the layer does
     * not fit.
     */
    Emission lower(SramArena arena, long sramBytes);

    /**
     * {@link #lower(SramArena, long)} knowing which tensors are resident in SRAM; layers that cannot read or
     * write resident tensors ignore it (the program builder only makes a convolution's output resident
     * for a convolution reading it).
     */
    default Emission lower(SramArena arena, long sramBytes, Residency residency) {
        return lower(arena, sramBytes);
    }

    /** The instructions of a lowered layer, with its buffers already placed. */
    @FunctionalInterface
    interface Emission {
        void emit(Emitter em);
    }
}
