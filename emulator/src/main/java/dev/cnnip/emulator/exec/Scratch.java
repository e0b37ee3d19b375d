package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.kernel.ConvKernel;
import dev.cnnip.emulator.kernel.Tiles;

/**
 * Operand buffers an executor reuses from instruction to instruction, so that the kernels allocate
 * only when a tile is larger than any before. One per executor (never shared between machines).
 */
final class Scratch {
    private final int[][] ints = new int[8][];
    private final long[][] longs = new long[4][];
    private byte[] bytes = new byte[0];
    private final Tiles tiles = new Tiles();
    private final ConvKernel conv = new ConvKernel();

    /** This executor's tile transfers. */
    Tiles tiles() {
        return tiles;
    }

    /** This executor's convolution kernel. */
    ConvKernel conv() {
        return conv;
    }

    /** Buffer {@code slot} (0-7) with at least {@code n} ints; contents undefined. */
    int[] ints(int slot, int n) {
        int[] a = ints[slot];
        if (a == null || a.length < n) {
            a = new int[Math.max(n, 16)];
            ints[slot] = a;
        }
        return a;
    }

    /** Buffer {@code slot} (0-3) with at least {@code n} longs; contents undefined. */
    long[] longs(int slot, int n) {
        long[] a = longs[slot];
        if (a == null || a.length < n) {
            a = new long[Math.max(n, 16)];
            longs[slot] = a;
        }
        return a;
    }

    /** A byte buffer of at least {@code n} bytes; contents undefined. */
    byte[] bytes(int n) {
        if (bytes.length < n) bytes = new byte[n];
        return bytes;
    }
}
