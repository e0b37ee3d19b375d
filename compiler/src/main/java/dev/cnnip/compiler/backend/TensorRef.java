package dev.cnnip.compiler.backend;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;

/**
 * An activation tensor placed in DRAM: logical (ONNX) shape, physical layout, element type, byte
 * address, and quantization parameters (per tensor, or per channel along {@code axis}) when integer.
 */
public final class TensorRef {
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final Layout layout;
    private final float[] scale;
    private final int[] zeroPoint;
    private final int axis;
    private long address = -1;
    private TensorRef aliasOf;

    public TensorRef(String name, DType dtype, int[] shape, float[] scale, int[] zeroPoint, int axis) {
        this(name, dtype, shape, Layout.forRank(shape.length), scale, zeroPoint, axis);
    }

    /** A tensor with an explicit layout (a rank-4 tensor may be stored row-major, e.g. after an NCHW→NHWC Transpose). */
    public TensorRef(String name, DType dtype, int[] shape, Layout layout, float[] scale, int[] zeroPoint, int axis) {
        if (layout == Layout.NHWC && shape.length != 4) throw new IllegalArgumentException("NHWC needs a rank-4 tensor: " + name);
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.layout = layout;
        this.scale = scale == null ? new float[0] : scale.clone();
        this.zeroPoint = zeroPoint == null ? new int[0] : zeroPoint.clone();
        this.axis = axis;
    }

    public String name() { return name; }

    public DType dtype() { return dtype; }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public Layout layout() { return layout; }

    public int[] physicalShape() { return layout.physical(shape); }

    public float[] scale() { return scale.clone(); }

    public int[] zeroPoint() { return zeroPoint.clone(); }

    public int axis() { return axis; }

    /** Per-tensor scale (the first). */
    public float scale0() { return scale[0]; }

    /** Per-tensor zero point (the first, 0 when none). */
    public int zp0() { return zeroPoint.length == 0 ? 0 : zeroPoint[0]; }

    public long elements() { return Tensor.numElements(shape); }

    public long bytes() { return elements() * dtype.size(); }

    /** DRAM byte address; the alias target's when this tensor is a view of another. */
    public long address() {
        return aliasOf != null ? aliasOf.address() : address;
    }

    public boolean placed() {
        return address() >= 0;
    }

    void place(long addr) {
        this.address = addr;
    }

    /** Makes this tensor a view of {@code target}'s bytes (same physical order). */
    void aliasTo(TensorRef target) {
        this.aliasOf = target;
    }

    public TensorRef aliasOf() {
        return aliasOf;
    }

    @Override
    public String toString() {
        return name + ":" + dtype.shortName() + java.util.Arrays.toString(shape);
    }
}
