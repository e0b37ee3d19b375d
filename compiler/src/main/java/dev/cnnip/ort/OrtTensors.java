package dev.cnnip.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Conversions between {@link Tensor} and ONNX Runtime tensors, by copying the element bytes.
 *
 * <p>Inputs: float32, float16, float64, int8, uint8, int16, int32, int64 and bool. The Java API
 * has no way to create uint16, uint32, uint64 (nor bfloat16, float8, int4, …) tensors.
 *
 * <p>Outputs: any type {@link DType} has, taken from the ONNX type ORT reports for the value. The
 * Java API presents uint16 as int16 (and uint32/uint64 as int32/int64); reading the raw bytes and
 * labelling them with the ONNX type gives the unsigned values, i.e. the signed ones masked with
 * {@code 0xFFFF}.
 */
final class OrtTensors {
    private OrtTensors() {}

    /** The Java API type for creating a tensor of {@code dtype}, or null when it cannot. */
    static OnnxJavaType creatableType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case FLOAT64 -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            case UINT16, UINT32, UINT64 -> null;
        };
    }

    /** A new ORT tensor holding a copy of {@code t}; the caller closes it. */
    static OnnxTensor toOrt(OrtEnvironment env, String name, Tensor t) throws OrtException {
        OnnxJavaType type = creatableType(t.dtype());
        if (type == null) {
            throw new OrtBridgeException("input '" + name + "' is " + t.dtype().shortName()
                    + ", a type the ONNX Runtime Java API cannot create");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(t.data().length).order(ByteOrder.nativeOrder());
        buf.put(toNativeOrder(t.data(), t.dtype().size())).rewind();
        return OnnxTensor.createTensor(env, buf, Arrays.stream(t.shape()).asLongStream().toArray(), type);
    }

    /** A {@link Tensor} copy of an ORT output value. */
    static Tensor fromOrt(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor ot)) {
            throw new OrtBridgeException("output '" + name + "' is a " + value.getType() + ", not a tensor");
        }
        TensorInfo info = ot.getInfo();
        int code = onnxCode(info.onnxType);
        DType dtype = TensorProtos.dtype(code).orElseThrow(() -> new OrtBridgeException("output '" + name
                + "' has type " + TensorProtos.typeName(code) + ", which cannot be converted to a Tensor"));
        ByteBuffer bb = ot.getByteBuffer();
        byte[] data = new byte[bb.remaining()];
        bb.get(data);
        long[] dims = info.getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) shape[i] = Math.toIntExact(dims[i]);
        return new Tensor(dtype, shape, toLittleEndian(data, dtype.size()));
    }

    /**
     * The ONNX {@code TensorProto.DataType} code of an ORT element type. The Java enum's
     * {@code value} is the binding's own numbering, not ONNX's, but its constant names are
     * {@code ONNX_TENSOR_ELEMENT_DATA_TYPE_} + the ONNX name. 0 when unknown.
     */
    static int onnxCode(TensorInfo.OnnxTensorType type) {
        String name = type.name().replaceFirst("^ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        try {
            return TensorProto.DataType.valueOf(name).getNumber();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static byte[] toNativeOrder(byte[] littleEndian, int elemSize) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? littleEndian : swapped(littleEndian, elemSize);
    }

    private static byte[] toLittleEndian(byte[] nativeOrder, int elemSize) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? nativeOrder : swapped(nativeOrder, elemSize);
    }

    /** Reverses the bytes of every element (big-endian hosts only). */
    private static byte[] swapped(byte[] in, int elemSize) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i += elemSize) {
            for (int k = 0; k < elemSize; k++) out[i + k] = in[i + elemSize - 1 - k];
        }
        return out;
    }
}
