package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * Copies a rank-4 tensor between NHWC (the backend's layout) and NCHW order (the row-major order of a
 * flattened or reshaped view): per batch and channel block, one gathering DMA and one contiguous DMA.
 *
 * @param toRowMajor NHWC to NCHW when true, NCHW to NHWC when false
 */
record RelayoutLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int c, int h, int w, int eb,
                       boolean toRowMajor) implements LayerOp {
    @Override
    public String op() {
        return "Relayout";
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
        long plane = (long) h * w * eb;
        long cb = Math.min(c, (sramBytes / 2 - SramArena.ALIGN) / plane);
        if (cb <= 0) throw new BackendException("layer '" + name + "' (Relayout) plane of " + plane + " bytes does not fit in SRAM");
        long[] buf = arena.allocPair(cb * plane);
        return em -> emit(em, cb, buf);
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long cb, long[] buf) {
        long plane = (long) h * w * eb;
        int par = 0;
        int tile = 0;
        for (int nb = 0; nb < n; nb++) {
            for (int c0 = 0; c0 < c; c0 += (int) cb) {
                em.tile(tile++);
                int cc = (int) Math.min(cb, c - c0);
                long nhwc = (long) nb * h * w * c + c0;          // element offset of (nb, 0, 0, c0)
                long nchw = ((long) nb * c + c0) * h * w;          // element offset of (nb, c0, 0, 0)
                Dma.Loop px = new Dma.Loop(w, (long) c * eb, eb);
                Dma.Loop row = new Dma.Loop(h, (long) w * c * eb, (long) w * eb);
                Dma.Loop ch = new Dma.Loop(cc, eb, plane);
                if (toRowMajor) {
                    Dma.load(em, x.address() + nhwc * eb, buf[par], eb, px, row, ch);
                    Dma.store(em, buf[par], y.address() + nchw * eb, cc * plane);
                } else {
                    Dma.load(em, x.address() + nchw * eb, buf[par], cc * plane);
                    Dma.store(em, buf[par], y.address() + nhwc * eb, eb, px, row, ch);
                }
                par ^= 1;
            }
        }
    }
}
