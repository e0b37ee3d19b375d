package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * Nearest-neighbour Resize of an NHWC tensor by any index mapping (downsampling, non-integer factors, output
 * sizes): output pixel {@code (oy, ox)} is input pixel {@code (rows[oy], cols[ox])}. On the DMA engines only:
 * for each run of output rows that read the same input row, one load brings that row into SRAM, and one
 * store per run of output columns whose input columns step evenly (0 for repetition, 1 for a copy, k for
 * a k-fold subsampling) writes every row of the run at once (SRAM stride 0 over the rows).
 *
 * @param rows input row of each output row, in {@code [0, h)}
 * @param cols input column of each output column, in {@code [0, w)}
 */
record NearestGatherLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int h, int w, int c, int[] rows,
                            int[] cols) implements LayerOp {
    @Override
    public String op() {
        return "Resize";
    }

    @Override
    public List<TensorRef> inputs() {
        return List.of(x);
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(y);
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        long rowBytes = (long) w * c * x.dtype().size();
        if (2 * rowBytes + 2 * SramArena.ALIGN > sramBytes) {
            throw new BackendException("layer '" + name + "' (Resize) input row of " + rowBytes + " bytes does not fit in SRAM");
        }
        long[] buf = arena.allocPair(rowBytes);
        return em -> emit(em, buf);
    }

    private void emit(Emitter em, long[] buf) {
        int eb = x.dtype().size();
        long pixel = (long) c * eb;
        long inRow = w * pixel;
        long outRow = cols.length * pixel;
        int oh = rows.length;
        int par = 0;
        int tile = 0;
        for (int nb = 0; nb < n; nb++) {
            for (int r0 = 0; r0 < oh; ) {
                int r1 = r0 + 1;
                while (r1 < oh && rows[r1] == rows[r0]) r1++;
                em.tile(tile++);
                Dma.load(em, x.address() + ((long) nb * h + rows[r0]) * inRow, buf[par], inRow);
                long dstRow = y.address() + ((long) nb * oh + r0) * outRow;
                for (int c0 = 0; c0 < cols.length; ) {
                    int step = c0 + 1 < cols.length ? cols[c0 + 1] - cols[c0] : 0;
                    int c1 = c0 + 1;
                    while (c1 < cols.length && cols[c1] - cols[c1 - 1] == step) c1++;
                    Dma.store(em, buf[par] + cols[c0] * pixel, dstRow + c0 * pixel, pixel,
                            new Dma.Loop(c1 - c0, pixel, step * pixel), new Dma.Loop(r1 - r0, outRow, 0));
                    c0 = c1;
                }
                par ^= 1;
                r0 = r1;
            }
        }
    }
}
