package dev.cnnip.isa.table;

import dev.cnnip.isa.ElemType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code pp.lut} table: one entry per input code of type {@code it} (256 for u8/s8, 65,536 for
 * u16/s16), each an element of the output type {@code ot} stored little-endian; input code {@code x}
 * selects entry {@code x − it.min()}. Entries are copied bit for bit, so an f32 table gives float
 * outputs.
 */
public final class LookupTable {
    private LookupTable() {}

    /** Entries of a table for inputs of type {@code it}; 0 when {@code it} is not an 8- or 16-bit integer. */
    public static int entries(ElemType it) {
        return it.isInteger() && it.bytes() <= 2 ? it.max() - it.min() + 1 : 0;
    }

    /** Bytes of a table from {@code it} to {@code ot}. */
    public static long bytes(ElemType it, ElemType ot) {
        return (long) entries(it) * ot.bytes();
    }

    /** The entry input code {@code code} of type {@code it} selects. */
    public static int index(int code, ElemType it) {
        return code - it.min();
    }

    /**
     * The encoded table: entry {@code k} = {@code values[k]} as type {@code ot} (its low bytes; for
     * f32, raw float bits). {@code values} must have {@link #entries(ElemType) entries(it)} entries.
     */
    public static byte[] encode(ElemType it, ElemType ot, int[] values) {
        if (values.length != entries(it)) {
            throw new IllegalArgumentException("lookup table for " + it.asm() + " needs " + entries(it) + " entries, got "
                    + values.length);
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes(it, ot)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            switch (ot.bytes()) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                default -> b.putInt(v);
            }
        }
        return b.array();
    }

    /** Entry {@code k} of an encoded table of output type {@code ot} (integer types sign- or zero-extended, f32 as raw bits). */
    public static int decode(byte[] table, ElemType ot, int k) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        return switch (ot) {
            case U8 -> b.get(k) & 0xFF;
            case S8 -> b.get(k);
            case U16 -> b.getShort(2 * k) & 0xFFFF;
            case S16 -> b.getShort(2 * k);
            case S32, F32 -> b.getInt(4 * k);
        };
    }
}
