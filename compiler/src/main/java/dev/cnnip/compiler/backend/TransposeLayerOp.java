package dev.cnnip.compiler.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * A transpose that moves data (a channel shuffle, a general axis permutation) on the DMA engines: the
 * output is written in row-major order; per tile one gathering load reads the innermost output axes from
 * the input with the input's strides (up to three DMA loops besides a contiguous element) into SRAM, and
 * one contiguous store writes the tile. Outer output axes are host loops; when the innermost axes do not
 * fit half the SRAM, the outermost of them is split into chunks. Values are copied unchanged. The same
 * gather serves Slice and Split ({@code xBase} the byte offset of the window's first element, strides
 * multiplied by the steps, negative for backward steps).
 *
 * @param op       the operator reported for the layer (Transpose, Slice, …)
 * @param dims     output dimensions (in the output's physical order, outermost first), at least one
 * @param xStrides for each output axis, the input's byte stride along it (may be negative)
 * @param xBase    byte offset in {@code x} of output element 0
 * @param eb       bytes per element
 */
record TransposeLayerOp(String name, String op, List<String> nodes, TensorRef x, TensorRef y, int[] dims, long[] xStrides,
                        long xBase, int eb) implements LayerOp {

    @Override
    public List<TensorRef> inputs() {
        return List.of(x);
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(y);
    }

    /** Axes after dropping 1s and merging output neighbours that are also neighbours in the input. */
    private record Axes(int[] n, long[] xs, long[] ys) {}

    private Axes merged() {
        List<long[]> a = new ArrayList<>(); // {count, xStride}
        for (int j = 0; j < dims.length; j++) {
            if (dims[j] == 1) continue;
            if (!a.isEmpty()) {
                long[] prev = a.get(a.size() - 1);
                if (prev[1] == xStrides[j] * dims[j]) { // prev axis steps over this one contiguously in the input too
                    prev[0] *= dims[j];
                    prev[1] = xStrides[j];
                    continue;
                }
            }
            a.add(new long[] {dims[j], xStrides[j]});
        }
        if (a.isEmpty()) a.add(new long[] {1, eb});
        int r = a.size();
        int[] n = new int[r];
        long[] xs = new long[r];
        long[] ys = new long[r];
        long s = eb;
        for (int j = r - 1; j >= 0; j--) {
            n[j] = (int) a.get(j)[0];
            xs[j] = a.get(j)[1];
            ys[j] = s;
            s *= n[j];
        }
        return new Axes(n, xs, ys);
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        Axes ax = merged();
        int r = ax.n().length;
        long budget = sramBytes / 2 - SramArena.ALIGN;
        boolean contiguousLast = ax.xs()[r - 1] == eb;
        int m = Math.min(r, contiguousLast ? 4 : 3); // DMA axes: the innermost m
        long chunk;
        while (true) {
            long inner = eb;
            for (int j = r - m + 1; j < r; j++) inner *= ax.n()[j];
            chunk = Math.min(ax.n()[r - m], budget / inner);
            if (chunk >= 1) break;
            if (--m == 0) {
                throw new BackendException("layer '" + name + "' (" + op + ") element of " + inner + " bytes does not fit in SRAM");
            }
        }
        long inner = eb;
        for (int j = r - m + 1; j < r; j++) inner *= ax.n()[j];
        long[] buf = arena.allocPair(chunk * inner);
        int dmaAxes = m;
        long tileChunk = chunk;
        return em -> emit(em, ax, dmaAxes, tileChunk, buf);
    }

    private void emit(Emitter em, Axes ax, int m, long chunk, long[] buf) {
        int r = ax.n().length;
        int outer = r - m; // host-loop axes [0, outer), the split axis is 'outer'
        int[] idx = new int[outer];
        int par = 0;
        int tile = 0;
        while (true) {
            long xo = 0;
            long yo = 0;
            for (int j = 0; j < outer; j++) {
                xo += idx[j] * ax.xs()[j];
                yo += idx[j] * ax.ys()[j];
            }
            for (long c0 = 0; c0 < ax.n()[outer]; c0 += chunk) {
                int cc = (int) Math.min(chunk, ax.n()[outer] - c0);
                em.tile(tile++);
                Dma.Loop[] loops = new Dma.Loop[m];
                for (int k = 0; k < m; k++) { // innermost first
                    int j = r - 1 - k;
                    loops[k] = new Dma.Loop(j == outer ? cc : ax.n()[j], ax.xs()[j], ax.ys()[j]);
                }
                long bytes = cc * ax.ys()[outer];
                Dma.load(em, x.address() + xBase + xo + c0 * ax.xs()[outer], buf[par], eb, loops);
                Dma.store(em, buf[par], y.address() + yo + c0 * ax.ys()[outer], bytes);
                par ^= 1;
            }
            int j = outer - 1;
            while (j >= 0 && ++idx[j] == ax.n()[j]) idx[j--] = 0;
            if (j < 0) break;
        }
    }
}
