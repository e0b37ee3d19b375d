package dev.cnnip.verify;

import dev.cnnip.tensor.DType;

/**
 * How one layer's output on the simulator compares with ONNX Runtime's value of the same tensor.
 *
 * @param layer      layer index
 * @param name       layer name
 * @param op         layer operator
 * @param tensor     the compared tensor (the layer's output)
 * @param dtype      its element type
 * @param shape      its logical shape
 * @param elements   element count
 * @param mismatches elements that differ
 * @param maxAbsDiff largest absolute difference (in codes for integer tensors)
 */
public record LayerMatch(int layer, String name, String op, String tensor, DType dtype, int[] shape, long elements,
                         long mismatches, double maxAbsDiff) {
    public boolean exact() {
        return mismatches == 0;
    }

    /** Whether every element is within {@code lsb} of the reference. */
    public boolean within(double lsb) {
        return maxAbsDiff <= lsb;
    }
}
