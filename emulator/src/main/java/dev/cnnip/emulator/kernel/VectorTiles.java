package dev.cnnip.emulator.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import java.nio.ByteOrder;

/**
 * The 8-bit conversions of {@link Tiles} as vector lanes: sign extension ({@code B2I}) of one byte vector
 * of a quarter of the int vector's width per step, masked to 8 bits for unsigned codes, and the narrowing
 * {@code I2B} (keeps the low 8 bits, like {@code (byte)}). The same values as the scalar loops; about five
 * times faster on JDK 17, whose compiler does not vectorise the scalar loops (they mix element sizes).
 * Loaded only when {@link Kernels#vector()} is on.
 */
final class VectorTiles {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 4));
    private static final int L = S.length();

    private VectorTiles() {}

    /** {@code dst[i] = (b[o + i] & 0xFF) − sub}, {@code i < n}. */
    static void readU8(byte[] b, int o, int n, int[] dst, int sub) {
        int i = 0;
        for (; i + L <= n; i += L) {
            ((IntVector) ByteVector.fromArray(B, b, o + i).convertShape(VectorOperators.B2I, S, 0)).and(0xFF).sub(sub)
                    .intoArray(dst, i);
        }
        for (; i < n; i++) dst[i] = (b[o + i] & 0xFF) - sub;
    }

    /** {@code dst[i] = b[o + i] − sub}, {@code i < n}. */
    static void readS8(byte[] b, int o, int n, int[] dst, int sub) {
        int i = 0;
        for (; i + L <= n; i += L) {
            ((IntVector) ByteVector.fromArray(B, b, o + i).convertShape(VectorOperators.B2I, S, 0)).sub(sub).intoArray(dst, i);
        }
        for (; i < n; i++) dst[i] = b[o + i] - sub;
    }

    /** {@code b[o + i] = (byte) src[from + i]}, {@code i < n}. */
    static void write8(int[] src, int from, int n, byte[] b, int o) {
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector.fromArray(S, src, from + i).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes().intoArray(b, o + i);
        }
        for (; i < n; i++) b[o + i] = (byte) src[from + i];
    }

    /** {@code dst[at + i] =} the little-endian int32 at {@code b[o + 4·i]}, {@code i < n}. */
    static void readS32(byte[] b, int o, int n, int[] dst, int at) {
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector.fromByteArray(S, b, o + 4 * i, ByteOrder.LITTLE_ENDIAN).intoArray(dst, at + i);
        }
        for (; i < n; i++) dst[at + i] = (int) Tiles.I32.get(b, o + 4 * i);
    }

    /** Stores {@code src[i]} as the little-endian int32 at {@code b[o + 4·i]}, {@code i < n}. */
    static void writeS32(int[] src, int n, byte[] b, int o) {
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector.fromArray(S, src, i).intoByteArray(b, o + 4 * i, ByteOrder.LITTLE_ENDIAN);
        }
        for (; i < n; i++) Tiles.I32.set(b, o + 4 * i, src[i]);
    }
}
