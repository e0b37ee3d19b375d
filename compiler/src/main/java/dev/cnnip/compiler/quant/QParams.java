package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Quantization parameters of an integer tensor: {@code real = scale · (q − zeroPoint)}, per tensor
 * (one value) or per index of {@code axis} (one value per slice).
 */
public record QParams(DType dtype, float[] scale, int[] zeroPoint, int axis) {
    public QParams {
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
        if (scale.length == 0 || scale.length != zeroPoint.length) {
            throw new IllegalArgumentException("scale and zero point counts differ: " + scale.length + " vs " + zeroPoint.length);
        }
    }

    public static QParams perTensor(DType dtype, float scale, int zp) {
        return new QParams(dtype, new float[] {scale}, new int[] {zp}, 0);
    }

    /** From QuantizeLinear/DequantizeLinear-style scale and zero point tensors (zero point may be null). */
    public static QParams of(String what, DType dtype, Tensor scale, Tensor zp, int axis) {
        float[] s = scale.toFloatArray();
        int[] z = new int[s.length];
        if (zp != null) {
            if (zp.size() != s.length) throw new GraphException(what + ": zero point has " + zp.size() + " values, scale " + s.length);
            for (int i = 0; i < z.length; i++) z[i] = (int) zp.getLong(i);
        }
        for (float f : s) {
            if (!(f > 0) || Float.isInfinite(f)) throw new GraphException(what + ": scale " + f + " must be finite and > 0");
        }
        return new QParams(dtype, s, z, s.length == 1 ? 0 : axis);
    }

    public boolean perTensor() {
        return scale.length == 1;
    }

    public float scale0() {
        return scale[0];
    }

    public int zp0() {
        return zeroPoint[0];
    }

    /** Scale of channel {@code c} (per tensor: the one scale). */
    public float scaleOf(int c) {
        return scale.length == 1 ? scale[0] : scale[c];
    }

    public int zpOf(int c) {
        return zeroPoint.length == 1 ? zeroPoint[0] : zeroPoint[c];
    }

    public int qmin() {
        return (int) dtype.min();
    }

    public int qmax() {
        return (int) dtype.max();
    }

    /** Same type, scales and zero points. */
    public boolean sameAs(QParams o) {
        return o != null && dtype == o.dtype && Arrays.equals(scale, o.scale) && Arrays.equals(zeroPoint, o.zeroPoint);
    }

    @Override
    public String toString() {
        return dtype.shortName() + (perTensor() ? " scale " + scale[0] + " zp " + zeroPoint[0]
                : " per-axis " + axis + " (" + scale.length + " scales)");
    }
}
