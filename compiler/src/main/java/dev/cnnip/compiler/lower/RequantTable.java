package dev.cnnip.compiler.lower;

import dev.cnnip.isa.table.QuantEntry;
import dev.cnnip.isa.table.RequantEntry;
import dev.cnnip.numerics.Requant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-channel table {@code pp.requant} reads ({@link RequantEntry}): three little-endian int32 per
 * output channel, {@code {bias, mult, shift}}. In float mode ({@code ort} numerics) {@code mult} holds the float32 bits
 * of the multiplier M and shift is 0; in integer mode ({@code hw}) they are {@link Requant#fixed(float)}.
 */
final class RequantTable {
    private RequantTable() {}

    static byte[] build(int[] bias, float[] m, boolean intMode) {
        List<RequantEntry> entries = new ArrayList<>(bias.length);
        for (int c = 0; c < bias.length; c++) {
            if (intMode) {
                Requant.Fixed f = Requant.fixed(m[c]);
                entries.add(new RequantEntry(bias[c], f.mult(), f.shift()));
            } else {
                entries.add(RequantEntry.ofFloat(bias[c], m[c]));
            }
        }
        return RequantEntry.encode(entries);
    }

    /** A quant/dequant table: per entry {scale f32, zp int32} ({@link QuantEntry}). */
    static byte[] scales(float[] scale, int[] zp) {
        List<QuantEntry> entries = new ArrayList<>(scale.length);
        for (int i = 0; i < scale.length; i++) entries.add(new QuantEntry(scale[i], zp[i]));
        return QuantEntry.encode(entries);
    }

    static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }
}
