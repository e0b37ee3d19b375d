package dev.cnnip.emulator.kernel;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvKernel#conv32} with {@code jdk.incubator.vector}: the same sums (int32 lane arithmetic wraps
 * like scalar int arithmetic, and wrapping sums do not depend on their order), so the same bits.
 *
 * <p>Method: the weights are transposed once per instruction to {@code [tap][group][c][j]} (j the
 * channel within the group) minus their zero points. For two output pixels at a time and two vectors of
 * output channels at a time, four accumulator vectors stay in registers over all taps and input channels:
 * each step broadcasts one input value per pixel and multiplies it into a contiguous weight row, so every
 * weight load serves two pixels and no horizontal reduction is needed. Channels past the last full vector
 * run scalar (masked vectors are not intrinsified on JDK 17). Depthwise tiles ({@code gic = goc = 1}) keep one accumulator vector of channels over
 * the taps. Loaded only when {@link Kernels#vector()} is on.
 */
final class VectorConvKernel implements ConvKernel.Conv32 {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private int[] wt = new int[0];
    private int[] off0 = new int[0];
    private int[] off1 = new int[0];

    @Override
    public void conv32(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int taps = g.taps();
        if (off0.length < taps) {
            off0 = new int[taps];
            off1 = new int[taps];
        }
        if (g.gic() == 1 && g.goc() == 1) {
            depthwise(g, xs, w, wz, acc);
        } else {
            general(g, xs, w, wz, acc);
        }
    }

    /** {@code off[t]} = input offset of pixel p under tap t, −1 for padding. */
    private static void offsets(ConvGeometry g, int p, int[] off) {
        int oy = p / g.ow();
        int ox = p - oy * g.ow();
        int taps = g.taps();
        for (int t = 0; t < taps; t++) {
            int ky = t / g.kw();
            int kx = t - ky * g.kw();
            long iy = (long) oy * g.sh() - g.pt() + (long) ky * g.dh();
            long ix = (long) ox * g.sw() - g.pl() + (long) kx * g.dw();
            off[t] = iy < 0 || iy >= g.ih() || ix < 0 || ix >= g.iw() ? -1 : (int) ((iy * g.iw() + ix) * g.ic());
        }
    }

    private void depthwise(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int taps = g.taps();
        int n = taps * oc;
        if (wt.length < n) wt = new int[n];
        for (int o = 0; o < oc; o++) {
            int z = wz[o];
            for (int t = 0; t < taps; t++) wt[t * oc + o] = w[o * taps + t] - z;
        }
        int pixels = g.oh() * g.ow();
        for (int p = 0; p < pixels; p++) {
            offsets(g, p, off0);
            int ab = p * oc;
            int vn = oc - oc % L;
            for (int t = 0; t < taps; t++) {
                int xb = off0[t];
                if (xb >= 0) dwTap(xs, acc, xb, ab, t * oc, vn);
            }
            int o = vn;
            for (; o < oc; o++) {
                int a = acc[ab + o];
                for (int t = 0; t < taps; t++) {
                    int xb = off0[t];
                    if (xb >= 0) a += xs[xb + o] * wt[t * oc + o];
                }
                acc[ab + o] = a;
            }
        }
    }

    /** {@code acc[ab + o] += xs[xb + o] · wt[wb + o]} for {@code o < vn} (a multiple of L). */
    private void dwTap(int[] xs, int[] acc, int xb, int ab, int wb, int vn) {
        int[] w = wt;
        for (int o = 0; o < vn; o += L) {
            IntVector a = IntVector.fromArray(S, acc, ab + o);
            a.add(IntVector.fromArray(S, xs, xb + o).mul(IntVector.fromArray(S, w, wb + o))).intoArray(acc, ab + o);
        }
    }

    private void general(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        int oc = g.oc();
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int n = taps * groups * gic * goc;
        if (wt.length < n) wt = new int[n];
        for (int o = 0; o < groups * goc; o++) {
            int gr = o / goc;
            int j = o - gr * goc;
            for (int t = 0; t < taps; t++) {
                int dst = (t * groups + gr) * gic * goc + j;
                if (o >= oc) {
                    for (int c = 0; c < gic; c++) wt[dst + c * goc] = 0;
                    continue;
                }
                int src = (o * taps + t) * gic;
                int z = wz[o];
                for (int c = 0; c < gic; c++) wt[dst + c * goc] = w[src + c] - z;
            }
        }
        int pixels = g.oh() * g.ow();
        int p = 0;
        for (; p + 1 < pixels; p += 2) {
            offsets(g, p, off0);
            offsets(g, p + 1, off1);
            for (int gr = 0; gr < groups; gr++) {
                int o0 = gr * goc;
                int jn = Math.min(goc, oc - o0);
                int xg = gr * gic;
                int b0 = p * oc + o0;
                int b1 = b0 + oc;
                int vn = jn - jn % L;
                for (int t = 0; t < taps; t++) {
                    int x0 = off0[t];
                    int x1 = off1[t];
                    if (x0 < 0 && x1 < 0) continue;
                    int xa = x0 < 0 ? -1 : x0 + xg;
                    int xb = x1 < 0 ? -1 : x1 + xg;
                    int wb = (t * groups + gr) * gic * goc;
                    int j = 0;
                    for (; j + 2 * L <= vn; j += 2 * L) pair2(gic, goc, xs, acc, xa, xb, b0 + j, b1 + j, wb + j);
                    for (; j < vn; j += L) pair1(gic, goc, xs, acc, xa, xb, b0 + j, b1 + j, wb + j);
                }
                if (vn < jn) {
                    tail(g, gr, xs, acc, p, off0, o0, vn, jn, xg);
                    tail(g, gr, xs, acc, p + 1, off1, o0, vn, jn, xg);
                }
            }
        }
        if (p < pixels) {
            offsets(g, p, off0);
            for (int gr = 0; gr < groups; gr++) {
                int o0 = gr * goc;
                int jn = Math.min(goc, oc - o0);
                int xg = gr * gic;
                int b0 = p * oc + o0;
                int vn = jn - jn % L;
                for (int t = 0; t < taps; t++) {
                    int x0 = off0[t];
                    if (x0 < 0) continue;
                    int wb = (t * groups + gr) * gic * goc;
                    for (int j = 0; j < vn; j += L) single(gic, goc, xs, acc, x0 + xg, b0 + j, wb + j);
                }
                if (vn < jn) tail(g, gr, xs, acc, p, off0, o0, vn, jn, xg);
            }
        }
    }

    /** Pixel p (tap offsets {@code off}), channels o0+j0 … o0+jn−1 of group gr, scalar. */
    private void tail(ConvGeometry g, int gr, int[] xs, int[] acc, int p, int[] off, int o0, int j0, int jn, int xg) {
        int gic = g.gic();
        int goc = g.goc();
        int groups = g.groups();
        int taps = g.taps();
        int ab = p * g.oc() + o0;
        for (int t = 0; t < taps; t++) {
            int x0 = off[t];
            if (x0 < 0) continue;
            int wb = (t * groups + gr) * gic * goc;
            for (int c = 0; c < gic; c++, wb += goc) {
                int v = xs[x0 + xg + c];
                if (v == 0) continue;
                for (int j = j0; j < jn; j++) acc[ab + j] += v * wt[wb + j];
            }
        }
    }

    /**
     * Pixels p, p+1 (input offsets x0, x1 under one tap, −1 for padding), channels at accumulator offsets
     * b0, b1 and weight row offset wb: four accumulator vectors in registers over the group's input
     * channels. (One tap per call: vectors carried across a second loop level are not kept in registers
     * by the JDK 17 compiler, they get allocated.)
     */
    private void pair2(int gic, int goc, int[] xs, int[] acc, int x0, int x1, int b0, int b1, int wb) {
        int[] w = wt;
        IntVector a00 = IntVector.fromArray(S, acc, b0);
        IntVector a01 = IntVector.fromArray(S, acc, b0 + L);
        IntVector a10 = IntVector.fromArray(S, acc, b1);
        IntVector a11 = IntVector.fromArray(S, acc, b1 + L);
        for (int c = 0; c < gic; c++, wb += goc) {
            int v0 = x0 < 0 ? 0 : xs[x0 + c];
            int v1 = x1 < 0 ? 0 : xs[x1 + c];
            IntVector w0 = IntVector.fromArray(S, w, wb);
            IntVector w1 = IntVector.fromArray(S, w, wb + L);
            a00 = a00.add(w0.mul(v0));
            a01 = a01.add(w1.mul(v0));
            a10 = a10.add(w0.mul(v1));
            a11 = a11.add(w1.mul(v1));
        }
        a00.intoArray(acc, b0);
        a01.intoArray(acc, b0 + L);
        a10.intoArray(acc, b1);
        a11.intoArray(acc, b1 + L);
    }

    /** As {@link #pair2} for one vector of channels. */
    private void pair1(int gic, int goc, int[] xs, int[] acc, int x0, int x1, int b0, int b1, int wb) {
        int[] w = wt;
        IntVector a0 = IntVector.fromArray(S, acc, b0);
        IntVector a1 = IntVector.fromArray(S, acc, b1);
        for (int c = 0; c < gic; c++, wb += goc) {
            int v0 = x0 < 0 ? 0 : xs[x0 + c];
            int v1 = x1 < 0 ? 0 : xs[x1 + c];
            IntVector w0 = IntVector.fromArray(S, w, wb);
            a0 = a0.add(w0.mul(v0));
            a1 = a1.add(w0.mul(v1));
        }
        a0.intoArray(acc, b0);
        a1.intoArray(acc, b1);
    }

    /** One pixel (input offset x0 ≥ 0), one vector of channels. */
    private void single(int gic, int goc, int[] xs, int[] acc, int x0, int b0, int wb) {
        int[] w = wt;
        IntVector a0 = IntVector.fromArray(S, acc, b0);
        for (int c = 0; c < gic; c++, wb += goc) {
            a0 = a0.add(IntVector.fromArray(S, w, wb).mul(xs[x0 + c]));
        }
        a0.intoArray(acc, b0);
    }
}
