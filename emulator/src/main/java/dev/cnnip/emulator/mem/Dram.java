package dev.cnnip.emulator.mem;

import dev.cnnip.program.DramSegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The modelled DRAM: {@link #size()} bytes, sparse. Pages of {@value #PAGE_BYTES} bytes are allocated
 * on first write; unwritten bytes read as zero, so a program addressing a large DRAM costs only the
 * pages it touches. Only the LD and ST engines (and the host) access it.
 *
 * <p>{@link #markReset()} freezes the current contents as the reset image (the program's segments); later
 * writes go to private copies of the pages they touch (copy on write), and {@link #reset()} drops those
 * copies, restoring the image without copying it again: a machine reused for the next inference pays only
 * for the pages the last one wrote.
 */
public final class Dram implements MemoryView {
    /** Bytes per page. */
    public static final int PAGE_BYTES = 1 << 16;
    private static final int PAGE_SHIFT = 16;

    private final long size;
    private final Map<Long, byte[]> pages = new HashMap<>();
    /** The reset image's pages (never written after {@link #markReset()}). */
    private Map<Long, byte[]> image = Map.of();
    private AccessGuard guard = AccessGuard.NONE;
    // One-entry cache: DMA rows mostly stay within one page, and it avoids boxing the page number.
    private long cachedPage = -1;
    private byte[] cached;
    /** Whether {@link #cached} is a private page (writable), not a page of the reset image. */
    private boolean cachedWritable;

    /** A zeroed DRAM of {@code size >= 0} bytes. */
    public Dram(long size) {
        if (size < 0) throw new IllegalArgumentException("DRAM size " + size + " < 0");
        this.size = size;
    }

    /**
     * A DRAM of {@code size} bytes holding {@code segments} (which must lie inside it), zero elsewhere; that
     * is its reset image ({@link #markReset()}).
     */
    public static Dram of(long size, List<DramSegment> segments) {
        Dram d = new Dram(size);
        for (DramSegment s : segments) {
            byte[] data = s.data();
            d.write(s.address(), data, 0, data.length);
        }
        d.markReset();
        return d;
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
        return size;
    }

    /** Number of allocated pages, the reset image's and the private ones (for memory-use checks). */
    public int allocatedPages() {
        int n = pages.size();
        for (Long p : image.keySet()) if (!pages.containsKey(p)) n++;
        return n;
    }

    /** Makes the current contents the reset image that {@link #reset()} restores. */
    public void markReset() {
        Map<Long, byte[]> all = new HashMap<>(image);
        all.putAll(pages);
        image = all;
        pages.clear();
        cachedPage = -1;
        cached = null;
    }

    /** Restores the contents at the last {@link #markReset()} (all zero without one). */
    public void reset() {
        pages.clear();
        cachedPage = -1;
        cached = null;
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        check(address, length);
        Objects.checkFromIndexSize(offset, length, dst.length);
        while (length > 0) {
            int in = (int) (address & (PAGE_BYTES - 1));
            int n = Math.min(length, PAGE_BYTES - in);
            byte[] p = page(address >>> PAGE_SHIFT, false);
            if (p == null) {
                java.util.Arrays.fill(dst, offset, offset + n, (byte) 0);
            } else {
                System.arraycopy(p, in, dst, offset, n);
            }
            address += n;
            offset += n;
            length -= n;
        }
    }

    /** Copies {@code length} bytes of {@code src[offset …]} to {@code address}. */
    public void write(long address, byte[] src, int offset, int length) {
        check(address, length);
        Objects.checkFromIndexSize(offset, length, src.length);
        while (length > 0) {
            int in = (int) (address & (PAGE_BYTES - 1));
            int n = Math.min(length, PAGE_BYTES - in);
            System.arraycopy(src, offset, page(address >>> PAGE_SHIFT, true), in, n);
            address += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Copies {@code length} bytes from DRAM {@code address} to SRAM {@code sramAddress} without an
     * intermediate buffer (the DMA engines' row copy).
     */
    public void copyToSram(long address, Sram sram, long sramAddress, int length) {
        check(address, length);
        Objects.checkFromIndexSize(sramAddress, length, sram.size());
        byte[] dst = sram.array();
        sram.markWritten(sramAddress, length);
        int offset = (int) sramAddress;
        while (length > 0) {
            int in = (int) (address & (PAGE_BYTES - 1));
            int n = Math.min(length, PAGE_BYTES - in);
            byte[] p = page(address >>> PAGE_SHIFT, false);
            if (p == null) {
                java.util.Arrays.fill(dst, offset, offset + n, (byte) 0);
            } else {
                System.arraycopy(p, in, dst, offset, n);
            }
            address += n;
            offset += n;
            length -= n;
        }
    }

    /** Copies {@code length} bytes from SRAM {@code sramAddress} to DRAM {@code address}. */
    public void copyFromSram(Sram sram, long sramAddress, long address, int length) {
        Objects.checkFromIndexSize(sramAddress, length, sram.size());
        write(address, sram.array(), (int) sramAddress, length);
    }

    @Override
    public int u8(long address) {
        check(address, 1);
        byte[] p = page(address >>> PAGE_SHIFT, false);
        return p == null ? 0 : p[(int) (address & (PAGE_BYTES - 1))] & 0xFF;
    }

    private void check(long address, long length) {
        if (!contains(address, length)) {
            throw new IndexOutOfBoundsException("DRAM access [" + address + ", " + (address + length)
                    + ") outside DRAM of " + size + " bytes");
        }
    }

    /** Page {@code number} to read ({@code create} false: null when all zero) or to write (created, private). */
    private byte[] page(long number, boolean create) {
        if (number == cachedPage && (cachedWritable || !create)) return cached;
        byte[] p = pages.get(number);
        boolean writable = true;
        if (p == null) {
            byte[] base = image.get(number);
            if (!create) {
                if (base == null) return null;
                p = base;
                writable = false;
            } else {
                p = base == null ? new byte[PAGE_BYTES] : base.clone();
                pages.put(number, p);
            }
        }
        cachedPage = number;
        cached = p;
        cachedWritable = writable;
        return p;
    }
}
