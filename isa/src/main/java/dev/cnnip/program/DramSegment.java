package dev.cnnip.program;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Initial contents of one DRAM range: {@code data} at byte {@code address}. DRAM outside all
 * segments starts as zero. The array is copied in and out; {@link #buffer()} reads without a copy.
 *
 * @param name    label for listings (e.g. {@code weights}), one line, non-empty
 * @param address first byte, {@code >= 0}
 * @param data    the bytes
 */
public record DramSegment(String name, long address, byte[] data) {
    public DramSegment {
        Checks.name(name, "segment name");
        Checks.nonNegative(address, "segment '" + name + "' address");
        data = data.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** A read-only view of the bytes. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Length in bytes. */
    public int size() {
        return data.length;
    }

    /** One past the last byte: {@code address + size()}. */
    public long end() {
        return address + data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DramSegment s && name.equals(s.name) && address == s.address && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Long.hashCode(address)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DramSegment[" + name + " @0x" + Long.toHexString(address) + ", " + data.length + " bytes]";
    }
}
