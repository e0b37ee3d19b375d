package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * Gathers interpolation taps of an NHWC image for a bilinear Resize, on the DMA engines: output {@code g} holds,
 * for every image row {@code nc = n·C + c}, the entries {@code e = 0 .. taps.length − 1} contiguously
 * ({@code g[nc][e] = x[n][taps[e] / w][taps[e] % w][c]}), which a grouped convolution with one group per output
 * pixel then weighs and sums. When the whole input fits in half the SRAM it is loaded once and every entry is one
 * strided store (C elements at stride {@code taps.length}, N images); otherwise each entry is a strided load of its
 * N·C values followed by that store.
 *
 * @param taps input pixel index {@code iy·w + ix} of each entry
 */
record TapGatherLayerOp(String name, List<String> nodes, TensorRef x, TensorRef g, int n, int h, int w, int c, int[] taps)
        implements LayerOp {
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
        return List.of(g);
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        int eb = x.dtype().size();
        long whole = (long) n * h * w * c * eb;
        if (whole + SramArena.ALIGN <= sramBytes / 2) {
            long buf = arena.alloc(whole);
            return em -> emitWhole(em, buf);
        }
        long entry = (long) n * c * eb;
        if (2 * entry + 2 * SramArena.ALIGN > sramBytes) {
            throw new BackendException("layer '" + name + "' (Resize) " + entry + " bytes per tap do not fit in SRAM");
        }
        long[] buf = arena.allocPair(entry);
        return em -> emitPerTap(em, buf);
    }

    private void emitWhole(Emitter em, long buf) {
        int eb = x.dtype().size();
        long image = (long) h * w * c * eb;
        em.tile(0);
        Dma.load(em, x.address(), buf, n * image);
        long e = taps.length;
        for (int k = 0; k < taps.length; k++) {
            Dma.store(em, buf + (long) taps[k] * c * eb, g.address() + k * eb, eb, new Dma.Loop(c, e * eb, eb),
                    new Dma.Loop(n, c * e * eb, image));
        }
    }

    private void emitPerTap(Emitter em, long[] buf) {
        int eb = x.dtype().size();
        long image = (long) h * w * c * eb;
        long e = taps.length;
        int par = 0;
        for (int k = 0; k < taps.length; k++) {
            em.tile(k);
            Dma.load(em, x.address() + (long) taps[k] * c * eb, buf[par], (long) c * eb, new Dma.Loop(n, image, (long) c * eb));
            Dma.store(em, buf[par], g.address() + k * eb, eb, new Dma.Loop(c, e * eb, eb), new Dma.Loop(n, c * e * eb, (long) c * eb));
            par ^= 1;
        }
    }
}
