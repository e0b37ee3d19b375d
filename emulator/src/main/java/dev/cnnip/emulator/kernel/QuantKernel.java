package dev.cnnip.emulator.kernel;

import dev.cnnip.numerics.Quantize;

/**
 * QuantizeLinear ({@code pp.quant}) of a run of float32 values that share one scale and zero point:
 * {@code q[at + i] = Quantize.quantize(x_i, scale, zp, qmin, qmax)} for the {@code n} little-endian
 * floats at {@code b[off …]}. {@link #run} takes {@link VectorQuantKernel} when {@link Kernels#vector()} is
 * on and {@code |qmin − zp|, |qmax − zp| <= 2^22}, else the scalar loop; the same bits either way.
 */
public final class QuantKernel {
    private QuantKernel() {}

    /** As the class comment; {@code b[off, off + 4n)} must lie in {@code b}. */
    public static void run(byte[] b, int off, int n, float scale, int zp, int qmin, int qmax, int[] q, int at) {
        long lo = (long) qmin - zp;
        long hi = (long) qmax - zp;
        if (Kernels.vector() && Math.abs(lo) <= RequantKernel.VECTOR_RANGE && Math.abs(hi) <= RequantKernel.VECTOR_RANGE) {
            VectorQuantKernel.run(b, off, n, scale, zp, qmin, qmax, q, at);
        } else {
            scalar(b, off, n, scale, zp, qmin, qmax, q, at);
        }
    }

    /** The scalar loop: {@link Quantize#quantize} per element. */
    public static void scalar(byte[] b, int off, int n, float scale, int zp, int qmin, int qmax, int[] q, int at) {
        for (int i = 0; i < n; i++) q[at + i] = Quantize.quantize(f32(b, off + 4 * i), scale, zp, qmin, qmax);
    }

    static float f32(byte[] b, int o) {
        return Float.intBitsToFloat((b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | b[o + 3] << 24);
    }
}
