package dev.cnnip.emulator.kernel;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whole-tile transfers between SRAM and int/long arrays: one bulk copy of the tile's bytes, then a
 * conversion loop over a byte array (little-endian), instead of one checked memory call per element.
 * The caller has checked that the tile lies in SRAM. Each instance owns its byte buffer: one per
 * executor, never shared between threads.
 */
public final class Tiles {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[0];

    private byte[] buffer(long n) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tile of " + n + " bytes");
        if (bytes.length < n) bytes = new byte[(int) Math.max(n, 4096)];
        return bytes;
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n} (int arithmetic, wrapping). */
    public void readInts(Sram s, ElemType t, long address, int n, int[] dst, int sub) {
        int len = n * t.bytes();
        byte[] b = buffer(len);
        s.read(address, b, 0, len);
        switch (t) {
            case U8 -> { for (int i = 0; i < n; i++) dst[i] = (b[i] & 0xFF) - sub; }
            case S8 -> { for (int i = 0; i < n; i++) dst[i] = b[i] - sub; }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = ((short) I16.get(b, 2 * i) & 0xFFFF) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = (short) I16.get(b, 2 * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = (int) I32.get(b, 4 * i) - sub; }
        }
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n}, in 64-bit arithmetic. */
    public void readLongs(Sram s, ElemType t, long address, int n, long[] dst, long sub) {
        int len = n * t.bytes();
        byte[] b = buffer(len);
        s.read(address, b, 0, len);
        switch (t) {
            case U8 -> { for (int i = 0; i < n; i++) dst[i] = (b[i] & 0xFF) - sub; }
            case S8 -> { for (int i = 0; i < n; i++) dst[i] = b[i] - sub; }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = ((short) I16.get(b, 2 * i) & 0xFFFF) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = (short) I16.get(b, 2 * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = (int) I32.get(b, 4 * i) - sub; }
        }
    }

    /** {@code dst[i] =} the int32 at {@code address + 4·i}, for {@code i < n}. */
    public void readS32(Sram s, long address, int n, int[] dst) {
        byte[] b = buffer(4L * n);
        s.read(address, b, 0, 4 * n);
        for (int i = 0; i < n; i++) dst[i] = (int) I32.get(b, 4 * i);
    }

    /** {@code dst[i] =} the int64 at {@code address + 8·i}, for {@code i < n}. */
    public void readS64(Sram s, long address, int n, long[] dst) {
        byte[] b = buffer(8L * n);
        s.read(address, b, 0, 8 * n);
        for (int i = 0; i < n; i++) dst[i] = (long) I64.get(b, 8 * i);
    }

    /** Stores {@code src[i]} as the int32 at {@code address + 4·i}, for {@code i < n}. */
    public void writeS32(Sram s, long address, int n, int[] src) {
        byte[] b = buffer(4L * n);
        for (int i = 0; i < n; i++) I32.set(b, 4 * i, src[i]);
        s.write(address, b, 0, 4 * n);
    }

    /** Stores {@code src[i]} as the int64 at {@code address + 8·i}, for {@code i < n}. */
    public void writeS64(Sram s, long address, int n, long[] src) {
        byte[] b = buffer(8L * n);
        for (int i = 0; i < n; i++) I64.set(b, 8 * i, src[i]);
        s.write(address, b, 0, 8 * n);
    }

    /** Stores {@code src[i]} as element {@code i} of type {@code t} (its low bytes, no saturation), for {@code i < n}. */
    public void writeInts(Sram s, ElemType t, long address, int n, int[] src) {
        writeInts(s, t, address, n, src, 0);
    }

    /** Stores {@code src[from + i]} as element {@code i} of type {@code t} (its low bytes), for {@code i < n}. */
    public void writeInts(Sram s, ElemType t, long address, int n, int[] src, int from) {
        int w = t.bytes();
        byte[] b = buffer((long) n * w);
        switch (w) {
            case 1 -> { for (int i = 0; i < n; i++) b[i] = (byte) src[from + i]; }
            case 2 -> { for (int i = 0; i < n; i++) I16.set(b, 2 * i, (short) src[from + i]); }
            default -> { for (int i = 0; i < n; i++) I32.set(b, 4 * i, src[from + i]); }
        }
        s.write(address, b, 0, n * w);
    }
}
