package dev.cnnip.emulator.kernel;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A depthwise int32 convolution tile ({@code gic = goc = 1}) with 8-bit inputs straight from the SRAM's
 * bytes to the int32 accumulators in the SRAM's bytes, without the int copies of the input and accumulator
 * tiles (on a 112×112×96 layer each is 4.8 MB, so the copies, not the products, were the cost):
 * <pre>
 * acc[p·oc + o] (+)= Σ_{taps t inside the input} (x[pixel(p, t)·ic + o] − xzp) · (w[o·taps + t] − wz[o])
 * </pre>
 * every operation wrapping as int32, as {@link ConvKernel#conv32}. Input bytes are sign-extended lanes
 * ({@code B2I}), masked to 8 bits for unsigned codes. Each output pixel lists its taps inside the input
 * (padding taps contribute nothing, as the instruction defines) and keeps one accumulator vector per 16
 * channels over them. Needs {@code oc} a multiple of the vector length; the caller also guarantees that the
 * input and accumulator spans do not overlap (the instruction reads all operands before writing).
 * Loaded only when {@link Kernels#vector()} is on. Not thread-safe (scratch arrays).
 */
final class VectorDepthwise8 {
    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 4));
    static final int L = S.length();

    private int[] wt = new int[0];
    private int[] tOff = new int[0];
    private int[] tW = new int[0];

    /**
     * The tile; {@code x} and {@code acc} are byte offsets into {@code mem}, {@code w} the raw weights
     * {@code [o][tap]}, {@code wz} the per-channel weight zero points.
     */
    void run(ConvGeometry g, byte[] mem, int x, boolean unsigned, int xzp, int[] w, int[] wz, int acc, boolean accum) {
        int oc = g.oc();
        int taps = g.taps();
        if (wt.length < taps * oc) wt = new int[taps * oc];
        for (int o = 0; o < oc; o++) {
            int z = wz[o];
            for (int t = 0; t < taps; t++) wt[t * oc + o] = w[o * taps + t] - z;
        }
        if (tOff.length < taps) {
            tOff = new int[taps];
            tW = new int[taps];
        }
        int mask = unsigned ? 0xFF : -1;
        int ih = g.ih();
        int iw = g.iw();
        int ic = g.ic();
        int p = 0;
        for (int oy = 0; oy < g.oh(); oy++) {
            int iy0 = oy * g.sh() - g.pt();
            for (int ox = 0; ox < g.ow(); ox++, p++) {
                int ix0 = ox * g.sw() - g.pl();
                int n = 0;
                for (int ky = 0, t = 0; ky < g.kh(); ky++) {
                    int iy = iy0 + ky * g.dh();
                    for (int kx = 0; kx < g.kw(); kx++, t++) {
                        int ix = ix0 + kx * g.dw();
                        if (iy >= 0 && iy < ih && ix >= 0 && ix < iw) {
                            tOff[n] = x + (iy * iw + ix) * ic;
                            tW[n] = t * oc;
                            n++;
                        }
                    }
                }
                pixel(mem, acc + 4 * p * oc, oc, n, mask, xzp, accum);
            }
        }
    }

    /**
     * One output pixel at byte offset {@code a}: one accumulator vector per L channels over the n taps listed
     * (started at zero and added to the stored accumulators afterwards: a vector chosen between two values
     * before the loop makes JDK 17 box it).
     */
    private void pixel(byte[] mem, int a, int oc, int n, int mask, int xzp, boolean accum) {
        int[] w = wt;
        int[] to = tOff;
        int[] tw = tW;
        for (int o = 0; o < oc; o += L) {
            IntVector v = IntVector.zero(S);
            for (int k = 0; k < n; k++) {
                IntVector xv = ((IntVector) ByteVector.fromArray(B, mem, to[k] + o).convertShape(VectorOperators.B2I, S, 0))
                        .and(mask).sub(xzp);
                v = v.add(xv.mul(IntVector.fromArray(S, w, tw[k] + o)));
            }
            if (accum) v = v.add(IntVector.fromByteArray(S, mem, a + 4 * o, ByteOrder.LITTLE_ENDIAN));
            v.intoByteArray(mem, a + 4 * o, ByteOrder.LITTLE_ENDIAN);
        }
    }
}
