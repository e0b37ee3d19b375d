package dev.cnnip.vectors;

import dev.cnnip.emulator.Layouts;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;

/**
 * Reads a DRAM symbol as its logical tensor, through the emulator's {@link Layouts} (every layout the
 * compiler writes: ROW_MAJOR, NHWC activations, OHWI weights).
 */
final class SymbolTensors {
    private SymbolTensors() {}

    /** Physical element index of every logical element, in logical row-major order. */
    static long[] offsets(Symbol s) {
        return Layouts.offsets(s);
    }

    /** The symbol's logical tensor as it is now in {@code dram}. */
    static Tensor read(Symbol s, MemoryView dram) {
        return Layouts.toLogical(s, dram.read(s.address(), Layouts.physicalBytes(s)));
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
}
