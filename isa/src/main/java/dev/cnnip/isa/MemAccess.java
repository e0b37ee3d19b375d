package dev.cnnip.isa;

/**
 * One byte range {@code [start, end)} of SRAM or DRAM that an instruction may read or write, named by
 * the operand it belongs to ({@code x}, {@code acc}, {@code dram}, …). A strided DMA is covered by the
 * range from its lowest to one past its highest byte (a conservative bound: the bytes between the
 * strides count as touched).
 *
 * @param space   the memory
 * @param write   true: the instruction may write the range; false: it may read it
 * @param operand the operand's field or register name, as the executor names it in its faults
 * @param start   first byte, {@code >= 0} for a valid instruction
 * @param end     one past the last byte, {@code > start}
 */
public record MemAccess(Space space, boolean write, String operand, long start, long end) {
    /** The two address spaces. */
    public enum Space { SRAM, DRAM }

    public MemAccess {
        if (end <= start) throw new IllegalArgumentException("empty range [" + start + ", " + end + ") of " + operand);
    }

    /** Bytes covered. */
    public long length() {
        return end - start;
    }

    /** Whether {@code [lo, hi)} lies inside this range. */
    public boolean covers(long lo, long hi) {
        return lo >= start && hi <= end;
    }

    /** Whether this range and {@code o} share a byte of the same space. */
    public boolean overlaps(MemAccess o) {
        return space == o.space && start < o.end && o.start < end;
    }

    /** {@code SRAM read x [0x100, 0x180)}. */
    @Override
    public String toString() {
        return space + " " + (write ? "write" : "read") + " " + operand + " " + hexRange(start, end);
    }

    /** {@code [0x100, 0x180)}. */
    public static String hexRange(long lo, long hi) {
        return "[0x" + Long.toHexString(lo) + ", 0x" + Long.toHexString(hi) + ")";
    }
}
