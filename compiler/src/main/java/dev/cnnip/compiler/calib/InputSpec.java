package dev.cnnip.compiler.calib;

import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a model input accepts: element type and shape. A dimension of {@code -1} is unknown (symbolic or
 * absent in the model) and accepts any size; a {@code null} shape means the rank is unknown too.
 *
 * @param name  the graph input name
 * @param dtype its element type
 * @param shape its dimensions, {@code -1} for unknown ones, or {@code null} when the rank is unknown
 */
public record InputSpec(String name, DType dtype, int[] shape) {
    public InputSpec {
        shape = shape == null ? null : shape.clone();
    }

    /** An input of fully known shape. */
    public static InputSpec of(String name, DType dtype, int... shape) {
        return new InputSpec(name, dtype, shape);
    }

    /**
     * The graph inputs that are not initializers, in graph order.
     *
     * @throws CalibrationDataException for an input whose element type no tensor here can hold
     */
    public static Map<String, InputSpec> of(ModelProto model) {
        GraphProto g = model.getGraph();
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) initializers.add(t.getName());
        Map<String, InputSpec> out = new LinkedHashMap<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (initializers.contains(vi.getName())) continue;
            int code = vi.getType().getTensorType().getElemType();
            DType dtype = TensorProtos.dtype(code).orElseThrow(() -> new CalibrationDataException("model input '"
                    + vi.getName() + "' has type " + TensorProtos.typeName(code) + ", which calibration data cannot feed"));
            int[] shape = null;
            if (vi.getType().getTensorType().hasShape()) {
                TensorShapeProto sp = vi.getType().getTensorType().getShape();
                shape = new int[sp.getDimCount()];
                for (int i = 0; i < shape.length; i++) {
                    TensorShapeProto.Dimension d = sp.getDim(i);
                    shape[i] = d.hasDimValue() && d.getDimValue() >= 0 && d.getDimValue() <= Integer.MAX_VALUE
                            ? (int) d.getDimValue() : -1;
                }
            }
            out.put(vi.getName(), new InputSpec(vi.getName(), dtype, shape));
        }
        return out;
    }

    @Override
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    /** Whether {@code got} has this input's rank and every known dimension. */
    public boolean accepts(int[] got) {
        if (shape == null) return true;
        if (got.length != shape.length) return false;
        for (int i = 0; i < got.length; i++) {
            if (shape[i] >= 0 && shape[i] != got[i]) return false;
        }
        return true;
    }

    /** Type and shape as in messages: {@code float32[1,3,?,?]} ({@code float32[…]} when the rank is unknown). */
    public String describe() {
        return dtype.shortName() + dims(shape);
    }

    /** Dimensions as {@code [1,3,?,?]}. */
    static String dims(int[] d) {
        if (d == null) return "[…]";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(d[i] < 0 ? "?" : Integer.toString(d[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && name.equals(s.name) && dtype == s.dtype && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "'" + name + "' " + describe();
    }
}
