package dev.cnnip.ort;

import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.tensor.DType;
import java.util.List;
import java.util.Optional;

/**
 * Name, element type and shape of a session input or output, as ONNX Runtime reports them.
 *
 * @param name the graph input or output name
 * @param elemType the ONNX {@code TensorProto.DataType} code; 0 when unknown or not a tensor
 * @param shape dimensions, -1 for a symbolic or unknown one
 */
public record OrtTensorInfo(String name, int elemType, List<Long> shape) {
    public OrtTensorInfo {
        shape = List.copyOf(shape);
    }

    /** The element type as a {@link DType}, when cnnip supports it. */
    public Optional<DType> dtype() {
        return TensorProtos.dtype(elemType);
    }

    /** {@code float32}, {@code uint16}, {@code float8e4m3fn}, … */
    public String typeName() {
        return TensorProtos.typeName(elemType);
    }

    @Override
    public String toString() {
        return name + ":" + typeName() + shape;
    }
}
