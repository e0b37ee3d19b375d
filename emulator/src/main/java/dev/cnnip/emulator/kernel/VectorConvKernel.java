package dev.cnnip.emulator.kernel;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvKernel#conv32} with {@code jdk.incubator.vector}: the same sums (int32 lane arithmetic wraps
 * like scalar int arithmetic, and wrapping sums do not depend on their order), so the same bits.
 *
 * <p>Method. Channels are padded to the vector width in scratch buffers, so no channel runs in a scalar
 * leftover loop: the weights are transposed once per instruction to {@code [tap][group][c][j]} (j the
 * channel within the group, {@code gocP = ceil(goc / L)·L} wide, the padding weights 0) minus their zero
 * points, and the accumulators live in a {@code [pixel][group][gocP]} scratch tile, copied in and out. The
 * input is copied once into a buffer followed by a zero row, which padding taps point at (so the inner
 * loop has no branch). For four output pixels at a time and two vectors of output channels at a time,
 * eight accumulator vectors stay in registers over one tap's input channels: each step broadcasts one input
 * value per pixel and multiplies it into a contiguous weight row, so every weight load serves four pixels
 * (blocking for the cache: a tap's weight rows are streamed once per four pixels) and no horizontal
 * reduction is needed. Depthwise tiles ({@code gic = goc = 1}) keep one accumulator vector of channels over
 * the taps, the channels padded in the same way. Loaded only when {@link Kernels#vector()} is on.
 *
 * <p>JDK 17 pitfalls avoided: masked vector loads and a species narrower than the machine's fall back to
 * Java code (boxing every vector), and so do vectors carried across two loop levels; each micro-kernel call
 * therefore keeps its accumulators over one loop (one tap's input channels).
 */
final class VectorConvKernel implements ConvKernel.Conv32 {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * {@link #dot} runs instead of the transposing kernel for tiles with at least this many input channels
     * per group and at most {@link #DOT_MAX_PIXELS} pixels. Measured on MobileNetV2 shapes: transposing
     * costs about 1.6 ns per weight, as much as the products of about 50 pixels (the dot form runs at
     * about two thirds of the transposed form's speed per MAC, but needs no transposition).
     */
    static final int DOT_MIN_GIC = 4 * L;
    static final int DOT_MAX_PIXELS = 64;
    /** Single-group tiles with fewer input channels than this (and more than one tap) run on im2col patches. */
    static final int PATCH_MAX_GIC = 32;
    /** Output pixels per micro-kernel call. */
    private static final int PIX = 4;

    private int[] wt = new int[0];
    private int[] ap = new int[0];
    private int[] xz = new int[0];
    private int[] off = new int[0];
    private int[] patch = new int[0];
    private int[] pOff = new int[0];
    /** The raw weights, zero points and shape {@link #wt} was made from (see {@link #sameWeights}). */
    private int[] wRaw = new int[0];
    private int[] wzRaw = new int[0];
    private ConvGeometry wShape;

    @Override
    public void conv32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        if (g.gic() == 1 && g.goc() == 1) {
            depthwise(g, xs, w, wz, acc);
        } else if (g.gic() >= DOT_MIN_GIC && g.oh() * g.ow() <= DOT_MAX_PIXELS) {
            dot(g, xs, w, wz, acc);
        } else {
            general(g, xs, w, wz, acc);
        }
    }

    private static int padded(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * {@code off[p·taps + t]} = input offset of pixel p0+p under tap t, or {@code zero} for padding. One
     * division per pixel and none per tap (this runs pixels·taps times per tile).
     */
    private static void offsets(ConvGeometry g, int p0, int np, int[] off, int zero) {
        int taps = g.taps();
        int ow = g.ow();
        int kh = g.kh();
        int kw = g.kw();
        int ih = g.ih();
        int iw = g.iw();
        int ic = g.ic();
        for (int p = 0; p < np; p++) {
            int oy = (p0 + p) / ow;
            int ox = p0 + p - oy * ow;
            long iy0 = (long) oy * g.sh() - g.pt();
            long ix0 = (long) ox * g.sw() - g.pl();
            int t = p * taps;
            for (int ky = 0; ky < kh; ky++) {
                long iy = iy0 + (long) ky * g.dh();
                boolean rowIn = iy >= 0 && iy < ih;
                for (int kx = 0; kx < kw; kx++, t++) {
                    long ix = ix0 + (long) kx * g.dw();
                    off[t] = rowIn && ix >= 0 && ix < iw ? (int) ((iy * iw + ix) * ic) : zero;
                }
            }
        }
    }

    private void depthwise(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int ocp = padded(oc);
        int taps = g.taps();
        int pixels = g.oh() * g.ow();
        wShape = null; // wt no longer holds a general tile's weights
        if (wt.length < taps * ocp) wt = new int[taps * ocp];
        for (int t = 0; t < taps; t++) {
            for (int o = 0; o < oc; o++) wt[t * ocp + o] = w[o * taps + t] - wz[o];
            for (int o = oc; o < ocp; o++) wt[t * ocp + o] = 0;
        }
        // The input with slack: a padded channel vector may run past the last pixel (times a zero weight).
        int nx = g.ih() * g.iw() * g.ic();
        int[] x = input(xs, nx, ocp);
        int[] a = accumulators(acc, pixels, oc, ocp);
        if (a != acc) pad(acc, a, pixels, 1, oc, ocp, oc);
        if (off.length < taps) off = new int[taps];
        for (int p = 0; p < pixels; p++) {
            offsets(g, p, 1, off, nx); // padding taps read the zero slack after the input
            dwPixel(x, a, off, taps, p * ocp, ocp);
        }
        if (a != acc) unpad(a, acc, pixels, 1, oc, ocp);
    }

    /**
     * One output pixel of a depthwise tile: for each vector of channels, one accumulator over all taps
     * ({@code a[ab + o] += Σ_t x[off[t] + o] · wt[t·ocp + o]}), loaded and stored once per pixel.
     */
    private void dwPixel(int[] x, int[] a, int[] off, int taps, int ab, int ocp) {
        int[] w = wt;
        for (int o = 0; o < ocp; o += L) {
            IntVector v = IntVector.fromArray(S, a, ab + o);
            for (int t = 0; t < taps; t++) {
                v = v.add(IntVector.fromArray(S, x, off[t] + o).mul(IntVector.fromArray(S, w, t * ocp + o)));
            }
            v.intoArray(a, ab + o);
        }
    }

    /**
     * The input to read through tap offsets {@code off[0, n)}: {@code xs} itself when no offset is the
     * padding row {@code nx} (every read then lies in {@code xs[0, nx)}: pointwise layers, unpadded tiles),
     * else the copy with a zero row ({@link #input}), which on a pointwise layer would move the whole tile.
     */
    private int[] withZeroRow(int[] xs, int nx, int zeros, int n) {
        int[] o = off;
        for (int i = 0; i < n; i++) {
            if (o[i] == nx) return input(xs, nx, zeros);
        }
        return xs;
    }

    /** {@code xs[0, nx)} followed by {@code zeros} zeros, in this kernel's buffer. */
    private int[] input(int[] xs, int nx, int zeros) {
        if (xz.length < nx + zeros) xz = new int[nx + zeros];
        System.arraycopy(xs, 0, xz, 0, nx);
        java.util.Arrays.fill(xz, nx, nx + zeros, 0);
        return xz;
    }

    /**
     * The accumulator tile to work on: {@code acc} itself when no channel is padded, else a scratch tile
     * {@code [pixel][groups·gocP]} holding acc's values (padding lanes 0).
     */
    private int[] accumulators(int[] acc, int pixels, int oc, int rowP) {
        if (rowP == oc) return acc;
        if (ap.length < pixels * rowP) ap = new int[pixels * rowP];
        return ap;
    }

    /** Copies the accumulators into the padded tile {@code a}: group gr's channel j at {@code p·groups·gocP + gr·gocP + j}. */
    private static void pad(int[] acc, int[] a, int pixels, int groups, int goc, int gocp, int oc) {
        for (int p = 0; p < pixels; p++) {
            for (int gr = 0; gr < groups; gr++) {
                int o0 = gr * goc;
                int jn = Math.min(goc, oc - o0);
                int d = (p * groups + gr) * gocp;
                System.arraycopy(acc, p * oc + o0, a, d, jn);
                java.util.Arrays.fill(a, d + jn, d + gocp, 0);
            }
        }
    }

    /** The inverse of {@link #pad}: the real channels back into acc. */
    private static void unpad(int[] a, int[] acc, int pixels, int groups, int goc, int gocp, int oc) {
        for (int p = 0; p < pixels; p++) {
            for (int gr = 0; gr < groups; gr++) {
                int o0 = gr * goc;
                int jn = Math.min(goc, oc - o0);
                System.arraycopy(a, (p * groups + gr) * gocp, acc, p * oc + o0, jn);
            }
        }
    }

    /** Depthwise form of {@link #unpad} (one group of oc channels padded to ocp). */
    private static void unpad(int[] a, int[] acc, int pixels, int groups, int oc, int ocp) {
        unpad(a, acc, pixels, groups, oc, ocp, oc);
    }

    /**
     * Tiles with many input channels per group (pointwise layers deep in a network, fully connected
     * layers): dot products along the input channels, reading the raw weights {@code [o][tap][c]} where
     * they are (no transposition, which costs as much as the products when a tile has few pixels). Two
     * pixels and four output channels at a time, eight accumulator vectors over one tap's channels, each
     * reduced once. The weight zero point comes out of the sum: {@code Σ x·(w − z) = Σ x·w − z·Σ x}, an
     * identity of wrapping int32 arithmetic too. Padding taps point at a zero row.
     */
    private void dot(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int pixels = g.oh() * g.ow();
        int nx = g.ih() * g.iw() * g.ic();
        if (off.length < pixels * taps) off = new int[pixels * taps];
        offsets(g, 0, pixels, off, nx);
        int[] x = withZeroRow(xs, nx, g.ic(), pixels * taps);
        int vn = gic - gic % L;
        int[] d = dots;
        for (int gr = 0; gr < groups; gr++) {
            int o0 = gr * goc;
            int o1 = Math.min(oc, o0 + goc);
            int xg = gr * gic;
            for (int p = 0; p < pixels; p += 2) {
                int q = Math.min(p + 1, pixels - 1); // an odd last pixel pairs with itself, its second result unused
                for (int t = 0; t < taps; t++) {
                    int xa = off[p * taps + t];
                    int xb = off[q * taps + t];
                    if (xa == nx && xb == nx) continue;
                    xa += xg;
                    xb += xg;
                    int sa = 0;
                    int sb = 0;
                    for (int c = 0; c < gic; c++) {
                        sa += x[xa + c];
                        sb += x[xb + c];
                    }
                    int o = o0;
                    for (; o + 4 <= o1; o += 4) {
                        int w0 = (o * taps + t) * gic;
                        int step = taps * gic;
                        dot4x2(x, w, xa, xb, w0, w0 + step, w0 + 2 * step, w0 + 3 * step, vn, gic, d);
                        for (int k = 0; k < 4; k++) {
                            int z = wz[o + k];
                            acc[p * oc + o + k] += d[k] - z * sa;
                            if (q != p) acc[q * oc + o + k] += d[4 + k] - z * sb;
                        }
                    }
                    for (; o < o1; o++) {
                        int w0 = (o * taps + t) * gic;
                        int da = 0;
                        int db = 0;
                        for (int c = 0; c < gic; c++) {
                            da += x[xa + c] * w[w0 + c];
                            db += x[xb + c] * w[w0 + c];
                        }
                        acc[p * oc + o] += da - wz[o] * sa;
                        if (q != p) acc[q * oc + o] += db - wz[o] * sb;
                    }
                }
            }
        }
    }

    private final int[] dots = new int[8];

    /**
     * {@code d[k] = Σ_c x[xa + c]·w[wk + c]}, {@code d[4 + k] = Σ_c x[xb + c]·w[wk + c]} for the four
     * weight rows w0…w3, c < n: vectors over c < vn (a multiple of L), then scalar.
     */
    private static void dot4x2(int[] x, int[] w, int xa, int xb, int w0, int w1, int w2, int w3, int vn, int n, int[] d) {
        IntVector a0 = IntVector.zero(S);
        IntVector a1 = a0;
        IntVector a2 = a0;
        IntVector a3 = a0;
        IntVector b0 = a0;
        IntVector b1 = a0;
        IntVector b2 = a0;
        IntVector b3 = a0;
        for (int c = 0; c < vn; c += L) {
            IntVector va = IntVector.fromArray(S, x, xa + c);
            IntVector vb = IntVector.fromArray(S, x, xb + c);
            IntVector k0 = IntVector.fromArray(S, w, w0 + c);
            IntVector k1 = IntVector.fromArray(S, w, w1 + c);
            IntVector k2 = IntVector.fromArray(S, w, w2 + c);
            IntVector k3 = IntVector.fromArray(S, w, w3 + c);
            a0 = a0.add(va.mul(k0));
            a1 = a1.add(va.mul(k1));
            a2 = a2.add(va.mul(k2));
            a3 = a3.add(va.mul(k3));
            b0 = b0.add(vb.mul(k0));
            b1 = b1.add(vb.mul(k1));
            b2 = b2.add(vb.mul(k2));
            b3 = b3.add(vb.mul(k3));
        }
        int s0 = a0.reduceLanes(VectorOperators.ADD);
        int s1 = a1.reduceLanes(VectorOperators.ADD);
        int s2 = a2.reduceLanes(VectorOperators.ADD);
        int s3 = a3.reduceLanes(VectorOperators.ADD);
        int t0 = b0.reduceLanes(VectorOperators.ADD);
        int t1 = b1.reduceLanes(VectorOperators.ADD);
        int t2 = b2.reduceLanes(VectorOperators.ADD);
        int t3 = b3.reduceLanes(VectorOperators.ADD);
        for (int c = vn; c < n; c++) {
            int va = x[xa + c];
            int vb = x[xb + c];
            s0 += va * w[w0 + c];
            s1 += va * w[w1 + c];
            s2 += va * w[w2 + c];
            s3 += va * w[w3 + c];
            t0 += vb * w[w0 + c];
            t1 += vb * w[w1 + c];
            t2 += vb * w[w2 + c];
            t3 += vb * w[w3 + c];
        }
        d[0] = s0;
        d[1] = s1;
        d[2] = s2;
        d[3] = s3;
        d[4] = t0;
        d[5] = t1;
        d[6] = t2;
        d[7] = t3;
    }

    private void general(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int gocp = padded(goc);
        int rowp = groups * gocp;
        int n = taps * groups * gic * gocp;
        if (!sameWeights(g, w, wz)) transpose(g, w, wz, gocp, n);
        int nx = g.ih() * g.iw() * g.ic();
        int pixels = g.oh() * g.ow();
        int[] a = accumulators(acc, pixels, oc, rowp);
        if (a != acc) pad(acc, a, pixels, groups, goc, gocp, oc);
        // Per group and block of output channels all pixels, so the block's weight rows (gic · 2L ints per tap)
        // stay in cache while every pixel streams past them: on im2col patches for few channels, else through
        // every pixel's tap offsets, computed once.
        if (groups == 1 && g.ic() == gic && taps > 1 && gic < PATCH_MAX_GIC) {
            patches(g, xs, pixels, gic);
            blocks(patch, a, pixels, 1, gic * taps, 1, gocp, rowp, pOff);
        } else {
            if (off.length < pixels * taps) off = new int[pixels * taps];
            offsets(g, 0, pixels, off, nx);
            int[] x = withZeroRow(xs, nx, g.ic(), pixels * taps);
            blocks(x, a, pixels, taps, gic, groups, gocp, rowp, off);
        }
        if (a != acc) unpad(a, acc, pixels, groups, goc, gocp, oc);
    }

    /**
     * The four-pixel blocks over input {@code x} with tap offsets {@code off[p·taps + t]} (the zero row for
     * padding): per group and block of 2L output channels, all pixels, so the block's weight rows stay in
     * cache while the pixels stream past them.
     */
    private void blocks(int[] x, int[] a, int pixels, int taps, int gic, int groups, int gocp, int rowp, int[] off) {
        for (int gr = 0; gr < groups; gr++) {
            int xg = gr * gic;
            for (int j = 0; j < gocp; j += 2 * L) {
                boolean two = j + 2 * L <= gocp;
                int p = 0;
                for (; p + PIX <= pixels; p += PIX) {
                    int b0 = p * rowp + gr * gocp + j;
                    int o = p * taps;
                    for (int t = 0; t < taps; t++) {
                        int x0 = off[o + t] + xg;
                        int x1 = off[o + taps + t] + xg;
                        int x2 = off[o + 2 * taps + t] + xg;
                        int x3 = off[o + 3 * taps + t] + xg;
                        int wb = (t * groups + gr) * gic * gocp + j;
                        if (two) {
                            quad2(gic, gocp, x, a, x0, x1, x2, x3, b0, rowp, wb);
                        } else {
                            quad1(gic, gocp, x, a, x0, x1, x2, x3, b0, rowp, wb);
                        }
                    }
                }
                for (; p < pixels; p++) {
                    int b0 = p * rowp + gr * gocp + j;
                    for (int t = 0; t < taps; t++) {
                        int wb = (t * groups + gr) * gic * gocp + j;
                        int x0 = off[p * taps + t] + xg;
                        single(gic, gocp, x, a, x0, b0, wb);
                        if (two) single(gic, gocp, x, a, x0, b0 + L, wb + L);
                    }
                }
            }
        }
    }

    /**
     * im2col for small channel counts (the first layers, MNIST) with one group ({@code gic = ic}): each pixel's
     * taps side by side, {@code patch[p·taps·gic + t·gic + c]} = the input value under tap t of pixel p, channel c,
     * or 0 where the tap falls in the padding, so one micro-kernel call sums {@code taps·gic} products instead of
     * {@code gic} and the loop overhead of a tap is paid once per pixel block; the transposed weights {@code [t][c][j]}
     * are already the matching {@code [(t·gic + c)][j]} rows. {@link #pOff} gets the patch offsets for
     * {@link #blocks}. Straight from the input, without the per-tap offset table: a kernel row of an interior
     * pixel with dilation 1 is {@code kw·gic} consecutive input values, one copy (the offset table and the
     * gather from it took half of an MNIST inference).
     */
    private void patches(ConvGeometry g, int[] xs, int pixels, int gic) {
        int kh = g.kh();
        int kw = g.kw();
        int ih = g.ih();
        int iw = g.iw();
        int ow = g.ow();
        int dw = g.dw();
        int run = kw * gic;
        int k = kh * run;
        if (patch.length < pixels * k) patch = new int[pixels * k];
        if (pOff.length < pixels) pOff = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            int oy = p / ow;
            int ox = p - oy * ow;
            int iy0 = oy * g.sh() - g.pt();
            int ix0 = ox * g.sw() - g.pl();
            boolean rowInside = dw == 1 && ix0 >= 0 && ix0 + kw <= iw;
            int d = p * k;
            pOff[p] = d;
            for (int ky = 0; ky < kh; ky++, d += run) {
                int iy = iy0 + ky * g.dh();
                if (iy < 0 || iy >= ih) {
                    java.util.Arrays.fill(patch, d, d + run, 0);
                } else if (rowInside) {
                    copy(xs, (iy * iw + ix0) * gic, patch, d, run);
                } else {
                    for (int kx = 0, e = d; kx < kw; kx++, e += gic) {
                        int ix = ix0 + kx * dw;
                        if (ix < 0 || ix >= iw) {
                            for (int c = 0; c < gic; c++) patch[e + c] = 0;
                        } else {
                            copy(xs, (iy * iw + ix) * gic, patch, e, gic);
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + i] = src[s + i]}, {@code i < n}: a plain loop for the few values System.arraycopy costs more for. */
    private static void copy(int[] src, int s, int[] dst, int d, int n) {
        if (n >= 16) {
            System.arraycopy(src, s, dst, d, n);
        } else {
            for (int i = 0; i < n; i++) dst[d + i] = src[s + i];
        }
    }

    /**
     * Whether {@link #wt} already holds these weights transposed: the previous general tile had the same
     * kernel shape, zero points and raw weights (tiles of one layer over different pixels do; comparing is
     * a sequential, vectorised scan, far cheaper than the strided transposition).
     */
    private boolean sameWeights(ConvGeometry g, int[] w, int[] wz) {
        int nw = g.oc() * g.taps() * g.gic();
        boolean same = wShape != null && wShape.oc() == g.oc() && wShape.kh() == g.kh() && wShape.kw() == g.kw()
                && wShape.gic() == g.gic() && wShape.goc() == g.goc()
                && java.util.Arrays.equals(w, 0, nw, wRaw, 0, nw) && java.util.Arrays.equals(wz, 0, g.oc(), wzRaw, 0, g.oc());
        if (!same) {
            if (wRaw.length < nw) wRaw = new int[nw];
            System.arraycopy(w, 0, wRaw, 0, nw);
            if (wzRaw.length < g.oc()) wzRaw = new int[g.oc()];
            System.arraycopy(wz, 0, wzRaw, 0, g.oc());
            wShape = g;
        }
        return same;
    }

    /**
     * {@code wt[((t·groups + gr)·gic + c)·gocp + j] = w[(o·taps + t)·gic + c] − wz[o]} for {@code o = gr·goc + j},
     * 0 for padding channels; in blocks of 8 output channels, so the reads run along 8 weight rows and
     * the writes fill 8 adjacent entries (the plain transposition writes with a stride of gocp ints and misses
     * the cache on large layers).
     */
    private void transpose(ConvGeometry g, int[] w, int[] wz, int gocp, int n) {
        int oc = g.oc();
        int goc = g.goc();
        int gic = g.gic();
        int taps = g.taps();
        int groups = g.groups();
        if (wt.length < n) wt = new int[n];
        java.util.Arrays.fill(wt, 0, n, 0);
        for (int gr = 0; gr < groups; gr++) {
            int o0 = gr * goc;
            int jn = Math.min(goc, oc - o0);
            for (int j0 = 0; j0 < jn; j0 += 8) {
                int j1 = Math.min(jn, j0 + 8);
                for (int t = 0; t < taps; t++) {
                    int dst = (t * groups + gr) * gic * gocp;
                    for (int c = 0; c < gic; c++) {
                        int d = dst + c * gocp;
                        for (int j = j0; j < j1; j++) {
                            int o = o0 + j;
                            wt[d + j] = w[(o * taps + t) * gic + c] - wz[o];
                        }
                    }
                }
            }
        }
    }

    /**
     * Pixels at accumulator offsets b, b+rs, b+2rs, b+3rs (input offsets x0…x3 under one tap; a padding tap
     * points at the zero row), two vectors of channels at weight row offset wb: eight accumulators in
     * registers over the group's input channels.
     */
    private void quad2(int gic, int gocp, int[] x, int[] a, int x0, int x1, int x2, int x3, int b, int rs, int wb) {
        int[] w = wt;
        IntVector a00 = IntVector.fromArray(S, a, b);
        IntVector a01 = IntVector.fromArray(S, a, b + L);
        IntVector a10 = IntVector.fromArray(S, a, b + rs);
        IntVector a11 = IntVector.fromArray(S, a, b + rs + L);
        IntVector a20 = IntVector.fromArray(S, a, b + 2 * rs);
        IntVector a21 = IntVector.fromArray(S, a, b + 2 * rs + L);
        IntVector a30 = IntVector.fromArray(S, a, b + 3 * rs);
        IntVector a31 = IntVector.fromArray(S, a, b + 3 * rs + L);
        for (int c = 0; c < gic; c++, wb += gocp) {
            IntVector w0 = IntVector.fromArray(S, w, wb);
            IntVector w1 = IntVector.fromArray(S, w, wb + L);
            int v0 = x[x0 + c];
            int v1 = x[x1 + c];
            int v2 = x[x2 + c];
            int v3 = x[x3 + c];
            a00 = a00.add(w0.mul(v0));
            a01 = a01.add(w1.mul(v0));
            a10 = a10.add(w0.mul(v1));
            a11 = a11.add(w1.mul(v1));
            a20 = a20.add(w0.mul(v2));
            a21 = a21.add(w1.mul(v2));
            a30 = a30.add(w0.mul(v3));
            a31 = a31.add(w1.mul(v3));
        }
        a00.intoArray(a, b);
        a01.intoArray(a, b + L);
        a10.intoArray(a, b + rs);
        a11.intoArray(a, b + rs + L);
        a20.intoArray(a, b + 2 * rs);
        a21.intoArray(a, b + 2 * rs + L);
        a30.intoArray(a, b + 3 * rs);
        a31.intoArray(a, b + 3 * rs + L);
    }

    /** As {@link #quad2} for one vector of channels. */
    private void quad1(int gic, int gocp, int[] x, int[] a, int x0, int x1, int x2, int x3, int b, int rs, int wb) {
        int[] w = wt;
        IntVector a0 = IntVector.fromArray(S, a, b);
        IntVector a1 = IntVector.fromArray(S, a, b + rs);
        IntVector a2 = IntVector.fromArray(S, a, b + 2 * rs);
        IntVector a3 = IntVector.fromArray(S, a, b + 3 * rs);
        for (int c = 0; c < gic; c++, wb += gocp) {
            IntVector w0 = IntVector.fromArray(S, w, wb);
            a0 = a0.add(w0.mul(x[x0 + c]));
            a1 = a1.add(w0.mul(x[x1 + c]));
            a2 = a2.add(w0.mul(x[x2 + c]));
            a3 = a3.add(w0.mul(x[x3 + c]));
        }
        a0.intoArray(a, b);
        a1.intoArray(a, b + rs);
        a2.intoArray(a, b + 2 * rs);
        a3.intoArray(a, b + 3 * rs);
    }

    /** One pixel (input offset x0, the zero row for padding), one vector of channels. */
    private void single(int gic, int gocp, int[] x, int[] a, int x0, int b0, int wb) {
        int[] w = wt;
        IntVector a0 = IntVector.fromArray(S, a, b0);
        for (int c = 0; c < gic; c++, wb += gocp) {
            a0 = a0.add(IntVector.fromArray(S, w, wb).mul(x[x0 + c]));
        }
        a0.intoArray(a, b0);
    }
}
