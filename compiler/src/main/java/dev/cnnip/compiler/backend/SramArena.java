package dev.cnnip.compiler.backend;

/**
 * Bump allocation of one layer's SRAM buffers, 64-byte aligned, from a base address up to the SRAM's
 * size ({@code size} is the SRAM's end address, not the arena's length). The program builder places each layer's arena after the previous layer's when it fits, so that
 * a layer's first loads need not wait for the previous layer to release its buffers.
 */
final class SramArena {
    static final int ALIGN = 64;
    private final long size;
    private final long base;
    private long next;

    SramArena(long size, long base) {
        this.size = size;
        this.base = base;
        this.next = base;
    }

    /** Bytes allocated so far, from the base. */
    long used() {
        return next - base;
    }

    static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Start address of a new buffer of {@code bytes}. */
    long alloc(long bytes) {
        long a = next;
        next += align(Math.max(bytes, 1));
        if (next > size) throw new IllegalStateException("SRAM overflow: " + next + " > " + size);
        return a;
    }

    /** Two buffers of {@code bytes} for double buffering. */
    long[] allocPair(long bytes) {
        return new long[] {alloc(bytes), alloc(bytes)};
    }
}
