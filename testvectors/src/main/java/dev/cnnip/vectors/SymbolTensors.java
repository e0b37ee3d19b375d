package dev.cnnip.vectors;

import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;

/**
 * Reads a DRAM symbol as its logical tensor, for every layout the compiler writes. The physical shape
 * lists the stored dimensions in layout order (possibly padded); logical element {@code (i_0, …)} lives
 * at the row-major index over the physical shape of the permuted index:
 * <ul>
 * <li>{@code ROW_MAJOR}: the logical axes in order;</li>
 * <li>{@code NHWC}: logical {@code [n, c, h, w]} stored as {@code [n, h, w, c]};</li>
 * <li>{@code OHWI}: logical weights {@code [o, i, kh, kw]} stored as {@code [o, kh, kw, i]}.</li>
 * </ul>
 * The emulator's {@code Layouts} covers the first two (activations); weights need the third.
 */
final class SymbolTensors {
    private SymbolTensors() {}

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
                yield new int[] {0, 2, 3, 1};
            }
            default -> throw new IllegalArgumentException("symbol '" + s.name() + "': unknown layout '" + s.layout()
                    + "' (known: ROW_MAJOR, NHWC, OHWI)");
        };
    }

    /** Physical element index of every logical element, in logical row-major order. */
    static long[] offsets(Symbol s) {
        int[] shape = s.shape();
        int[] phys = s.physicalShape();
        int[] perm = permutation(s);
        if (!fits(shape, phys, perm) && Arrays.equals(shape, phys)) {
            // The compiler writes Gemm weights as [n, 1, 1, k] in both shapes under layout OHWI: the
            // stored order is then the logical one.
            perm = identity(shape.length);
        }
        if (phys.length != shape.length) {
            throw new IllegalArgumentException("symbol '" + s.name() + "': physical rank " + phys.length
                    + " differs from logical rank " + shape.length);
        }
        long[] strideOfLogical = new long[shape.length];
        long stride = 1;
        for (int k = phys.length - 1; k >= 0; k--) {
            if (phys[k] < shape[perm[k]]) {
                throw new IllegalArgumentException("symbol '" + s.name() + "': physical shape " + Arrays.toString(phys)
                        + " cannot hold shape " + Arrays.toString(shape));
            }
            strideOfLogical[perm[k]] = stride;
            stride *= phys[k];
        }
        long[] out = new long[Math.toIntExact(Tensor.numElements(shape))];
        int[] idx = new int[shape.length];
        long off = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = off;
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

    private static boolean fits(int[] shape, int[] phys, int[] perm) {
        if (phys.length != shape.length || perm.length != shape.length) return false;
        for (int k = 0; k < phys.length; k++) if (phys[k] < shape[perm[k]]) return false;
        return true;
    }

    /** The symbol's logical tensor as it is now in {@code dram}. */
    static Tensor read(Symbol s, MemoryView dram) {
        long[] off = offsets(s);
        int esz = s.dtype().size();
        long physBytes = Tensor.numElements(s.physicalShape()) * esz;
        byte[] phys = dram.read(s.address(), Math.toIntExact(physBytes));
        byte[] out = new byte[off.length * esz];
        for (int i = 0; i < off.length; i++) System.arraycopy(phys, (int) off[i] * esz, out, i * esz, esz);
        return new Tensor(s.dtype(), s.shape(), out);
    }

    /** Column {@code col} of a rank-2 int32 tensor {@code [rows, cols]}, as int32 {@code [rows]}. */
    static Tensor column(Tensor t, int col) {
        if (t.dtype() != DType.INT32 || t.rank() != 2) throw new IllegalArgumentException("need int32 [rows, cols], got " + t);
        int rows = t.dim(0);
        int cols = t.dim(1);
        Tensor out = Tensor.zeros(DType.INT32, rows);
        for (int r = 0; r < rows; r++) out.setLong(r, t.getLong(r * cols + col));
        return out;
    }

    /** Row-major coordinates of flat index {@code i} in {@code shape}, e.g. {@code [0, 3, 7, 1]}. */
    static int[] coordinates(int[] shape, long i) {
        int[] c = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            if (shape[a] == 0) return c;
            c[a] = (int) (i % shape[a]);
            i /= shape[a];
        }
        return c;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }
}
