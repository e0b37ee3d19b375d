package dev.cnnip.compiler.backend;

import java.util.List;

/**
 * The input of a transposed convolution with its stride turned into zero insertion, on the DMA engines:
 * output {@code u} [n, (h−1)·sh + 1, (w−1)·sw + 1, c] (NHWC) holds input pixel {@code (y, x)} at
 * {@code (y·sh, x·sw)} and the zero point's code everywhere else, so a stride-1 convolution over it with
 * the flipped kernel is the ConvTranspose. First one row of fill codes (a DRAM constant at {@code fill}) is
 * loaded once and stored to every output row (SRAM stride 0); then per tile of input rows one load and
 * one scattering store (pixel stride {@code sw·c}, row stride {@code sh} rows) place the values.
 */
record ZeroInsertLayerOp(String name, List<String> nodes, TensorRef x, TensorRef u, int n, int h, int w, int c, int sh, int sw,
                         long fill) implements LayerOp {
    @Override
    public String op() {
        return "ConvTranspose";
    }

    @Override
    public List<TensorRef> inputs() {
        return List.of(x);
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(u);
    }

    private int hu() {
        return (h - 1) * sh + 1;
    }

    private int wu() {
        return (w - 1) * sw + 1;
    }

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        int eb = x.dtype().size();
        long fillBytes = (long) wu() * c * eb;
        long rowBytes = (long) w * c * eb;
        long rows = Math.min(h, (sramBytes / 2 - fillBytes - 2 * SramArena.ALIGN) / rowBytes);
        if (rows < 1) {
            throw new BackendException("layer '" + name + "' (ConvTranspose) rows of " + fillBytes + " and " + rowBytes
                    + " bytes do not fit in SRAM");
        }
        long fillBuf = arena.alloc(fillBytes);
        long[] buf = arena.allocPair(rows * rowBytes);
        return em -> emit(em, rows, fillBuf, buf);
    }

    private void emit(Emitter em, long rows, long fillBuf, long[] buf) {
        int eb = x.dtype().size();
        long uRow = (long) wu() * c * eb;
        long rowBytes = (long) w * c * eb;
        int tile = 0;
        em.tile(tile++);
        Dma.load(em, fill, fillBuf, uRow);
        Dma.store(em, fillBuf, u.address(), uRow, new Dma.Loop(n * hu(), uRow, 0));
        int par = 0;
        for (int nb = 0; nb < n; nb++) {
            for (int r0 = 0; r0 < h; r0 += (int) rows) {
                em.tile(tile++);
                int rr = (int) Math.min(rows, h - r0);
                Dma.load(em, x.address() + ((long) nb * h + r0) * rowBytes, buf[par], rr * rowBytes);
                long dst = u.address() + ((long) nb * hu() + (long) r0 * sh) * uRow;
                Dma.store(em, buf[par], dst, (long) c * eb, new Dma.Loop(w, (long) sw * c * eb, (long) c * eb),
                        new Dma.Loop(rr, sh * uRow, rowBytes));
                par ^= 1;
            }
        }
    }
}
