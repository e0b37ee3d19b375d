package dev.cnnip.isa.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One entry of the {@code pp.quant} / {@code pp.dequant} parameter table: {@code {scale (float32),
 * zero point (int32)}}, little-endian ({@value #BYTES} bytes).
 *
 * @param scale     the quantization scale
 * @param zeroPoint the zero point
 */
public record QuantEntry(float scale, int zeroPoint) {
    /** Bytes per entry. */
    public static final int BYTES = 8;
    /** Byte offsets of the fields within an entry. */
    public static final int SCALE = 0, ZERO_POINT = 4;

    /** Bytes of a table of {@code channels} entries. */
    public static long tableBytes(long channels) {
        return channels * BYTES;
    }

    /** The table, entry after entry. */
    public static byte[] encode(List<QuantEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (QuantEntry e : entries) b.putFloat(e.scale).putInt(e.zeroPoint);
        return b.array();
    }

    /** Entry {@code index} of an encoded table. */
    public static QuantEntry decode(byte[] table, int index) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        int o = index * BYTES;
        return new QuantEntry(b.getFloat(o + SCALE), b.getInt(o + ZERO_POINT));
    }
}
