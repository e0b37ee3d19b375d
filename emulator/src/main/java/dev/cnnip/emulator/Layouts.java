package dev.cnnip.emulator;

import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Conversion between a symbol's logical tensor (ONNX shape, row-major) and its physical bytes in DRAM.
 *
 * <p>Layouts: {@code ROW_MAJOR} stores the logical axes in order; {@code NHWC} stores a logical NCHW
 * tensor {@code [n, c, h, w]} as {@code [n, h, w, c]}; {@code OHWI} stores logical weights
 * {@code [o, i, kh, kw]} as {@code [o, kh, kw, i]} (the same permutation). The compiler writes Gemm weights
 * {@code [n, 1, 1, k]} under OHWI with the logical shape as physical shape: their stored order is then the
 * logical one. The physical shape lists the stored dimensions in
 * layout order and may pad any of them (e.g. channels rounded up); logical element
 * {@code (i_0, …)} lives at the row-major index over the physical shape of the permuted index. Padding
 * is written as zeros. Errors are {@link IllegalArgumentException}s naming the symbol.
 */
public final class Layouts {
    private Layouts() {}

    /** Physical axis {@code k} holds logical axis {@code perm[k]}. */
    static int[] permutation(Symbol s) {
        int rank = s.shape().length;
        return switch (s.layout()) {
            case "ROW_MAJOR" -> identity(rank);
            case "NHWC", "OHWI" -> {
                if (rank != 4) {
                    throw new IllegalArgumentException("symbol '" + s.name() + "': layout " + s.layout()
                            + " needs a rank-4 shape, got " + Arrays.toString(s.shape()));
                }
                int[] perm = {0, 2, 3, 1};
                // Gemm weights: OHWI in name, stored in logical order (see the class comment)
                yield !fits(s.shape(), s.physicalShape(), perm) && Arrays.equals(s.shape(), s.physicalShape())
                        ? identity(rank) : perm;
            }
            default -> throw new IllegalArgumentException("symbol '" + s.name() + "': unknown layout '" + s.layout()
                    + "' (known: ROW_MAJOR, NHWC, OHWI)");
        };
    }

    /** Bytes of the physical tensor: {@code elements(physicalShape) × dtype size}. */
    public static int physicalBytes(Symbol s) {
        return Math.toIntExact(Tensor.numElements(s.physicalShape()) * s.dtype().size());
    }

    /** The physical bytes of {@code logical}, which must match the symbol's dtype and shape. */
    public static byte[] toPhysical(Symbol s, Tensor logical) {
        if (logical.dtype() != s.dtype() || !Arrays.equals(logical.shape(), s.shape())) {
            throw new IllegalArgumentException(s.kind().name().toLowerCase(java.util.Locale.ROOT) + " '" + s.name()
                    + "': expected " + s.dtype().shortName() + Arrays.toString(s.shape()) + ", got "
                    + logical.dtype().shortName() + Arrays.toString(logical.shape()));
        }
        byte[] out = new byte[physicalBytes(s)];
        long[] offsets = offsets(s);
        int esz = s.dtype().size();
        byte[] in = logical.data();
        for (int i = 0; i < offsets.length; i++) System.arraycopy(in, i * esz, out, (int) offsets[i] * esz, esz);
        return out;
    }

    /** The logical tensor of a symbol from its physical bytes ({@link #physicalBytes} of them). */
    public static Tensor toLogical(Symbol s, byte[] physical) {
        if (physical.length != physicalBytes(s)) {
            throw new IllegalArgumentException("symbol '" + s.name() + "': " + physical.length + " bytes, expected "
                    + physicalBytes(s));
        }
        long[] offsets = offsets(s);
        int esz = s.dtype().size();
        byte[] out = new byte[offsets.length * esz];
        for (int i = 0; i < offsets.length; i++) System.arraycopy(physical, (int) offsets[i] * esz, out, i * esz, esz);
        return new Tensor(s.dtype(), s.shape(), out);
    }

    private static boolean fits(int[] shape, int[] phys, int[] perm) {
        if (phys.length != shape.length) return false;
        for (int k = 0; k < phys.length; k++) if (phys[k] < shape[perm[k]]) return false;
        return true;
    }

    /** Physical element index of every logical element, in logical row-major order. */
    public static long[] offsets(Symbol s) {
        int[] shape = s.shape();
        int[] phys = s.physicalShape();
        int[] perm = permutation(s);
        if (phys.length != shape.length) {
            throw new IllegalArgumentException("symbol '" + s.name() + "': physical shape " + Arrays.toString(phys)
                    + " has rank " + phys.length + ", shape " + Arrays.toString(shape) + " rank " + shape.length);
        }
        long[] strideOfLogical = new long[shape.length];
        long stride = 1;
        for (int k = phys.length - 1; k >= 0; k--) {
            if (phys[k] < shape[perm[k]]) {
                throw new IllegalArgumentException("symbol '" + s.name() + "': physical shape " + Arrays.toString(phys)
                        + " cannot hold shape " + Arrays.toString(shape) + " in layout " + s.layout());
            }
            strideOfLogical[perm[k]] = stride;
            stride *= phys[k];
        }
        long[] out = new long[Math.toIntExact(Tensor.numElements(shape))];
        int[] idx = new int[shape.length];
        long off = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = off;
            // Odometer increment over the logical index, updating the physical offset incrementally.
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a]++;
                off += strideOfLogical[a];
                if (idx[a] < shape[a]) break;
                off -= strideOfLogical[a] * idx[a];
                idx[a] = 0;
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }
}
