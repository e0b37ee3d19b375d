package dev.cnnip.emulator.kernel;

/**
 * The convolution arithmetic of {@code ex.conv} on arrays:
 * <pre>
 * acc[p·oc + o] += Σ_{tap, c<gic} xs[(iy·iw + ix)·ic + g·gic + c] · (w[(o·taps + tap)·gic + c] − wz[o])
 * </pre>
 * for output pixel {@code p = oy·ow + ox}, {@code g = o / goc}, {@code iy = oy·sh − pt + ky·dh},
 * {@code ix = ox·sw − pl + kx·dw}, skipping taps outside the input. {@code xs} already has the input
 * zero point subtracted. 32-bit: every operation wraps as int32; 64-bit: int64 (exactly the
 * instruction's formula, since wrapping sums do not depend on their order).
 *
 * <p>The scalar kernel: {@link #conv32} picks {@link VectorConvKernel} when {@link Kernels#vector()} is on.
 * Scalar method, by the shape of a group:
 * <ul>
 * <li>few input channels per group ({@code gic < }{@value #DOT_MIN_GIC}) and several outputs: the
 * weights are rearranged to {@code [tap][group][c][j]} minus their zero points; each input value is
 * broadcast over its group's output channels, and a zero input (the input zero point: an image's
 * background, a ReLU's output) is skipped, which is exact. The inner loop runs over the outputs, not over
 * one or a few channels, which is what C1 needs: it neither unrolls loops nor removes their bounds checks
 * (a first MNIST layer has {@code gic = 1});</li>
 * <li>otherwise the weights are rearranged to {@code [tap][o][c]} minus their zero points, so each output
 * channel's taps are contiguous dot products over the group's input channels (C2 vectorises such int
 * reductions; it does not vectorise the store-carrying {@code a[i] += x·w[i]} form because it cannot rule out
 * that the two arrays alias). Depthwise tiles run over the channels.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per executor (it keeps its scratch arrays).
 */
public final class ConvKernel {
    /** Accumulator ints per pixel block in the 64-bit kernel and the broadcast 32-bit one. */
    static final int BLOCK_INTS = 4096;
    /** Input channels per group from which the 32-bit scalar kernel takes dot products instead of broadcasting. */
    static final int DOT_MIN_GIC = 16;

    private int[] wt32 = new int[0];
    private long[] wt64 = new long[0];
    private int[] xoff = new int[0];
    private final Conv32 vector = Kernels.vector() ? Kernels.newVectorKernel() : null;

    /** The int32 convolution of one tile, as implemented by the scalar and the vector kernels. */
    public interface Conv32 {
        /** See {@link ConvKernel#conv32}. */
        void conv32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc);
    }

    /**
     * {@code acc += conv(xs, w)} in int32 arithmetic.
     *
     * @param xs  input tile minus the input zero point, {@code ih·iw·ic} values
     * @param w   raw weights {@code [o][ky][kx][c]}, {@code oc·kh·kw·gic} values
     * @param wz  weight zero point of each output channel, {@code oc} values
     * @param acc the accumulator tile {@code [p][o]}, {@code oh·ow·oc} values, updated in place
     */
    public void conv32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        if (vector != null) {
            vector.conv32(g, xs, w, wz, acc);
        } else {
            scalar32(g, xs, w, wz, acc);
        }
    }

    private VectorDepthwise8 depthwise8;

    /**
     * A depthwise tile ({@code gic = goc = 1}) of 8-bit inputs from SRAM bytes to int32 accumulators in SRAM
     * bytes, without int copies of the tiles: {@code acc} (+)= the sum of {@link #conv32} with
     * {@code xs = x − xzp}. {@code mem} holds the input (type u8 when {@code unsigned}, else s8) at byte
     * {@code x} and the little-endian int32 accumulators at byte {@code acc}; {@code accum = false} starts
     * from 0. Returns false, touching nothing, unless the vector kernels are on and {@code oc} is a multiple
     * of the vector length; the caller checks the spans lie in {@code mem} and do not overlap.
     */
    public boolean depthwise8(ConvGeometry g, byte[] mem, int x, boolean unsigned, int xzp, int[] w, int[] wz, int acc,
                              boolean accum) {
        if (vector == null || g.gic() != 1 || g.goc() != 1 || g.oc() % Kernels.vectorInts() != 0) return false;
        if (depthwise8 == null) depthwise8 = Kernels.newDepthwise8();
        depthwise8.run(g, mem, x, unsigned, xzp, w, wz, acc, accum);
        return true;
    }

    /** The scalar kernel (also the reference the vector kernel is tested against). */
    public void scalar32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        if (g.gic() < DOT_MIN_GIC && g.goc() > 1) {
            broadcast32(g, xs, transpose32(g, w, wz), acc);
        } else {
            dot32(g, xs, w, wz, acc);
        }
    }

    /** {@link #scalar32} of few input channels: each nonzero input times its group's weights {@code wt [tap][group][c][j]}. */
    private void broadcast32(ConvGeometry g, int[] xs, int[] wt, int[] acc) {
        int oc = g.oc();
        forEachBroadcastStep(g, BLOCK_INTS / Math.max(1, oc), (p0, p1, xo, xc, wb, o0, jn) -> {
            for (int p = p0; p < p1; p++) {
                int xb = xo[p - p0];
                if (xb < 0) continue;
                int xv = xs[xb + xc];
                if (xv == 0) continue;
                int ab = p * oc + o0;
                for (int j = 0; j < jn; j++) acc[ab + j] += xv * wt[wb + j];
            }
        });
    }

    /** {@link #scalar32} as dot products over each group's input channels. */
    private void dot32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int n = taps * oc * gic;
        if (wt32.length < n) wt32 = new int[n];
        int[] ws = wt32;
        for (int o = 0; o < oc; o++) {
            int z = wz[o];
            for (int t = 0; t < taps; t++) {
                int src = (o * taps + t) * gic;
                int dst = (t * oc + o) * gic;
                for (int c = 0; c < gic; c++) ws[dst + c] = w[src + c] - z;
            }
        }
        int pixels = g.oh() * g.ow();
        int[] xo = offsets(1);
        for (int p = 0; p < pixels; p++) {
            int ab = p * oc;
            for (int t = 0; t < taps; t++) {
                tapOffsets(g, t, p, p + 1, xo);
                int xb = xo[0];
                if (xb < 0) continue;
                int wb = t * oc * gic;
                if (gic == 1 && goc == 1) {
                    for (int o = 0; o < oc; o++) acc[ab + o] += xs[xb + o] * ws[wb + o];
                } else {
                    for (int gr = 0, o = 0; gr < groups; gr++) {
                        int xg = xb + gr * gic;
                        for (int end = Math.min(oc, o + goc); o < end; o++) {
                            int wo = wb + o * gic;
                            int sum = 0;
                            for (int c = 0; c < gic; c++) sum += xs[xg + c] * ws[wo + c];
                            acc[ab + o] += sum;
                        }
                    }
                }
            }
        }
    }

    /** {@code acc += conv(xs, w)} in int64 arithmetic; arguments as {@link #conv32}. */
    public void conv64(ConvGeometry g, long[] xs, long[] w, long[] wz, long[] acc) {
        int oc = g.oc();
        long[] wt = transpose64(g, w, wz);
        forEachBroadcastStep(g, BLOCK_INTS / 2 / Math.max(1, oc), (p0, p1, xo, xc, wb, o0, jn) -> {
            for (int p = p0; p < p1; p++) {
                int xb = xo[p - p0];
                if (xb < 0) continue;
                long xv = xs[xb + xc];
                if (xv == 0) continue;
                int ab = p * oc + o0;
                for (int j = 0; j < jn; j++) acc[ab + j] += xv * wt[wb + j];
            }
        });
    }

    /**
     * One step of a broadcast kernel: for the pixels {@code p0 <= p < p1} of a block, input channel {@code xc}
     * (at input offset {@code xo[p − p0]}, −1 for a padding tap) times the weights at {@code wb} of output
     * channels {@code o0 … o0 + jn − 1}, in the {@code [tap][group][c][j]} layout of {@link #forEachTransposedRow}.
     */
    @FunctionalInterface
    private interface BroadcastStep {
        void run(int p0, int p1, int[] xo, int xc, int wb, int o0, int jn);
    }

    /**
     * The broadcast kernels' loop order: blocks of {@code blockPixels} output pixels (at least 1), then taps,
     * groups and input channels. A block's accumulators stay in cache while every tap's weights stream by.
     */
    private void forEachBroadcastStep(ConvGeometry g, int blockPixels, BroadcastStep step) {
        int oc = g.oc();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int pixels = g.oh() * g.ow();
        int block = Math.max(1, Math.min(pixels, blockPixels));
        int[] xo = offsets(block);
        for (int p0 = 0; p0 < pixels; p0 += block) {
            int p1 = Math.min(pixels, p0 + block);
            for (int t = 0; t < taps; t++) {
                tapOffsets(g, t, p0, p1, xo);
                for (int gr = 0; gr < groups; gr++) {
                    int o0 = gr * goc;
                    int jn = Math.min(goc, oc - o0);
                    for (int c = 0; c < gic; c++) step.run(p0, p1, xo, gr * gic + c, ((t * groups + gr) * gic + c) * goc, o0, jn);
                }
            }
        }
    }

    private int[] offsets(int block) {
        if (xoff.length < block) xoff = new int[block];
        return xoff;
    }

    /** {@code xo[p − p0]} = offset of pixel p's input pixel under tap t, or −1 when the tap is padding. */
    static void tapOffsets(ConvGeometry g, int t, int p0, int p1, int[] xo) {
        int ky = t / g.kw();
        int kx = t % g.kw();
        int ow = g.ow();
        for (int p = p0; p < p1; p++) {
            int oy = p / ow;
            int ox = p - oy * ow;
            long iy = (long) oy * g.sh() - g.pt() + (long) ky * g.dh();
            long ix = (long) ox * g.sw() - g.pl() + (long) kx * g.dw();
            xo[p - p0] = iy < 0 || iy >= g.ih() || ix < 0 || ix >= g.iw() ? -1 : (int) ((iy * g.iw() + ix) * g.ic());
        }
    }

    /** {@code w − wz} as {@code [tap][group][c][j]} ({@code j < goc}; zero past the last output channel), in {@link #wt32}. */
    private int[] transpose32(ConvGeometry g, int[] w, int[] wz) {
        int n = g.taps() * g.groups() * g.gic() * g.goc();
        if (wt32.length < n) wt32 = new int[n];
        int[] wt = wt32;
        int gic = g.gic();
        int goc = g.goc();
        int oc = g.oc();
        forEachTransposedRow(g, (o, src, dst) -> {
            if (o >= oc) {
                for (int c = 0; c < gic; c++) wt[dst + c * goc] = 0;
                return;
            }
            int z = wz[o];
            for (int c = 0; c < gic; c++) wt[dst + c * goc] = w[src + c] - z;
        });
        return wt;
    }

    /** As {@link #transpose32} in int64 arithmetic, in {@link #wt64}. */
    private long[] transpose64(ConvGeometry g, long[] w, long[] wz) {
        int n = g.taps() * g.groups() * g.gic() * g.goc();
        if (wt64.length < n) wt64 = new long[n];
        long[] wt = wt64;
        int gic = g.gic();
        int goc = g.goc();
        int oc = g.oc();
        forEachTransposedRow(g, (o, src, dst) -> {
            if (o >= oc) {
                for (int c = 0; c < gic; c++) wt[dst + c * goc] = 0;
                return;
            }
            long z = wz[o];
            for (int c = 0; c < gic; c++) wt[dst + c * goc] = w[src + c] - z;
        });
        return wt;
    }

    /**
     * Output channel {@code o}'s weights at one tap in the {@code [tap][group][c][j]} layout: element {@code c}
     * goes from {@code src + c} of the raw {@code [o][tap][c]} weights to {@code dst + c·goc}; rows with
     * {@code o >= oc} (the last group's padding) must be zero.
     */
    @FunctionalInterface
    private interface TransposedRow {
        void put(int o, int src, int dst);
    }

    /** Calls {@code row} for every output channel {@code o < groups·goc} and tap. */
    private static void forEachTransposedRow(ConvGeometry g, TransposedRow row) {
        int taps = g.taps();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        for (int o = 0; o < groups * goc; o++) {
            int gr = o / goc;
            int j = o - gr * goc;
            for (int t = 0; t < taps; t++) row.put(o, (o * taps + t) * gic, (t * groups + gr) * gic * goc + j);
        }
    }
}
