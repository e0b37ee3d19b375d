package dev.cnnip.emulator;

import dev.cnnip.isa.ElemType;
import java.util.Random;

/** Test helpers: element encoding, random values, SET lines. */
final class Elements {
    private Elements() {}

    /** Little-endian bytes of {@code values} as type {@code t} (low bytes). */
    static byte[] bytes(ElemType t, long[] values) {
        byte[] out = new byte[values.length * t.bytes()];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < t.bytes(); b++) out[i * t.bytes() + b] = (byte) (values[i] >> (8 * b));
        }
        return out;
    }

    static byte[] ints(int... values) {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) v[i] = values[i];
        return bytes(ElemType.S32, v);
    }

    static byte[] floats(float... values) {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) v[i] = Float.floatToRawIntBits(values[i]);
        return bytes(ElemType.S32, v);
    }

    static byte[] longs(long... values) {
        byte[] out = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) for (int b = 0; b < 8; b++) out[i * 8 + b] = (byte) (values[i] >> (8 * b));
        return out;
    }

    /** A uniformly random value of integer type {@code t}. */
    static long random(Random rnd, ElemType t) {
        return t.min() + (long) (rnd.nextDouble() * ((long) t.max() - t.min() + 1));
    }

    static long[] random(Random rnd, ElemType t, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = random(rnd, t);
        return v;
    }

    /** SET lines writing {@code name, value} pairs, two registers per instruction. */
    static String sets(String engine, Object... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 4) {
            sb.append(engine).append(".set ").append(pairs[i]).append('=').append(pairs[i + 1]);
            if (i + 2 < pairs.length) sb.append(' ').append(pairs[i + 2]).append('=').append(pairs[i + 3]);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Element {@code i} of type {@code t} from little-endian bytes, sign- or zero-extended. */
    static long get(ElemType t, byte[] b, int i) {
        long v = 0;
        for (int k = t.bytes() - 1; k >= 0; k--) v = v << 8 | (b[i * t.bytes() + k] & 0xFF);
        int bits = 8 * t.bytes();
        if (t.signed() && bits < 64) v = v << (64 - bits) >> (64 - bits);
        return v;
    }
}
