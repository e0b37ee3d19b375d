package dev.cnnip.emulator.kernel;

import dev.cnnip.numerics.Quantize;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantKernel#run} in vector lanes, the same bits as {@link Quantize#quantize}: an IEEE division
 * {@code x / scale}, the clamp as {@code max(lo)} then {@code min(hi)} (equal to the scalar comparisons for
 * every non-NaN value) and {@code rint} plus the conversion to int as one addition of {@code 1.5·2^23}
 * (see {@link VectorRequantKernel}). A vector with a NaN quotient (which {@code quantize} maps to the zero
 * point) is done by the scalar loop. Loaded only when {@link Kernels#vector()} is on.
 */
final class VectorQuantKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final float ROUND = 12582912.0f; // 1.5 · 2^23
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorQuantKernel() {}

    static void run(byte[] b, int off, int n, float scale, int zp, int qmin, int qmax, int[] q, int at) {
        FloatVector lo = FloatVector.broadcast(F, (float) (qmin - zp));
        FloatVector hi = FloatVector.broadcast(F, (float) (qmax - zp));
        FloatVector round = FloatVector.broadcast(F, ROUND);
        int back = ROUND_BITS - zp;
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector t = FloatVector.fromByteArray(F, b, off + 4 * i, ByteOrder.LITTLE_ENDIAN).div(scale);
            if (t.compare(VectorOperators.NE, t).anyTrue()) {
                QuantKernel.scalar(b, off + 4 * i, L, scale, zp, qmin, qmax, q, at + i);
                continue;
            }
            t.max(lo).min(hi).add(round).reinterpretAsInts().sub(back).intoArray(q, at + i);
        }
        QuantKernel.scalar(b, off + 4 * i, n - i, scale, zp, qmin, qmax, q, at + i);
    }
}
