package dev.cnnip.emulator.mem;

import dev.cnnip.isa.ElemType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The on-chip scratchpad: a flat little-endian byte array of {@code sram.bytes}, zero at reset. The EX
 * and PP engines read and write only here; LD and ST copy between it and the {@link Dram}.
 *
 * <p>Typed accessors use absolute little-endian reads on a {@link ByteBuffer}, which the JIT turns into
 * plain loads: the convolution kernel calls them once per operand element.
 */
public final class Sram implements MemoryView {
    private final byte[] bytes;
    private final ByteBuffer buf;
    private AccessGuard guard = AccessGuard.NONE;
    /** log2 of the bytes of one page of {@link #dirtyPages}. */
    private static final int PAGE_BITS = 12;
    /**
     * One bit per page of {@code 2^PAGE_BITS} bytes written since the last {@link #clear()}: what clear has to
     * zero. Pages, not one high-water mark: programs place weights and activations all over the SRAM, and
     * zeroing everything below the highest write cost a tenth of a small network's inference.
     */
    private final long[] dirtyPages;

    /** A zeroed SRAM of {@code size} bytes, {@code 0 <= size <= Integer.MAX_VALUE - 8}. */
    public Sram(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("SRAM of " + size + " bytes is not supported (at most 2 GiB)");
        }
        this.bytes = new byte[(int) size];
        this.dirtyPages = new long[(int) ((((size + (1L << PAGE_BITS) - 1) >> PAGE_BITS) + 63) >> 6)];
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Installs the guard the executor consults before each bulk access (null: none). */
    public void guard(AccessGuard g) {
        this.guard = g == null ? AccessGuard.NONE : g;
    }

    @Override
    public AccessGuard guard() {
        return guard;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(address, length, bytes.length);
        System.arraycopy(bytes, (int) address, dst, offset, length);
    }

    /** Copies {@code length} bytes of {@code src[offset …]} to {@code address}. */
    public void write(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(address, length, bytes.length);
        System.arraycopy(src, offset, bytes, (int) address, length);
        markWritten(address, length);
    }

    /**
     * Zeroes the whole SRAM (its state at reset): only the pages written since the last clear, which every
     * write path reports (this class's own writers, the DMA's {@code Dram.copyToSram} and the kernels'
     * {@link #markWritten}), so a small program on a large SRAM does not pay for all of it.
     */
    public void clear() {
        for (int w = 0; w < dirtyPages.length; w++) {
            long bits = dirtyPages[w];
            while (bits != 0) {
                long page = ((long) w << 6) + Long.numberOfTrailingZeros(bits);
                int from = (int) (page << PAGE_BITS);
                Arrays.fill(bytes, from, (int) Math.min(bytes.length, (long) from + (1L << PAGE_BITS)), (byte) 0);
                bits &= bits - 1;
            }
            dirtyPages[w] = 0;
        }
    }

    /**
     * Records a write of {@code [address, address + length)} made through {@link #backing()} (the executor's
     * tile kernels call it for each tile they store), for {@link #clear()}.
     */
    public void markWritten(long address, long length) {
        if (length <= 0) return;
        long first = Math.max(0, address) >> PAGE_BITS;
        long last = (Math.min(address + length, bytes.length) - 1) >> PAGE_BITS;
        for (long page = first; page <= last; page++) dirtyPages[(int) (page >> 6)] |= 1L << page;
    }

    /** Sets {@code length} bytes from {@code address} to {@code value}. */
    public void fill(long address, int length, byte value) {
        Objects.checkFromIndexSize(address, length, bytes.length);
        Arrays.fill(bytes, (int) address, (int) address + length, value);
        markWritten(address, length);
    }

    @Override
    public int u8(long address) {
        return bytes[idx(address)] & 0xFF;
    }

    @Override
    public int s8(long address) {
        return bytes[idx(address)];
    }

    @Override
    public int u16(long address) {
        return buf.getShort(idx(address)) & 0xFFFF;
    }

    @Override
    public int s16(long address) {
        return buf.getShort(idx(address));
    }

    @Override
    public int s32(long address) {
        return buf.getInt(idx(address));
    }

    @Override
    public long s64(long address) {
        return buf.getLong(idx(address));
    }

    @Override
    public float f32(long address) {
        return buf.getFloat(idx(address));
    }

    /** Stores the low 8 bits of {@code v}. */
    public void put8(long address, int v) {
        bytes[idx(address)] = (byte) v;
        markWritten(address, 1);
    }

    /** Stores the low 16 bits of {@code v}, little-endian. */
    public void put16(long address, int v) {
        buf.putShort(idx(address), (short) v);
        markWritten(address, 2);
    }

    /** Stores {@code v}, little-endian. */
    public void put32(long address, int v) {
        buf.putInt(idx(address), v);
        markWritten(address, 4);
    }

    /** Stores {@code v}, little-endian. */
    public void put64(long address, long v) {
        buf.putLong(idx(address), v);
        markWritten(address, 8);
    }

    /** Stores the IEEE 754 binary32 bits of {@code v}, little-endian. */
    public void putF32(long address, float v) {
        buf.putFloat(idx(address), v);
        markWritten(address, 4);
    }

    /**
     * Stores one element of type {@code t}: integer types keep the low {@code t.bytes()} bytes of
     * {@code v} (no saturation: callers clamp), {@code f32} takes {@code v} as raw bits.
     */
    public void put(ElemType t, long address, int v) {
        switch (t.bytes()) {
            case 1 -> put8(address, v);
            case 2 -> put16(address, v);
            default -> put32(address, v);
        }
    }

    /** The backing array, for bulk copies by {@link Dram} (same package only). */
    byte[] array() {
        return bytes;
    }

    /**
     * The live backing array (byte {@code a} is address {@code a}), for the executor's tile kernels
     * ({@code dev.cnnip.emulator.kernel.Tiles}), which convert operands in place instead of copying them
     * first. Callers check each range with the executor's range check (which enforces the footprint)
     * before touching it, and only executors write through it.
     */
    public byte[] backing() {
        return bytes;
    }

    private int idx(long address) {
        // Addresses beyond int range can only come from a missed range check; fail loudly.
        if (address < 0 || address > Integer.MAX_VALUE) throw new IndexOutOfBoundsException("SRAM address " + address);
        return (int) address;
    }
}
