package dev.cnnip.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense tensor: element type, shape (row-major, C order) and little-endian element bytes.
 *
 * <p>The byte array is owned by the tensor; accessors read and write it in place. Element index
 * {@code i} is the row-major linear index. Integer element types are read as {@code long} (exact for
 * every supported type but UINT64 above 2^63) and floating types as {@code double}.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final byte[] data;
    private final ByteBuffer buf;

    /** Wraps {@code data} (not copied); its length must be {@code numElements(shape) * dtype.size()}. */
    public Tensor(DType dtype, int[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = numElements(shape);
        if ((long) data.length != n * dtype.size()) {
            throw new IllegalArgumentException("tensor data has " + data.length + " bytes, shape "
                    + Arrays.toString(shape) + " of " + dtype.shortName() + " needs " + n * dtype.size());
        }
        this.data = data;
        this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return new Tensor(dtype, shape, new byte[Math.toIntExact(numElements(shape) * dtype.size())]);
    }

    public static Tensor ofFloats(int[] shape, float... values) {
        Tensor t = zeros(DType.FLOAT32, shape);
        for (int i = 0; i < values.length; i++) t.setDouble(i, values[i]);
        return t;
    }

    public static Tensor ofLongs(DType dtype, int[] shape, long... values) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) t.setLong(i, values[i]);
        return t;
    }

    /** Product of the dimensions; 1 for a scalar (empty shape). */
    public static long numElements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    public DType dtype() { return dtype; }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public int dim(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }

    public int size() { return (int) numElements(shape); }

    /** The backing little-endian bytes (not a copy). */
    public byte[] data() { return data; }

    /** Element {@code i} as a long (integer types) or the truncated value (float types). */
    public long getLong(int i) {
        return switch (dtype) {
            case UINT8, BOOL -> data[i] & 0xFF;
            case INT8 -> data[i];
            case UINT16 -> buf.getShort(i * 2) & 0xFFFF;
            case INT16 -> buf.getShort(i * 2);
            case INT32 -> buf.getInt(i * 4);
            case UINT32 -> buf.getInt(i * 4) & 0xFFFF_FFFFL;
            case INT64, UINT64 -> buf.getLong(i * 8);
            case FLOAT32, FLOAT16, FLOAT64 -> (long) getDouble(i);
        };
    }

    /** Element {@code i} as an int; integer types of at most 32 bits only. */
    public int getInt(int i) {
        return (int) getLong(i);
    }

    /** Element {@code i} as a double (float types exactly; integer types converted). */
    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> buf.getFloat(i * 4);
            case FLOAT64 -> buf.getDouble(i * 8);
            case FLOAT16 -> Half.toFloat(buf.getShort(i * 2));
            default -> getLong(i);
        };
    }

    /** Element {@code i} of a FLOAT32 tensor (or any type converted to float). */
    public float getFloat(int i) {
        return dtype == DType.FLOAT32 ? buf.getFloat(i * 4) : (float) getDouble(i);
    }

    /** Stores {@code v} into element {@code i}, truncating to the element width (no saturation). */
    public void setLong(int i, long v) {
        switch (dtype) {
            case UINT8, INT8, BOOL -> data[i] = (byte) v;
            case UINT16, INT16 -> buf.putShort(i * 2, (short) v);
            case INT32, UINT32 -> buf.putInt(i * 4, (int) v);
            case INT64, UINT64 -> buf.putLong(i * 8, v);
            case FLOAT32, FLOAT16, FLOAT64 -> setDouble(i, v);
        }
    }

    /** Stores {@code v} into element {@code i}; float types round to nearest, integer types truncate. */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> buf.putFloat(i * 4, (float) v);
            case FLOAT64 -> buf.putDouble(i * 8, v);
            case FLOAT16 -> buf.putShort(i * 2, Half.fromFloat((float) v));
            default -> setLong(i, (long) v);
        }
    }

    /** A tensor with the same bytes and a new shape of the same element count. */
    public Tensor reshape(int... newShape) {
        if (numElements(newShape) != numElements(shape)) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(newShape));
        }
        return new Tensor(dtype, newShape, data);
    }

    public Tensor copy() {
        return new Tensor(dtype, shape, data.clone());
    }

    /** All elements as floats (converted). */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        return out;
    }

    /** All elements as longs (integer types). */
    public long[] toLongArray() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    /** Same dtype, shape and bytes. */
    public boolean contentEquals(Tensor o) {
        return dtype == o.dtype && Arrays.equals(shape, o.shape) && Arrays.equals(data, o.data);
    }

    @Override
    public String toString() {
        return dtype.shortName() + Arrays.toString(shape);
    }
}
