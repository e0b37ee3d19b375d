package dev.cnnip.emulator.kernel;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RequantKernel#ortRow} with {@code jdk.incubator.vector}, the same bits:
 * <ul>
 * <li>{@code acc + bias} wraps as int32 in lanes as in scalar code;</li>
 * <li>the lane conversion int → float ({@code I2F}) rounds to nearest even like {@code (float)};</li>
 * <li>the product is one IEEE binary32 multiplication, as in scalar code;</li>
 * <li>clamping with {@code max(lo)} then {@code min(hi)} equals {@code if (v < lo) v = lo; if (v > hi) v = hi}
 *     for every non-NaN {@code v} (a {@code −0.0} that {@code max} turns into {@code +0.0} rounds to the same
 *     integer 0);</li>
 * <li>{@code rint} and the float → int conversion are one addition of {@code C = 1.5·2^23}: for
 *     {@code |v| <= 2^22} the sum lies in {@code [2^23, 2^24]}, where binary32 has a unit spacing, so the
 *     addition rounds {@code v} to the nearest integer, ties to even (C is even), exactly as {@code Math.rint};
 *     the integer is then {@code floatBits(v + C) − floatBits(C)}.</li>
 * </ul>
 * Preconditions the caller ({@link RequantKernel#ort}) checks, falling back to the scalar loop otherwise:
 * every multiplier is finite (so no lane is NaN: {@code (float) int} is finite, a finite product at most
 * overflows to ±∞, which the clamp handles like scalar code) and {@code |qmin − ozp|, |qmax − ozp| <= 2^22}.
 * JDK 17 intrinsifies all of these lane operations (its compiler does not intrinsify the float → int lane
 * conversion, which is why it is avoided).
 */
final class VectorRequantKernel {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 4));
    /** Int lanes per vector. */
    static final int LANES = L;
    private static final float ROUND = 12582912.0f; // 1.5 · 2^23
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorRequantKernel() {}

    /**
     * A whole tile of {@code total} accumulators in one pass: element {@code i} has channel parameters
     * {@code bias[i mod period]}, {@code mult[i mod period]} ({@code period} a multiple of the vector length,
     * the caller's parameters repeated to it), {@code q[i]} as {@link RequantKernel#ortRow}; under the class
     * comment's preconditions.
     */
    static void ortFlat(int[] acc, int total, int[] bias, int[] mult, int period, int ozp, int qmin, int qmax, int[] q) {
        float lo = (float) (qmin - ozp);
        float hi = (float) (qmax - ozp);
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        FloatVector round = FloatVector.broadcast(F, ROUND);
        int back = ROUND_BITS - ozp;
        int i = 0;
        int ch = 0;
        for (; i + L <= total; i += L) {
            IntVector a = IntVector.fromArray(S, acc, i).add(IntVector.fromArray(S, bias, ch));
            FloatVector m = IntVector.fromArray(S, mult, ch).reinterpretAsFloats();
            FloatVector v = ((FloatVector) a.convert(VectorOperators.I2F, 0)).mul(m).max(vlo).min(vhi);
            v.add(round).reinterpretAsInts().sub(back).intoArray(q, i);
            ch += L;
            if (ch == period) ch = 0;
        }
        for (; i < total; i++, ch++) {
            float v = (float) (acc[i] + bias[ch]) * Float.intBitsToFloat(mult[ch]);
            if (v < lo) v = lo;
            if (v > hi) v = hi;
            q[i] = (int) Math.rint(v) + ozp;
        }
    }

    /**
     * {@link #ortFlat} straight from and to SRAM bytes: accumulator i is the little-endian int32 at
     * {@code src[so + 4·i]}, and the low 8 bits of {@code q[i]} go to {@code dst[d + i]}. Element by element
     * each vector's accumulators are loaded before its outputs are stored, so {@code dst} may overlap the
     * accumulators when {@code d <= so} (the outputs trail the reads); the caller checks that.
     */
    static void ortFlat8(byte[] src, int so, int total, int[] bias, int[] mult, int period, int ozp, int qmin, int qmax,
                         byte[] dst, int d) {
        float lo = (float) (qmin - ozp);
        float hi = (float) (qmax - ozp);
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        FloatVector round = FloatVector.broadcast(F, ROUND);
        int back = ROUND_BITS - ozp;
        int i = 0;
        int ch = 0;
        for (; i + L <= total; i += L) {
            IntVector a = IntVector.fromByteArray(S, src, so + 4 * i, ByteOrder.LITTLE_ENDIAN)
                    .add(IntVector.fromArray(S, bias, ch));
            FloatVector m = IntVector.fromArray(S, mult, ch).reinterpretAsFloats();
            FloatVector v = ((FloatVector) a.convert(VectorOperators.I2F, 0)).mul(m).max(vlo).min(vhi);
            ((ByteVector) v.add(round).reinterpretAsInts().sub(back).convertShape(VectorOperators.I2B, B, 0))
                    .intoArray(dst, d + i);
            ch += L;
            if (ch == period) ch = 0;
        }
        for (; i < total; i++, ch++) {
            int acc = (int) Tiles.I32.get(src, so + 4 * i);
            float v = (float) (acc + bias[ch]) * Float.intBitsToFloat(mult[ch]);
            if (v < lo) v = lo;
            if (v > hi) v = hi;
            dst[d + i] = (byte) ((int) Math.rint(v) + ozp);
        }
    }

    /** As {@link RequantKernel#ortRow}, under the class comment's preconditions. */
    static void ortRow(int[] acc, int[] bias, int[] mult, int c, int ozp, int qmin, int qmax, int[] q, int at) {
        float lo = (float) (qmin - ozp);
        float hi = (float) (qmax - ozp);
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        FloatVector round = FloatVector.broadcast(F, ROUND);
        int back = ROUND_BITS - ozp;
        int ch = 0;
        for (; ch + L <= c; ch += L) {
            IntVector a = IntVector.fromArray(S, acc, ch).add(IntVector.fromArray(S, bias, ch));
            FloatVector m = IntVector.fromArray(S, mult, ch).reinterpretAsFloats();
            FloatVector v = ((FloatVector) a.convert(VectorOperators.I2F, 0)).mul(m).max(vlo).min(vhi);
            v.add(round).reinterpretAsInts().sub(back).intoArray(q, at + ch);
        }
        // The last channels (fewer than a vector) as in the scalar kernel.
        for (; ch < c; ch++) {
            float v = (float) (acc[ch] + bias[ch]) * Float.intBitsToFloat(mult[ch]);
            if (v < lo) v = lo;
            if (v > hi) v = hi;
            q[at + ch] = (int) Math.rint(v) + ozp;
        }
    }
}
