package dev.cnnip.isa.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One channel of the {@code pp.requant} parameter table: three little-endian int32, {@code {bias, mult,
 * shift}} ({@value #BYTES} bytes). In f32 mode {@code mult} holds the float32 bits of the multiplier
 * M and {@code shift} is 0; in int mode they are the integer multiplier ({@code >= 0}) and the right
 * shift ({@code 0..94}).
 *
 * @param bias  added to the accumulator before rescaling
 * @param mult  multiplier: float32 bits (f32 mode) or integer (int mode)
 * @param shift right shift (int mode), 0 in f32 mode
 */
public record RequantEntry(int bias, int mult, int shift) {
    /** Bytes per entry. */
    public static final int BYTES = 12;
    /** Byte offsets of the fields within an entry. */
    public static final int BIAS = 0, MULT = 4, SHIFT = 8;

    /** An f32-mode entry with multiplier {@code m}. */
    public static RequantEntry ofFloat(int bias, float m) {
        return new RequantEntry(bias, Float.floatToRawIntBits(m), 0);
    }

    /** The multiplier as a float (f32 mode). */
    public float multiplier() {
        return Float.intBitsToFloat(mult);
    }

    /** Bytes of a table of {@code channels} entries. */
    public static long tableBytes(long channels) {
        return channels * BYTES;
    }

    /** The table, entry after entry. */
    public static byte[] encode(List<RequantEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (RequantEntry e : entries) b.putInt(e.bias).putInt(e.mult).putInt(e.shift);
        return b.array();
    }

    /** Entry {@code index} of an encoded table. */
    public static RequantEntry decode(byte[] table, int index) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        int o = index * BYTES;
        return new RequantEntry(b.getInt(o + BIAS), b.getInt(o + MULT), b.getInt(o + SHIFT));
    }
}
