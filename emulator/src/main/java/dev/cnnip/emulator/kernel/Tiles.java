package dev.cnnip.emulator.kernel;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Whole-tile transfers between SRAM and int/long arrays: a conversion loop straight over the SRAM's
 * backing array (little-endian), without an intermediate copy and without one checked memory call per
 * element. The caller has checked that the tile lies in SRAM (and its footprint); the bounds check here
 * is once per tile. With {@link Kernels#vector()} the 8-bit conversions, the most frequent ones, run as
 * vector lanes ({@link VectorTiles}); both forms give the same values. An instance holds no state and may
 * be shared; each executor has its own anyway.
 */
public final class Tiles {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean vector;

    /** Tiles with the vector conversions when {@link Kernels#vector()} is on. */
    public Tiles() {
        this(Kernels.vector());
    }

    /** Tiles with ({@code vector}, which needs the vector module) or without the vector conversions. */
    Tiles(boolean vector) {
        this.vector = vector;
    }

    /** The backing array after checking {@code [address, address + len)} lies in it; the offset is then {@code (int) address}. */
    private static byte[] span(Sram s, long address, long len) {
        byte[] b = s.backing();
        Objects.checkFromIndexSize(address, len, (long) b.length);
        return b;
    }

    /** As {@link #span} for a write, which the SRAM records ({@link Sram#markWritten}). */
    private static byte[] writeSpan(Sram s, long address, long len) {
        byte[] b = span(s, address, len);
        s.markWritten(address, len);
        return b;
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n} (int arithmetic, wrapping). */
    public void readInts(Sram s, ElemType t, long address, int n, int[] dst, int sub) {
        byte[] b = span(s, address, (long) n * t.bytes());
        int o = (int) address;
        switch (t) {
            case U8 -> {
                if (vector) {
                    VectorTiles.readU8(b, o, n, dst, sub);
                } else {
                    for (int i = 0; i < n; i++) dst[i] = (b[o + i] & 0xFF) - sub;
                }
            }
            case S8 -> {
                if (vector) {
                    VectorTiles.readS8(b, o, n, dst, sub);
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b[o + i] - sub;
                }
            }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = ((short) I16.get(b, o + 2 * i) & 0xFFFF) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = (short) I16.get(b, o + 2 * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = (int) I32.get(b, o + 4 * i) - sub; }
        }
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n}, in 64-bit arithmetic. */
    public void readLongs(Sram s, ElemType t, long address, int n, long[] dst, long sub) {
        byte[] b = span(s, address, (long) n * t.bytes());
        int o = (int) address;
        switch (t) {
            case U8 -> { for (int i = 0; i < n; i++) dst[i] = (b[o + i] & 0xFF) - sub; }
            case S8 -> { for (int i = 0; i < n; i++) dst[i] = b[o + i] - sub; }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = ((short) I16.get(b, o + 2 * i) & 0xFFFF) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = (short) I16.get(b, o + 2 * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = (int) I32.get(b, o + 4 * i) - sub; }
        }
    }

    /** {@code dst[i] =} the int32 at {@code address + 4·i}, for {@code i < n}. */
    public void readS32(Sram s, long address, int n, int[] dst) {
        readS32(s, address, n, dst, 0);
    }

    /** {@code dst[at + i] =} the int32 at {@code address + 4·i}, for {@code i < n}. */
    public void readS32(Sram s, long address, int n, int[] dst, int at) {
        byte[] b = span(s, address, 4L * n);
        int o = (int) address;
        if (vector) {
            VectorTiles.readS32(b, o, n, dst, at);
            return;
        }
        for (int i = 0; i < n; i++) dst[at + i] = (int) I32.get(b, o + 4 * i);
    }

    /** {@code dst[i] =} the int64 at {@code address + 8·i}, for {@code i < n}. */
    public void readS64(Sram s, long address, int n, long[] dst) {
        byte[] b = span(s, address, 8L * n);
        int o = (int) address;
        for (int i = 0; i < n; i++) dst[i] = (long) I64.get(b, o + 8 * i);
    }

    /** Stores {@code src[i]} as the int32 at {@code address + 4·i}, for {@code i < n}. */
    public void writeS32(Sram s, long address, int n, int[] src) {
        byte[] b = writeSpan(s, address, 4L * n);
        int o = (int) address;
        if (vector) {
            VectorTiles.writeS32(src, n, b, o);
            return;
        }
        for (int i = 0; i < n; i++) I32.set(b, o + 4 * i, src[i]);
    }

    /** Stores {@code src[i]} as the int64 at {@code address + 8·i}, for {@code i < n}. */
    public void writeS64(Sram s, long address, int n, long[] src) {
        byte[] b = writeSpan(s, address, 8L * n);
        int o = (int) address;
        for (int i = 0; i < n; i++) I64.set(b, o + 8 * i, src[i]);
    }

    /** Stores {@code src[i]} as element {@code i} of type {@code t} (its low bytes, no saturation), for {@code i < n}. */
    public void writeInts(Sram s, ElemType t, long address, int n, int[] src) {
        writeInts(s, t, address, n, src, 0);
    }

    /** Stores {@code src[from + i]} as element {@code i} of type {@code t} (its low bytes), for {@code i < n}. */
    public void writeInts(Sram s, ElemType t, long address, int n, int[] src, int from) {
        int w = t.bytes();
        byte[] b = writeSpan(s, address, (long) n * w);
        int o = (int) address;
        switch (w) {
            case 1 -> {
                if (vector) {
                    VectorTiles.write8(src, from, n, b, o);
                } else {
                    for (int i = 0; i < n; i++) b[o + i] = (byte) src[from + i];
                }
            }
            case 2 -> { for (int i = 0; i < n; i++) I16.set(b, o + 2 * i, (short) src[from + i]); }
            default -> { for (int i = 0; i < n; i++) I32.set(b, o + 4 * i, src[from + i]); }
        }
    }
}
