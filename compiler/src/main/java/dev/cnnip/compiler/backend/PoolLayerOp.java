package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.List;

/** Max or average pooling: per batch, channel block and spatial tile, LD the input window, PP pools, ST the tile. */
record PoolLayerOp(String name, List<String> nodes, PoolSpec spec) implements LayerOp {
    @Override
    public String op() {
        return spec.average() ? "AveragePool" : "MaxPool";
    }

    @Override
    public List<TensorRef> inputs() {
        return List.of(spec.x());
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(spec.y());
    }


    /** Output elements above which a pooling layer is split into row bands (up to {@link ConvPlan#PIPELINE_BANDS}). */
    static final long PIPELINE_ELEMENTS = 4096;

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        return lower(arena, sramBytes, Residency.NONE);
    }

    /**
     * The fewest tiles whose buffers fit twice, split into row bands while a band has more than
     * {@link ConvPlan#PIPELINE_ELEMENTS} output elements and there are fewer than {@link ConvPlan#PIPELINE_BANDS}
     * (so that the neighbouring layers overlap it). An input or output resident in SRAM ({@link Residency}) is read
     * or written in place: tiles then hold every channel and span the full width, so that each tile is a
     * contiguous band of rows of the resident {@code [h][w][c]} tensor.
     */
    @Override
    public Emission lower(SramArena arena, long sramBytes, Residency residency) {
        PoolSpec p = spec;
        long xRes = residency.address(p.x());
        long yRes = residency.address(p.y());
        boolean store = !residency.sramOnly(p.y());
        boolean bands = xRes >= 0 || yRes >= 0;
        if (xRes >= 0 && Window.of(0, p.ow(), p.sw(), p.kw(), p.dw(), p.pl(), p.iw()).length() != p.iw()) {
            // the window does not cover every input column, so a tile's rows would not have the tensor's pitch
            throw new BackendException("layer '" + name + "' (" + op() + ") cannot read its input in place: its windows skip input columns");
        }
        int[] best = null;
        long bestTiles = Long.MAX_VALUE;
        for (int tc : ConvPlan.halvings(p.c())) {
            if (bands && tc != p.c()) continue;
            for (int toh : ConvPlan.halvings(p.oh())) {
                for (int tow : ConvPlan.halvings(p.ow())) {
                    if (bands && tow != p.ow()) continue;
                    if (2 * bytes(p, tc, toh, tow, xRes >= 0, yRes >= 0) > sramBytes) continue;
                    long tiles = (long) ConvPlan.ceil(p.c(), tc) * ConvPlan.ceil(p.oh(), toh) * ConvPlan.ceil(p.ow(), tow);
                    if (tiles < bestTiles) {
                        bestTiles = tiles;
                        best = new int[] {tc, toh, tow};
                    }
                }
            }
        }
        if (best == null) throw new BackendException("layer '" + name + "' (" + op() + ") does not fit in SRAM of " + sramBytes + " bytes");
        while (best[1] > 1 && ConvPlan.ceil(p.oh(), best[1]) < ConvPlan.PIPELINE_BANDS
                && (long) best[0] * best[1] * best[2] > PIPELINE_ELEMENTS) {
            best[1] = (best[1] + 1) / 2;
        }
        int tcMax = best[0];
        int tohMax = best[1];
        int towMax = best[2];
        int eb = p.dt().bytes();
        long[] in = xRes >= 0 ? null : arena.allocPair((long) Math.min(p.ih(), Window.span(tohMax, p.sh(), p.kh(), p.dh()))
                * Math.min(p.iw(), Window.span(towMax, p.sw(), p.kw(), p.dw())) * tcMax * eb);
        long[] out = yRes >= 0 ? null : arena.allocPair((long) tohMax * towMax * tcMax * eb);
        return em -> emit(em, tcMax, tohMax, towMax, in, out, xRes, yRes, store);
    }

    private static long bytes(PoolSpec p, int tc, int toh, int tow, boolean xRes, boolean yRes) {
        int eb = p.dt().bytes();
        long rows = Math.min(p.ih(), Window.span(toh, p.sh(), p.kh(), p.dh()));
        long cols = Math.min(p.iw(), Window.span(tow, p.sw(), p.kw(), p.dw()));
        return (xRes ? 0 : SramArena.align(rows * cols * tc * eb)) + (yRes ? 0 : SramArena.align((long) toh * tow * tc * eb));
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, int tcMax, int tohMax, int towMax, long[] in, long[] out, long xRes, long yRes,
                      boolean store) {
        PoolSpec p = spec;
        int eb = p.dt().bytes();
        if (p.average()) {
            em.set(Engine.PP, p.avgRegs());
            em.set(Engine.PP, Reg.PP_CIP, p.countIncludePad() ? 1 : 0);
        }
        int par = 0;
        int tile = 0;
        for (int nb = 0; nb < p.n(); nb++) {
            for (int c0 = 0; c0 < p.c(); c0 += tcMax) {
                int tc = Math.min(tcMax, p.c() - c0);
                for (int oy0 = 0; oy0 < p.oh(); oy0 += tohMax) {
                    for (int ox0 = 0; ox0 < p.ow(); ox0 += towMax) {
                        em.tile(tile++);
                        int toh = Math.min(tohMax, p.oh() - oy0);
                        int tow = Math.min(towMax, p.ow() - ox0);
                        Window rows = Window.of(oy0, toh, p.sh(), p.kh(), p.dh(), p.pt(), p.ih());
                        Window cols = Window.of(ox0, tow, p.sw(), p.kw(), p.dw(), p.pl(), p.iw());
                        long inBytes = (long) rows.length() * cols.length() * tc * eb;
                        long src0;
                        if (xRes >= 0) {
                            // a band of full rows, every channel, of the resident [h][w][c] input
                            src0 = xRes + (long) rows.start() * p.iw() * p.c() * eb;
                        } else {
                            src0 = in[par];
                        }
                        if (xRes < 0 && inBytes > 0) {
                            long src = p.x().address() + ((((long) nb * p.ih() + rows.start()) * p.iw() + cols.start()) * p.c() + c0) * eb;
                            Dma.load(em, src, in[par], (long) tc * eb,
                                    new Dma.Loop(cols.length(), (long) p.c() * eb, (long) tc * eb),
                                    new Dma.Loop(rows.length(), (long) p.iw() * p.c() * eb, (long) cols.length() * tc * eb));
                        }
                        em.set(Engine.PP, RegWrites.of(Reg.PP_IH, rows.length()).and(Reg.PP_IW, cols.length()).and(Reg.PP_C, tc)
                                .and(Reg.PP_OH, toh).and(Reg.PP_OW, tow).and(Reg.PP_KH, p.kh())
                                .and(Reg.PP_KW, p.kw()).and(Reg.PP_SH, p.sh()).and(Reg.PP_SW, p.sw())
                                .and(Reg.PP_DH, p.dh()).and(Reg.PP_DW, p.dw()).and(Reg.PP_PT, rows.pad())
                                .and(Reg.PP_PL, cols.pad()));
                        long o = yRes >= 0 ? yRes + (long) oy0 * p.ow() * p.c() * eb : out[par];
                        em.emit(Insn.of(p.average() ? Opcode.PP_AVGPOOL : Opcode.PP_MAXPOOL).with(F.SRC, src0).with(F.DST, o).type(F.DT, p.dt()).build());
                        long dst = p.y().address() + ((((long) nb * p.oh() + oy0) * p.ow() + ox0) * p.c() + c0) * eb;
                        if (store) {
                            Dma.store(em, o, dst, (long) tc * eb,
                                    new Dma.Loop(tow, (long) p.c() * eb, (long) tc * eb),
                                    new Dma.Loop(toh, (long) p.ow() * p.c() * eb, (long) tow * tc * eb));
                        }
                        par ^= 1;
                    }
                }
            }
        }
    }
}
