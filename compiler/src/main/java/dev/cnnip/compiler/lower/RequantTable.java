package dev.cnnip.compiler.lower;

import dev.cnnip.numerics.Requant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The per-channel table {@code pp.requant} reads: three little-endian int32 per output channel,
 * {@code {bias, mult, shift}}. In float mode ({@code ort} numerics) {@code mult} holds the float32 bits
 * of the multiplier M and shift is 0; in integer mode ({@code hw}) they are {@link Requant#fixed(float)}.
 */
final class RequantTable {
    private RequantTable() {}

    static byte[] build(int[] bias, float[] m, boolean intMode) {
        ByteBuffer b = ByteBuffer.allocate(bias.length * 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < bias.length; c++) {
            b.putInt(bias[c]);
            if (intMode) {
                Requant.Fixed f = Requant.fixed(m[c]);
                b.putInt(f.mult());
                b.putInt(f.shift());
            } else {
                b.putInt(Float.floatToRawIntBits(m[c]));
                b.putInt(0);
            }
        }
        return b.array();
    }

    /** A quant/dequant table: per entry {scale f32, zp int32}. */
    static byte[] scales(float[] scale, int[] zp) {
        ByteBuffer b = ByteBuffer.allocate(scale.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < scale.length; i++) {
            b.putFloat(scale[i]);
            b.putInt(zp[i]);
        }
        return b.array();
    }

    static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }
}
