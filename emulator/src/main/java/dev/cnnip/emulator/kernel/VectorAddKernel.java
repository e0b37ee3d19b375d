package dev.cnnip.emulator.kernel;

import dev.cnnip.numerics.QAdd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AddKernel#ort} in vector lanes, the same bits as {@link QAdd#ort}: the two fused multiply-adds
 * {@code fma((float) a, rA, fma((float) b, rB, K))} lane by lane (the Vector API's {@code fma} is the IEEE
 * fused operation, like {@code Math.fma}); then {@code clamp(rint(t))} computed as {@code rint(clamp(t))},
 * equal because the bounds are integers and {@code rint} is monotonic, with {@code rint} and the conversion
 * to int as one addition of {@code 1.5·2^23} (see {@link VectorRequantKernel}). A vector with a NaN sum
 * (which {@code QAdd} maps to 0) is done by the scalar loop. Loaded only when {@link Kernels#vector()} is on.
 */
final class VectorAddKernel {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float ROUND = 12582912.0f; // 1.5 · 2^23
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorAddKernel() {}

    static void ort(int[] a, int[] b, int n, float ra, float rb, float k, int qmin, int qmax, int[] out) {
        FloatVector vra = FloatVector.broadcast(F, ra);
        FloatVector vrb = FloatVector.broadcast(F, rb);
        FloatVector vk = FloatVector.broadcast(F, k);
        FloatVector lo = FloatVector.broadcast(F, (float) qmin);
        FloatVector hi = FloatVector.broadcast(F, (float) qmax);
        FloatVector round = FloatVector.broadcast(F, ROUND);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector fa = (FloatVector) IntVector.fromArray(S, a, i).convert(VectorOperators.I2F, 0);
            FloatVector fb = (FloatVector) IntVector.fromArray(S, b, i).convert(VectorOperators.I2F, 0);
            FloatVector t = fa.fma(vra, fb.fma(vrb, vk));
            if (t.compare(VectorOperators.NE, t).anyTrue()) {
                AddKernel.scalar(a, b, i, i + L, ra, rb, k, qmin, qmax, out);
                continue;
            }
            t.max(lo).min(hi).add(round).reinterpretAsInts().sub(ROUND_BITS).intoArray(out, i);
        }
        AddKernel.scalar(a, b, i, n, ra, rb, k, qmin, qmax, out);
    }
}
