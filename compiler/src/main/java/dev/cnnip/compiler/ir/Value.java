package dev.cnnip.compiler.ir;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * A named tensor of the graph: element type, shape (null when unknown) and, for initializers and
 * folded constants, its data.
 */
public final class Value {
    private final String name;
    private DType dtype;
    private int[] shape;
    private Tensor constant;

    public Value(String name, DType dtype, int[] shape, Tensor constant) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape == null ? null : shape.clone();
        this.constant = constant;
    }

    public static Value constant(String name, Tensor t) {
        return new Value(name, t.dtype(), t.shape(), t);
    }

    public String name() { return name; }

    public DType dtype() { return dtype; }

    /** The shape, or null when not inferred yet. */
    public int[] shape() { return shape == null ? null : shape.clone(); }

    public boolean hasShape() { return shape != null; }

    public int rank() { return shape.length; }

    public Tensor constant() { return constant; }

    public boolean isConstant() { return constant != null; }

    public void setType(DType dtype, int[] shape) {
        this.dtype = dtype;
        this.shape = shape == null ? null : shape.clone();
    }

    public void setConstant(Tensor t) {
        this.constant = t;
        this.dtype = t.dtype();
        this.shape = t.shape();
    }

    /** Product of dimensions. */
    public long numElements() {
        return Tensor.numElements(shape);
    }

    @Override
    public String toString() {
        return name + ":" + (dtype == null ? "?" : dtype.shortName()) + (shape == null ? "[?]" : Arrays.toString(shape));
    }
}
