package dev.cnnip.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Conversions between ONNX {@code TensorProto} messages and {@link Tensor}s, and the {@code .pb}
 * files of the ONNX backend tests (one serialized {@code TensorProto}, no framing).
 *
 * <p>Supported element types are those of {@link DType}: float32, float16, float64, int8/16/32/64,
 * uint8/16/32/64 and bool. Elements may come from {@code raw_data} (little-endian, fixed width) or
 * from the typed field the ONNX schema assigns to the type: {@code float_data} (float32),
 * {@code int32_data} (int8, uint8, int16, uint16, int32, bool, and float16 as its bit pattern),
 * {@code int64_data} (int64), {@code double_data} (float64), {@code uint64_data} (uint32, uint64).
 * Values in {@code int32_data} are truncated to the element width, as the bit patterns they are.
 * Other types (bfloat16, float8, int4/uint4, int2/uint2, float4, complex, string), externally stored
 * and segmented tensors give an {@link OnnxException} naming the tensor and its type.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** The tensor held by {@code tp}; its name only serves error messages. */
    public static Tensor toTensor(TensorProto tp) {
        String label = label(tp);
        if (tp.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tp.getExternalDataCount() > 0) {
            throw new OnnxException(label + " keeps its data in an external file ("
                    + externalLocation(tp) + "), which is not supported");
        }
        if (tp.hasSegment()) {
            throw new OnnxException(label + " is a segment of a larger tensor, which is not supported");
        }
        DType dtype = dtype(tp.getDataType()).orElseThrow(() -> new OnnxException(label + " has type "
                + typeName(tp.getDataType()) + ", which is not supported"));
        int[] shape = shape(tp, label);
        long n = Tensor.numElements(shape);
        if (n * dtype.size() > Integer.MAX_VALUE - 8) {
            throw new OnnxException(label + " of shape " + Arrays.toString(shape) + " is too large");
        }
        int count = (int) n;
        if (tp.hasRawData()) {
            ByteString raw = tp.getRawData();
            if (raw.size() != count * dtype.size()) {
                throw new OnnxException(label + " has " + raw.size() + " bytes of raw_data, but "
                        + dtype.shortName() + Arrays.toString(shape) + " needs " + count * dtype.size());
            }
            return new Tensor(dtype, shape, raw.toByteArray());
        }
        byte[] data = new byte[count * dtype.size()];
        ByteBuffer out = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> {
                checkCount(label, "float_data", tp.getFloatDataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putFloat(tp.getFloatData(i));
            }
            case UINT8, INT8, BOOL -> {
                checkCount(label, "int32_data", tp.getInt32DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.put((byte) tp.getInt32Data(i));
            }
            case UINT16, INT16, FLOAT16 -> {
                checkCount(label, "int32_data", tp.getInt32DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putShort((short) tp.getInt32Data(i));
            }
            case INT32 -> {
                checkCount(label, "int32_data", tp.getInt32DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putInt(tp.getInt32Data(i));
            }
            case INT64 -> {
                checkCount(label, "int64_data", tp.getInt64DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putLong(tp.getInt64Data(i));
            }
            case FLOAT64 -> {
                checkCount(label, "double_data", tp.getDoubleDataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putDouble(tp.getDoubleData(i));
            }
            case UINT32 -> {
                checkCount(label, "uint64_data", tp.getUint64DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putInt((int) tp.getUint64Data(i));
            }
            case UINT64 -> {
                checkCount(label, "uint64_data", tp.getUint64DataCount(), count, shape);
                for (int i = 0; i < count; i++) out.putLong(tp.getUint64Data(i));
            }
        }
        return new Tensor(dtype, shape, data);
    }

    /** A {@code TensorProto} named {@code name} holding {@code t} in {@code raw_data}. */
    public static TensorProto fromTensor(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode());
        for (int d : t.shape()) b.addDims(d);
        return b.setRawData(ByteString.copyFrom(t.data())).build();
    }

    /** Reads a {@code .pb} file holding one serialized {@code TensorProto}. */
    public static TensorProto readProto(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OnnxException(file + ": cannot read: " + e, e);
        }
        try {
            TensorProto tp = TensorProto.parseFrom(bytes);
            if (!tp.hasDataType()) throw new OnnxException(file + ": not a TensorProto file: no data_type");
            return tp;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(file + ": not a TensorProto file: " + e.getMessage(), e);
        }
    }

    /** The tensor in a {@code .pb} file; errors name the file. */
    public static Tensor read(Path file) {
        TensorProto tp = readProto(file);
        try {
            return toTensor(tp);
        } catch (OnnxException e) {
            throw new OnnxException(file + ": " + e.getMessage(), e);
        }
    }

    /** The name stored in a {@code .pb} file (the graph input or output it belongs to). */
    public static String nameOf(Path file) {
        return readProto(file).getName();
    }

    /** Writes {@code t} as a {@code .pb} file named {@code name}, atomically. */
    public static void write(Path file, String name, Tensor t) {
        try {
            AtomicFiles.write(file, fromTensor(name, t).toByteArray());
        } catch (IOException e) {
            // AtomicFiles' errors already read "FILE: cannot write (why)"
            throw new OnnxException(e instanceof java.nio.file.FileSystemException ? e.getMessage()
                    : file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The {@link DType} for an ONNX {@code TensorProto.DataType} code, if supported. */
    public static Optional<DType> dtype(int onnxCode) {
        for (DType t : DType.values()) {
            if (t.onnxCode() == onnxCode) return Optional.of(t);
        }
        return Optional.empty();
    }

    /**
     * A readable name for an ONNX data type code: the {@link DType#shortName()} when supported
     * ({@code float32}, {@code uint8}), else the lower-case ONNX name ({@code float8e4m3fn}), else
     * {@code "data type <code>"}.
     */
    public static String typeName(int onnxCode) {
        Optional<DType> d = dtype(onnxCode);
        if (d.isPresent()) return d.get().shortName();
        TensorProto.DataType e = TensorProto.DataType.forNumber(onnxCode);
        if (e == null) return "data type " + onnxCode;
        if (e == TensorProto.DataType.UNDEFINED) return "undefined";
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static int[] shape(TensorProto tp, String label) {
        int[] shape = new int[tp.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            long d = tp.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new OnnxException(label + " has invalid dimension " + d + " in " + tp.getDimsList());
            }
            shape[i] = (int) d;
        }
        return shape;
    }

    private static void checkCount(String label, String field, int have, int need, int[] shape) {
        if (have != need) {
            throw new OnnxException(label + " has " + have + " values in " + field + ", but shape "
                    + Arrays.toString(shape) + (have == 0 ? " needs " + need + " (no data)" : " needs " + need));
        }
    }

    private static String externalLocation(TensorProto tp) {
        return tp.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                .map(e -> "location " + e.getValue()).findFirst().orElse("no location given");
    }

    static String label(TensorProto tp) {
        return tp.getName().isEmpty() ? "unnamed tensor" : "tensor '" + tp.getName() + "'";
    }
}
