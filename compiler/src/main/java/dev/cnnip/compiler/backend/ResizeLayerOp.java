package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * Nearest-neighbour upsampling of an NHWC tensor by integer factors: per tile of input rows, LD the rows
 * and ST them {@code sh · sw} times with scattering strides, one store per phase {@code (dy, dx)}:
 * output pixel {@code (y·sh + dy, x·sw + dx)} takes input pixel {@code (y, x)}.
 */
record ResizeLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int h, int w, int c, int sh,
                     int sw) implements LayerOp {
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
        int eb = x.dtype().size();
        long rowBytes = (long) w * c * eb;
        long rows = Math.min(h, (sramBytes / 2 - SramArena.ALIGN) / rowBytes);
        if (rows < 1) throw new BackendException("layer '" + name + "' (Resize) row of " + rowBytes + " bytes does not fit in SRAM");
        long[] buf = arena.allocPair(rows * rowBytes);
        return em -> emit(em, rows, buf);
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long rows, long[] buf) {
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
                Dma.load(em, x.address() + ((long) nb * h + r0) * rowBytes, buf[par], rr * rowBytes);
                for (int dy = 0; dy < sh; dy++) {
                    for (int dx = 0; dx < sw; dx++) {
                        long dst = y.address() + ((((long) nb * oh + (long) r0 * sh + dy) * ow + dx) * c) * eb;
                        Dma.store(em, buf[par], dst, (long) c * eb,
                                new Dma.Loop(w, (long) sw * c * eb, (long) c * eb),
                                new Dma.Loop(rr, (long) sh * ow * c * eb, rowBytes));
                    }
                }
                par ^= 1;
            }
        }
    }
}
