package dev.cnnip.compiler.backend;

import dev.cnnip.isa.table.RequantEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile sizes of a convolution: {@code toc} output channels, {@code tic} input channels per accumulation
 * chunk (ungrouped convolutions only), {@code toh × tow} output pixels. Chosen by {@link #choose} to fit
 * every buffer twice (double buffering) in the SRAM while moving the fewest DRAM bytes. A grouped
 * convolution's block is whole groups, or part of one group when even one group does not fit
 * ({@link #partialGroup}: blocks then never straddle two groups).
 */
record ConvPlan(int toc, int tic, int toh, int tow) {

    /** Input channels held by an input tile: the chunk, or the channels of the tile's groups. */
    static int tileInputChannels(ConvSpec c, int toc, int tic) {
        return c.groups() == 1 ? tic : Math.max(1, toc / c.goc()) * c.gic();
    }

    /** Whether blocks of {@code toc} output channels are parts of single groups of a grouped convolution. */
    static boolean partialGroup(ConvSpec c, int toc) {
        return c.groups() > 1 && toc < c.goc();
    }

    /** Output-channel blocks: {@code ⌈oc/toc⌉}, or {@code ⌈goc/toc⌉} per group for blocks inside groups. */
    static int ocBlocks(ConvSpec c, int toc) {
        return partialGroup(c, toc) ? c.groups() * ceil(c.goc(), toc) : ceil(c.oc(), toc);
    }

    /** SRAM bytes of one set of buffers (weights, zero points, parameters, input, accumulators, output). */
    static long bufferBytes(ConvSpec c, int toc, int tic, int toh, int tow) {
        return bufferBytes(c, toc, tic, toh, tow, false, false);
    }

    /**
     * {@link #bufferBytes(ConvSpec, int, int, int, int)} without the input buffer when the input is resident in
     * SRAM ({@code xRes}) and without the output buffer when the output is ({@code yRes}).
     */
    static long bufferBytes(ConvSpec c, int toc, int tic, int toh, int tow, boolean xRes, boolean yRes) {
        int kc = c.groups() == 1 ? tic : c.gic();
        long w = SramArena.align((long) toc * c.kh() * c.kw() * kc * c.wt().bytes());
        long p = SramArena.align(RequantEntry.tableBytes(toc)) + (c.wzpTable() >= 0 ? SramArena.align(toc * 4L) : 0);
        long rows = Math.min(c.ih(), Window.span(toh, c.sh(), c.kh(), c.dh()));
        long cols = Math.min(c.iw(), Window.span(tow, c.sw(), c.kw(), c.dw()));
        long in = xRes ? 0 : SramArena.align(rows * cols * tileInputChannels(c, toc, tic) * c.xt().bytes());
        long acc = SramArena.align((long) toh * tow * toc * c.accBytes());
        long out = yRes ? 0 : SramArena.align((long) toh * tow * toc * c.yt().bytes());
        return w + p + in + acc + out;
    }

    /**
     * SRAM bytes the lowering allocates for a plan: each buffer twice (double buffering) when it is filled more
     * than once over the layer, else once (a layer with a single output-channel block loads its weights and
     * parameters once; a single tile needs one input, accumulator and output buffer). {@link #choose} still
     * requires room for every buffer twice, so plans do not depend on this; the saving leaves room for the
     * next layers' prefetched weights.
     */
    static long footprint(ConvSpec c, ConvPlan plan, boolean xRes, boolean yRes) {
        int toc = plan.toc();
        int tic = plan.tic();
        int toh = plan.toh();
        int tow = plan.tow();
        int kc = c.groups() == 1 ? tic : c.gic();
        Copies k = Copies.of(c, plan);
        long w = k.w() * SramArena.align((long) toc * c.kh() * c.kw() * kc * c.wt().bytes());
        long p = k.p() * (SramArena.align(RequantEntry.tableBytes(toc)) + (c.wzpTable() >= 0 ? SramArena.align(toc * 4L) : 0));
        long rows = Math.min(c.ih(), Window.span(toh, c.sh(), c.kh(), c.dh()));
        long cols = Math.min(c.iw(), Window.span(tow, c.sw(), c.kw(), c.dw()));
        long in = xRes ? 0 : k.in() * SramArena.align(rows * cols * tileInputChannels(c, toc, tic) * c.xt().bytes());
        long acc = k.tile() * SramArena.align((long) toh * tow * toc * c.accBytes());
        long out = yRes ? 0 : k.tile() * SramArena.align((long) toh * tow * toc * c.yt().bytes());
        return w + p + in + acc + out;
    }

    /**
     * Buffers (1 or 2) for weights, parameters (and weight zero points), input windows, and each tile's
     * accumulators and outputs: 2 when the buffer is filled more than once over the layer.
     */
    record Copies(int w, int p, int in, int tile) {
        static Copies of(ConvSpec c, ConvPlan plan) {
            long blocks = (long) c.n() * ocBlocks(c, plan.toc());
            long chunks = c.groups() == 1 ? ceil(c.gic(), plan.tic()) : 1;
            long spatial = (long) ceil(c.oh(), plan.toh()) * ceil(c.ow(), plan.tow());
            long wLoads = chunks == 1 ? blocks : blocks * spatial * chunks;
            long inLoads = blocks * spatial * chunks;
            return new Copies(wLoads > 1 ? 2 : 1, blocks > 1 ? 2 : 1, inLoads > 1 ? 2 : 1, blocks * spatial > 1 ? 2 : 1);
        }
    }

    /**
     * Output elements above which a tile is split further into row bands when that moves no more DRAM bytes
     * ({@link #choose}): EX then computes one band while PP requantizes the previous one and the next layer,
     * reading a resident input row by row, starts on the first bands.
     */
    static final long PIPELINE_ELEMENTS = 16384;

    /** Row bands a large single-band layer is split into for pipelining. */
    static final int PIPELINE_BANDS = 4;

    /**
     * Whether a plan of {@code bands} row bands of {@code elements} output elements each is split further: below
     * {@link #PIPELINE_BANDS} bands when a band exceeds {@link #PIPELINE_ELEMENTS}, below twice that when it
     * exceeds four times as many (the pipeline's fill and drain, one band each, then weigh less).
     */
    static boolean needsSplit(int bands, long elements) {
        return bands < PIPELINE_BANDS && elements > PIPELINE_ELEMENTS
                || bands < 2 * PIPELINE_BANDS && elements > 4 * PIPELINE_ELEMENTS;
    }

    /** Estimated DRAM bytes moved, plus a per-tile charge that favours fewer, larger transfers. */
    static double cost(ConvSpec c, int toc, int tic, int toh, int tow) {
        return cost(c, toc, tic, toh, tow, false);
    }

    /** {@link #cost(ConvSpec, int, int, int, int)}; an input resident in SRAM costs no DRAM bytes. */
    static double cost(ConvSpec c, int toc, int tic, int toh, int tow, boolean xRes) {
        int ocBlocks = ocBlocks(c, toc);
        int icChunks = c.groups() == 1 ? ceil(c.ic(), tic) : 1;
        int rowTiles = ceil(c.oh(), toh);
        int colTiles = ceil(c.ow(), tow);
        double weightsOnce = (double) c.oc() * c.kh() * c.kw() * c.gic() * c.wt().bytes();
        double weights = icChunks == 1 ? weightsOnce : weightsOnce * rowTiles * colTiles;
        if (c.dynamicWeights()) weights *= 4; // element-wise gathers are slow bursts
        double rows = Math.min(c.ih(), Window.span(toh, c.sh(), c.kh(), c.dh())) * (double) rowTiles;
        double cols = Math.min(c.iw(), Window.span(tow, c.sw(), c.kw(), c.dw())) * (double) colTiles;
        double inFrac = Math.max(1.0, rows / c.ih()) * Math.max(1.0, cols / c.iw());
        double inputLoads = c.groups() == 1 ? ocBlocks : partialGroup(c, toc) ? ceil(c.goc(), toc) : 1;
        double input = xRes ? 0 : (double) c.ih() * c.iw() * c.ic() * c.xt().bytes() * inFrac * inputLoads;
        double tiles = (double) ocBlocks * rowTiles * colTiles * icChunks;
        return c.n() * (weights + input + tiles * 512);
    }

    static ConvPlan choose(ConvSpec c, long sramBytes) {
        return choose(c, sramBytes, false, false);
    }

    /**
     * The cheapest plan that fits; with the input resident in SRAM ({@code xRes}) tiles span the full output
     * width, since the convolution reads the resident tensor with its row pitch; with the output resident
     * ({@code yRes}) there is no output buffer (requantization writes into the resident copy).
     */
    static ConvPlan choose(ConvSpec c, long sramBytes, boolean xRes, boolean yRes) {
        ConvPlan best = choose(c, sramBytes, xRes, yRes, false);
        if (best != null && c.groups() == 1 && ceil(c.gic(), best.tic()) > 1) {
            // The weights come in input-channel chunks because two copies of them do not fit; when one copy
            // does (a single block of one tile, whose buffers are filled once), loading them whole is cheaper.
            ConvPlan once = choose(c, sramBytes, xRes, yRes, true);
            if (once != null && once.tic() == c.gic() && cost(c, once.toc(), once.tic(), once.toh(), once.tow(), xRes)
                    < cost(c, best.toc(), best.tic(), best.toh(), best.tow(), xRes)) {
                best = once;
            }
        }
        return best == null ? null : pipelined(c, best, sramBytes, xRes, yRes);
    }

    /**
     * The cheapest plan whose buffers fit: every buffer twice, or with {@code footprintOnly} as the lowering
     * allocates them ({@link #footprint}: buffers filled once are single).
     */
    private static ConvPlan choose(ConvSpec c, long sramBytes, boolean xRes, boolean yRes, boolean footprintOnly) {
        ConvPlan best = null;
        double bestCost = Double.MAX_VALUE;
        List<Integer> tocs = new ArrayList<>();
        if (c.groups() == 1) {
            tocs = halvings(c.oc());
        } else {
            for (int g : halvings(c.groups())) tocs.add(g * c.goc());
            for (int t : halvings(c.goc())) if (t < c.goc()) tocs.add(t);
        }
        List<Integer> tics = c.groups() == 1 ? halvings(c.ic()) : List.of(c.gic());
        for (int toc : tocs) {
            for (int tic : tics) {
                for (int toh : halvings(c.oh())) {
                    for (int tow : halvings(c.ow())) {
                        if (xRes && tow != c.ow()) continue;
                        long need = footprintOnly ? footprint(c, new ConvPlan(toc, tic, toh, tow), xRes, yRes)
                                : 2 * bufferBytes(c, toc, tic, toh, tow, xRes, yRes);
                        if (need > sramBytes) continue;
                        double cost = cost(c, toc, tic, toh, tow, xRes);
                        if (cost < bestCost) {
                            bestCost = cost;
                            best = new ConvPlan(toc, tic, toh, tow);
                        }
                    }
                }
            }
        }
        return best;
    }

    /**
     * {@code plan} with its row bands halved while {@link #needsSplit}, and the estimated DRAM bytes stay
     * within 5 % + one tile charge (input halo rows) and the plan fits: so that EX, PP and the neighbouring
     * layers overlap instead of waiting for one whole-layer tile.
     */
    private static ConvPlan pipelined(ConvSpec c, ConvPlan plan, long sramBytes, boolean xRes, boolean yRes) {
        double base = cost(c, plan.toc(), plan.tic(), plan.toh(), plan.tow(), xRes);
        ConvPlan p = plan;
        while (p.toh() > 1 && needsSplit(ceil(c.oh(), p.toh()), (long) p.toh() * p.tow() * p.toc())) {
            int toh = (p.toh() + 1) / 2;
            if (2 * bufferBytes(c, p.toc(), p.tic(), toh, p.tow(), xRes, yRes) > sramBytes) break;
            double cost = cost(c, p.toc(), p.tic(), toh, p.tow(), xRes);
            if (cost > base * 1.05 + 512 * ceil(c.oh(), toh) * (double) ceil(c.ow(), p.tow())) break;
            p = new ConvPlan(p.toc(), p.tic(), toh, p.tow());
        }
        // small layers: fewer elements per band, as long as re-reading the weights (and the halo rows) per band
        // adds little to what EX reads and writes in SRAM
        int cols = ceil(c.ow(), p.tow());
        long sram0 = exSramBytes(c, ceil(c.oh(), p.toh()), cols);
        while (p.toh() > 1 && ceil(c.oh(), p.toh()) < PIPELINE_BANDS
                && (long) p.toh() * p.tow() * p.toc() > SMALL_PIPELINE_ELEMENTS) {
            int toh = (p.toh() + 1) / 2;
            if (exSramBytes(c, ceil(c.oh(), toh), cols) > sram0 * (1 + SMALL_PIPELINE_SRAM)) break;
            if (2 * bufferBytes(c, p.toc(), p.tic(), toh, p.tow(), xRes, yRes) > sramBytes) break;
            double cost = cost(c, p.toc(), p.tic(), toh, p.tow(), xRes);
            if (cost > base * 1.05 + 512 * ceil(c.oh(), toh) * (double) ceil(c.ow(), p.tow())) break;
            p = new ConvPlan(p.toc(), p.tic(), toh, p.tow());
        }
        return p;
    }

    /**
     * Output elements per band down to which a small layer is still split into up to {@link #PIPELINE_BANDS}
     * row bands (yunet's 10x10 and 20x20 neck layers: each layer's EX and PP otherwise run in series).
     */
    static final long SMALL_PIPELINE_ELEMENTS = 2048;

    /**
     * The most that splitting a small layer may add to {@link #exSramBytes} (weights and halo rows read once
     * more per band), as a fraction: the split must shorten the layer, not just add traffic that raises its
     * SRAM bound.
     */
    static final double SMALL_PIPELINE_SRAM = 0.20;

    /**
     * Bytes EX reads and writes in SRAM for a layer run as {@code bands} row bands of {@code cols} column tiles:
     * the input (plus {@code kh − sh} halo rows per further band), the weights once per tile and the accumulators.
     */
    static long exSramBytes(ConvSpec c, int bands, int cols) {
        long rowBytes = (long) c.iw() * c.ic();
        long in = (long) c.ih() * rowBytes + (long) (bands - 1) * Math.max(0, c.kh() - c.sh()) * rowBytes;
        long w = (long) c.oc() * c.kh() * c.kw() * c.gic() * bands * cols;
        long acc = (long) c.oh() * c.ow() * c.oc() * c.accBytes();
        return in + w + acc;
    }

    /** n, ⌈n/2⌉, ⌈n/4⌉, … 1 without repeats. */
    static List<Integer> halvings(int n) {
        List<Integer> out = new ArrayList<>();
        for (int v = n; ; v = (v + 1) / 2) {
            if (out.isEmpty() || out.get(out.size() - 1) != v) out.add(v);
            if (v == 1) break;
        }
        return out;
    }

    static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
