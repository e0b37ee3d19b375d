package dev.cnnip.emulator.kernel;

import dev.cnnip.numerics.QAdd;

/**
 * ONNX Runtime's QLinearAdd ({@code pp.add}, mode f32, B of A's shape) over {@code n} elements:
 * {@code out[i] = QAdd.ort(a[i], b[i], rA, rB, K, qmin, qmax)}. {@link #ort} takes {@link VectorAddKernel}
 * when {@link Kernels#vector()} is on and {@code |qmin|, |qmax| <= 2^22}, else the scalar loop; the same bits.
 */
public final class AddKernel {
    private AddKernel() {}

    /** As the class comment; {@code out} may be {@code a}. */
    public static void ort(int[] a, int[] b, int n, float ra, float rb, float k, int qmin, int qmax, int[] out) {
        if (Kernels.vector() && Math.abs((long) qmin) <= RequantKernel.VECTOR_RANGE
                && Math.abs((long) qmax) <= RequantKernel.VECTOR_RANGE) {
            VectorAddKernel.ort(a, b, n, ra, rb, k, qmin, qmax, out);
        } else {
            scalar(a, b, 0, n, ra, rb, k, qmin, qmax, out);
        }
    }

    /** {@code out[i] = QAdd.ort(a[i], b[i], …)} for {@code from <= i < to}. */
    static void scalar(int[] a, int[] b, int from, int to, float ra, float rb, float k, int qmin, int qmax, int[] out) {
        for (int i = from; i < to; i++) out[i] = QAdd.ort(a[i], b[i], ra, rb, k, qmin, qmax);
    }
}
