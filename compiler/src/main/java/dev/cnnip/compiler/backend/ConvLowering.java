package dev.cnnip.compiler.backend;

import dev.cnnip.isa.table.RequantEntry;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;

/**
 * Lowers a {@link ConvSpec} to instructions: per batch, output-channel block, and spatial tile, LD
 * brings weights, parameters and the input window into SRAM, EX accumulates (over input-channel chunks
 * when the channels do not fit), PP requantizes, ST writes the output tile back. Every buffer is double
 * buffered when it is filled more than once ({@link ConvPlan.Copies}); the emitter turns buffer reuse into
 * semaphores, so loads of tile t+1 overlap compute of t.
 */
final class ConvLowering {
    private ConvLowering() {}

    /**
     * The double-buffered SRAM buffers of a convolution: weights, requantization parameters, per-channel
     * weight zero points (null when scalar), input windows, accumulators and output tiles.
     */
    record Buffers(long[] w, long[] p, long[] z, long[] in, long[] acc, long[] out) {
    }

    /** Allocates the buffers {@code plan}'s tiles need from {@code arena}. */
    static Buffers allocate(SramArena arena, ConvSpec c, ConvPlan plan) {
        return allocate(arena, c, plan, false, false);
    }

    /**
     * Allocates the buffers {@code plan}'s tiles need from {@code arena}: no input windows when the input is
     * resident in SRAM ({@code xRes}), no output tiles when the output is ({@code yRes}).
     */
    static Buffers allocate(SramArena arena, ConvSpec c, ConvPlan plan, boolean xRes, boolean yRes) {
        int kc = c.groups() == 1 ? plan.tic() : c.gic();
        ConvPlan.Copies k = ConvPlan.Copies.of(c, plan);
        long[] wBuf = buffers(arena, k.w(), (long) plan.toc() * c.kh() * c.kw() * kc * c.wt().bytes());
        long[] pBuf = buffers(arena, k.p(), RequantEntry.tableBytes(plan.toc()));
        long[] zBuf = c.wzpTable() >= 0 ? buffers(arena, k.p(), plan.toc() * 4L) : null;
        int rowsMax = Math.min(c.ih(), Window.span(plan.toh(), c.sh(), c.kh(), c.dh()));
        int colsMax = Math.min(c.iw(), Window.span(plan.tow(), c.sw(), c.kw(), c.dw()));
        int inChannels = ConvPlan.tileInputChannels(c, plan.toc(), plan.tic());
        long[] inBuf = xRes ? null : buffers(arena, k.in(), (long) rowsMax * colsMax * inChannels * c.xt().bytes());
        long[] accBuf = buffers(arena, k.tile(), (long) plan.toh() * plan.tow() * plan.toc() * c.accBytes());
        long[] outBuf = yRes ? null : buffers(arena, k.tile(), (long) plan.toh() * plan.tow() * plan.toc() * c.yt().bytes());
        return new Buffers(wBuf, pBuf, zBuf, inBuf, accBuf, outBuf);
    }

    /** Two buffers for double buffering, or one serving both parities when it is filled only once. */
    private static long[] buffers(SramArena arena, int copies, long bytes) {
        if (copies == 2) return arena.allocPair(bytes);
        long a = arena.alloc(bytes);
        return new long[] {a, a};
    }

    static void emit(Emitter em, ConvSpec c, ConvPlan plan, Buffers b) {
        emit(em, c, plan, b, -1, -1, true);
    }

    /**
     * As {@link #emit(Emitter, ConvSpec, ConvPlan, Buffers)}, with the input read in place from its
     * SRAM-resident copy at {@code xRes} (tiles then span the full width: the convolution reads rows with the
     * tensor's own pitch) and the output requantized into its SRAM-resident copy at {@code yRes}, and stored
     * from there when {@code store} (−1: not resident). Resident copies have the DRAM layout {@code [h][w][c]}
     * (batch 1).
     */
    static void emit(Emitter em, ConvSpec c, ConvPlan plan, Buffers b, long xRes, long yRes, boolean store) {
        long[] wBuf = b.w();
        long[] pBuf = b.p();
        long[] zBuf = b.z();
        long[] inBuf = b.in();
        long[] accBuf = b.acc();
        long[] outBuf = b.out();
        int xb = c.xt().bytes();
        int wb = c.wt().bytes();
        int yb = c.yt().bytes();
        int icChunks = c.groups() == 1 ? ConvPlan.ceil(c.gic(), plan.tic()) : 1;
        int wPar = 0;
        int pPar = 0;
        int inPar = 0;
        int spPar = 0;
        int tile = 0;
        for (int nb = 0; nb < c.n(); nb++) {
            for (int oc0 = 0, toc; oc0 < c.oc(); oc0 += toc) {
                // a block inside a group ends at the group's end; else blocks of whole groups or channels
                int end = ConvPlan.partialGroup(c, plan.toc()) ? (oc0 / c.goc() + 1) * c.goc() : c.oc();
                toc = Math.min(plan.toc(), end - oc0);
                em.tile(tile);
                int curP = pPar;
                pPar ^= 1;
                Dma.load(em, c.params() + RequantEntry.tableBytes(oc0), pBuf[curP], RequantEntry.tableBytes(toc));
                if (zBuf != null) Dma.load(em, c.wzpTable() + oc0 * 4L, zBuf[curP], toc * 4L);
                int curW = -1;
                if (icChunks == 1) {
                    curW = wPar;
                    wPar ^= 1;
                    loadWeights(em, c, nb, oc0, toc, 0, c.gic(), wBuf[curW]);
                }
                for (int oy0 = 0; oy0 < c.oh(); oy0 += plan.toh()) {
                    for (int ox0 = 0; ox0 < c.ow(); ox0 += plan.tow()) {
                        em.tile(tile++);
                        int toh = Math.min(plan.toh(), c.oh() - oy0);
                        int tow = Math.min(plan.tow(), c.ow() - ox0);
                        Window rows = Window.of(oy0, toh, c.sh(), c.kh(), c.dh(), c.pt(), c.ih());
                        Window cols = Window.of(ox0, tow, c.sw(), c.kw(), c.dw(), c.pl(), c.iw());
                        long acc = accBuf[spPar];
                        int spCur = spPar;
                        spPar ^= 1;
                        for (int chunk = 0; chunk < icChunks; chunk++) {
                            int ic0 = chunk * plan.tic();
                            int tic = c.groups() == 1 ? Math.min(plan.tic(), c.gic() - ic0) : c.gic();
                            if (icChunks > 1) {
                                curW = wPar;
                                wPar ^= 1;
                                loadWeights(em, c, nb, oc0, toc, ic0, tic, wBuf[curW]);
                            }
                            int c0 = c.groups() == 1 ? ic0 : (oc0 / c.goc()) * c.gic();
                            int nc = ConvPlan.tileInputChannels(c, toc, tic);
                            long in;
                            int exIw;
                            int exIc;
                            if (xRes >= 0) {
                                // Read in place: full rows of the resident [h][w][c] tensor, channels from c0.
                                in = xRes + (((long) rows.start() * c.iw()) * c.ic() + c0) * xb;
                                exIw = c.iw();
                                exIc = c.ic();
                            } else {
                                in = inBuf[inPar];
                                inPar ^= 1;
                                exIw = cols.length();
                                exIc = nc;
                                long inBytes = (long) rows.length() * cols.length() * nc * xb;
                                if (inBytes > 0) {
                                    long src = c.x().address()
                                            + ((((long) nb * c.ih() + rows.start()) * c.iw() + cols.start()) * c.ic() + c0) * xb;
                                    Dma.load(em, src, in, (long) nc * xb,
                                            new Dma.Loop(cols.length(), (long) c.ic() * xb, (long) nc * xb),
                                            new Dma.Loop(rows.length(), (long) c.iw() * c.ic() * xb, (long) cols.length() * nc * xb));
                                }
                            }
                            em.set(Engine.EX, RegWrites.of(Reg.EX_IH, rows.length()).and(Reg.EX_IW, exIw).and(Reg.EX_IC, exIc)
                                    .and(Reg.EX_OH, toh).and(Reg.EX_OW, tow).and(Reg.EX_OC, toc)
                                    .and(Reg.EX_KH, c.kh()).and(Reg.EX_KW, c.kw()).and(Reg.EX_SH, c.sh())
                                    .and(Reg.EX_SW, c.sw()).and(Reg.EX_DH, c.dh()).and(Reg.EX_DW, c.dw())
                                    .and(Reg.EX_PT, rows.pad()).and(Reg.EX_PL, cols.pad()).and(Reg.EX_GIC, tic)
                                    .and(Reg.EX_GOC, c.groups() == 1 ? toc : c.goc()).and(Reg.EX_XZP, c.xzp()));
                            if (zBuf != null) {
                                em.set(Engine.EX, Reg.EX_WZA, (int) zBuf[curP]);
                            } else {
                                em.set(Engine.EX, Reg.EX_WZP, c.wzp());
                            }
                            em.emit(Insn.of(Opcode.EX_CONV).with(F.X, in).with(F.W, wBuf[curW]).with(F.ACC, acc)
                                    .type(F.XT, c.xt()).type(F.WT, c.wt()).flag(F.ACCUM, chunk > 0)
                                    .flag(F.A64, c.acc64()).flag(F.WZPV, zBuf != null).build());
                        }
                        long dst = c.y().address() + ((((long) nb * c.oh() + oy0) * c.ow() + ox0) * c.oc() + oc0) * yb;
                        if (yRes >= 0) {
                            // Requantize into the resident copy (pixel pitch oc), row by row unless the tile spans
                            // the full width, then store the tile from there unless it lives in SRAM only.
                            long tileAt = yRes + (((long) oy0 * c.ow() + ox0) * c.oc() + oc0) * yb;
                            int rowsPerPp = tow == c.ow() ? toh : 1;
                            int pix = rowsPerPp * tow;
                            em.set(Engine.PP, RegWrites.of(Reg.PP_N, pix).and(Reg.PP_C, toc).and(Reg.PP_APITCH, toc)
                                    .and(Reg.PP_OPITCH, c.oc()).and(Reg.PP_OZP, c.y().zp0()).and(Reg.PP_QMIN, c.qmin())
                                    .and(Reg.PP_QMAX, c.qmax()));
                            for (int r = 0; r < toh; r += rowsPerPp) {
                                long a = acc + (long) r * tow * toc * c.accBytes();
                                long o = tileAt + (long) r * c.ow() * c.oc() * yb;
                                em.emit(Insn.of(Opcode.PP_REQUANT).with(F.ACC, a).with(F.PRM, pBuf[curP]).with(F.OUT, o)
                                        .type(F.OT, c.yt()).with(F.MODE, c.intMode() ? 1 : 0).flag(F.A64, c.acc64()).build());
                            }
                            if (store) {
                                Dma.store(em, tileAt, dst, (long) toc * yb,
                                        new Dma.Loop(tow, (long) c.oc() * yb, (long) c.oc() * yb),
                                        new Dma.Loop(toh, (long) c.ow() * c.oc() * yb, (long) c.ow() * c.oc() * yb));
                            }
                            continue;
                        }
                        long out = outBuf[spCur];
                        em.set(Engine.PP, RegWrites.of(Reg.PP_N, toh * tow).and(Reg.PP_C, toc).and(Reg.PP_APITCH, toc)
                                .and(Reg.PP_OPITCH, toc).and(Reg.PP_OZP, c.y().zp0()).and(Reg.PP_QMIN, c.qmin())
                                .and(Reg.PP_QMAX, c.qmax()));
                        em.emit(Insn.of(Opcode.PP_REQUANT).with(F.ACC, acc).with(F.PRM, pBuf[curP]).with(F.OUT, out)
                                        .type(F.OT, c.yt()).with(F.MODE, c.intMode() ? 1 : 0).flag(F.A64, c.acc64()).build());
                        Dma.store(em, out, dst, (long) toc * yb,
                                new Dma.Loop(tow, (long) c.oc() * yb, (long) toc * yb),
                                new Dma.Loop(toh, (long) c.ow() * c.oc() * yb, (long) tow * toc * yb));
                    }
                }
            }
        }
    }

    /** Loads weights of output channels [oc0, oc0+toc) and reduction channels [ic0, ic0+tic) as [toc][kh][kw][tic]. */
    private static void loadWeights(Emitter em, ConvSpec c, int nb, int oc0, int toc, int ic0, int tic, long sram) {
        int wb = c.wt().bytes();
        if (c.dynamicWeights()) {
            // [k][n] matrix in DRAM, element (k, o) at (k * oc + o); SRAM wants [o][k]
            long src = c.dynamicB().address() + nb * c.weightBatchStride() + ((long) ic0 * c.oc() + oc0) * wb;
            Dma.load(em, src, sram, wb,
                    new Dma.Loop(tic, (long) c.oc() * wb, wb),
                    new Dma.Loop(toc, wb, (long) tic * wb));
            return;
        }
        long src = c.weights() + ((long) oc0 * c.kh() * c.kw() * c.gic() + ic0) * wb;
        Dma.load(em, src, sram, (long) tic * wb,
                new Dma.Loop(toc * c.kh() * c.kw(), (long) c.gic() * wb, (long) tic * wb));
    }
}
