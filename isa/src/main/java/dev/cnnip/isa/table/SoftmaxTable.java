package dev.cnnip.isa.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code pp.softmax} exponential table: {@value #ENTRIES} little-endian float32
 * ({@value #BYTES} bytes). Entry {@code k} is {@code exp} of the code distance that maps to it (see
 * {@code pp.softmax}: {@code k = 255 − max + x} for u8, {@code (127 − max + x) mod 256} for s8).
 */
public final class SoftmaxTable {
    /** Entries. */
    public static final int ENTRIES = 256;
    /** Bytes of the table. */
    public static final int BYTES = ENTRIES * 4;

    private SoftmaxTable() {}

    /** The encoded table; {@code values} must have {@value #ENTRIES} entries. */
    public static byte[] encode(float[] values) {
        if (values.length != ENTRIES) {
            throw new IllegalArgumentException("softmax table needs " + ENTRIES + " entries, got " + values.length);
        }
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** The entries of an encoded table. */
    public static float[] decode(byte[] table) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[ENTRIES];
        for (int k = 0; k < ENTRIES; k++) out[k] = b.getFloat(4 * k);
        return out;
    }
}
