package dev.cnnip.compiler.backend;

/** Bump allocation of one layer's SRAM buffers, 64-byte aligned; the next layer starts again at 0. */
final class SramArena {
    static final int ALIGN = 64;
    private final long size;
    private long next;

    SramArena(long size) {
        this.size = size;
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
