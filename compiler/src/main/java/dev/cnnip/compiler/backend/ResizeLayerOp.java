package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * Nearest-neighbour upsampling of an NHWC tensor by integer factors: per tile of input rows, LD the rows
 * and ST them {@code sh} times, one store per row phase {@code dy} whose innermost loop repeats each input pixel
 * {@code sw} times (SRAM stride 0): output pixel {@code (y·sh + dy, x·sw + dx)} takes input pixel {@code (y, x)}. An input resident in SRAM
 * ({@link Residency}, batch 1) is stored from in place, with no load and no buffer, in up to
 * {@link ConvPlan#PIPELINE_BANDS} bands of rows while each band keeps at least {@link #BAND_ELEMENTS} output
 * elements (so the stores of a band start once the producer has written its rows).
 */
record ResizeLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int h, int w, int c, int sh,
                     int sw) implements LayerOp {
    /**
     * Output elements a band keeps at least when a resident input is stored in bands (up to
     * {@link ConvPlan#PIPELINE_BANDS}). Each band pays {@code sh} DMA setups on a DRAM-bound layer, so the bands are
     * fewer than a convolution's: measured on yunet (v3u-like), 32,768 gave 169,276 cycles (its 40x40x64 Resize in
     * 2 bands, the 20x20x64 one in 1), 16,384 170,072 (4 and 1), 65,536 169,704 (1 and 1), and the earlier rule
     * (split while a band has more than 16,384: 4 and 2 bands) 170,272.
     */
    static final long BAND_ELEMENTS = 32768;

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
        return lower(arena, sramBytes, Residency.NONE);
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes, Residency residency) {
        long xRes = residency.address(x);
        if (xRes >= 0) {
            if (n != 1) throw new BackendException("layer '" + name + "' (Resize) cannot read a resident input of batch " + n);
            int bands = 1;
            while (bands < ConvPlan.PIPELINE_BANDS && bands < h
                    && (long) ConvPlan.ceil(h, 2 * bands) * sh * w * sw * c >= BAND_ELEMENTS) {
                bands *= 2;
            }
            long rows = ConvPlan.ceil(h, Math.min(bands, h));
            return em -> emit(em, rows, null, xRes);
        }
        int eb = x.dtype().size();
        long rowBytes = (long) w * c * eb;
        long rows = Math.min(h, (sramBytes / 2 - SramArena.ALIGN) / rowBytes);
        if (rows < 1) throw new BackendException("layer '" + name + "' (Resize) row of " + rowBytes + " bytes does not fit in SRAM");
        long[] buf = arena.allocPair(rows * rowBytes);
        return em -> emit(em, rows, buf, -1);
    }

    /**
     * Emits the instructions into the buffers {@link #lower} placed, or (with {@code xRes >= 0}, {@code buf}
     * null) storing from the resident input at SRAM address {@code xRes}.
     */
    private void emit(Emitter em, long rows, long[] buf, long xRes) {
        int eb = x.dtype().size();
        long rowBytes = (long) w * c * eb;
        int oh = h * sh;
        int ow = w * sw;
        int par = 0;
        int tile = 0;
        for (int nb = 0; nb < n; nb++) {
            for (int r0 = 0; r0 < h; r0 += (int) rows) {
                em.tile(tile++);
                int rr = (int) Math.min(rows, h - r0);
                long src;
                if (xRes >= 0) {
                    src = xRes + (long) r0 * rowBytes;
                } else {
                    src = buf[par];
                    Dma.load(em, x.address() + ((long) nb * h + r0) * rowBytes, src, rr * rowBytes);
                }
                // one store per output row phase dy: the innermost loop writes each input pixel sw times side
                // by side (SRAM stride 0), so an output row is one contiguous DRAM run and the store pays
                // dma.row_overhead once per row instead of once per pixel and phase
                for (int dy = 0; dy < sh; dy++) {
                    long dst = y.address() + (((long) nb * oh + (long) r0 * sh + dy) * ow * c) * eb;
                    Dma.store(em, src, dst, (long) c * eb,
                            new Dma.Loop(sw, (long) c * eb, 0),
                            new Dma.Loop(w, (long) sw * c * eb, (long) c * eb),
                            new Dma.Loop(rr, (long) sh * ow * c * eb, rowBytes));
                }
                par ^= 1;
            }
        }
    }
}
