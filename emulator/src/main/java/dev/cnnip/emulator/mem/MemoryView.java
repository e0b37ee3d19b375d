package dev.cnnip.emulator.mem;

import dev.cnnip.isa.ElemType;

/**
 * Read access to a byte-addressed little-endian memory of {@link #size()} bytes (the SRAM or the DRAM
 * of a machine), for the debugger, host I/O and tests. Every access must lie inside {@code [0, size())};
 * an access outside throws {@link IndexOutOfBoundsException} (the executor checks ranges before it
 * touches memory and reports them as machine faults instead).
 */
public interface MemoryView {
    /** Size in bytes. */
    long size();

    /** The guard the executor consults before each bulk access ({@link AccessGuard#NONE} unless installed). */
    default AccessGuard guard() {
        return AccessGuard.NONE;
    }

    /** Copies {@code length} bytes starting at {@code address} into {@code dst[offset …]}. */
    void read(long address, byte[] dst, int offset, int length);

    /** A copy of {@code length} bytes starting at {@code address}. */
    default byte[] read(long address, int length) {
        byte[] out = new byte[length];
        read(address, out, 0, length);
        return out;
    }

    /** Whether {@code [address, address + length)} lies inside the memory ({@code length >= 0}). */
    default boolean contains(long address, long length) {
        return address >= 0 && length >= 0 && address <= size() && length <= size() - address;
    }

    /** Unsigned byte, 0..255. */
    default int u8(long address) {
        return read(address, 1)[0] & 0xFF;
    }

    /** Signed byte, −128..127. */
    default int s8(long address) {
        return read(address, 1)[0];
    }

    /** Unsigned 16-bit little-endian value. */
    default int u16(long address) {
        byte[] b = read(address, 2);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    }

    /** Signed 16-bit little-endian value. */
    default int s16(long address) {
        return (short) u16(address);
    }

    /** Signed 32-bit little-endian value. */
    default int s32(long address) {
        byte[] b = read(address, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** Signed 64-bit little-endian value. */
    default long s64(long address) {
        return (s32(address) & 0xFFFF_FFFFL) | (long) s32(address + 4) << 32;
    }

    /** IEEE 754 binary32 value stored little-endian. */
    default float f32(long address) {
        return Float.intBitsToFloat(s32(address));
    }

    /**
     * One element of type {@code t} at {@code address}: integer types as their value (sign- or
     * zero-extended), {@code f32} as its raw bit pattern.
     */
    default int get(ElemType t, long address) {
        return switch (t) {
            case U8 -> u8(address);
            case S8 -> s8(address);
            case U16 -> u16(address);
            case S16 -> s16(address);
            case S32, F32 -> s32(address);
        };
    }
}
