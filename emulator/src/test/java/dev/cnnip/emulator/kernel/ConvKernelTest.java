package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scalar and the vector convolution kernels against the instruction's formula evaluated directly (a
 * naive loop written from the ex.conv definition), on random geometries covering what the fast paths
 * special-case: depthwise, grouped, pointwise, channel counts that are not a multiple of the vector
 * length, padding, strides, dilations, an odd number of output pixels and wrapping int32 sums.
 */
class ConvKernelTest {
    @Test
    void kernelsEqualTheFormulaOnRandomTiles() {
        Random r = new Random(12);
        assertTrue(Kernels.vectorModulePresent(), "the tests run with --add-modules jdk.incubator.vector");
        for (int n = 0; n < 300; n++) {
            ConvGeometry g = geometry(r, n);
            int[] xs = new int[g.ih() * g.iw() * g.ic()];
            boolean wrap = n % 10 == 9;
            // Every third tile is mostly zeros, as an image's background or a ReLU's output: the scalar kernel skips them.
            boolean sparse = n % 3 == 1;
            for (int i = 0; i < xs.length; i++) {
                xs[i] = sparse && r.nextInt(5) > 0 ? 0 : wrap ? r.nextInt() : r.nextInt(511) - 255;
            }
            int[] w = new int[g.oc() * g.taps() * g.gic()];
            for (int i = 0; i < w.length; i++) w[i] = wrap ? r.nextInt() : r.nextInt(256) - 128;
            int[] wz = new int[g.oc()];
            for (int i = 0; i < wz.length; i++) wz[i] = r.nextInt(21) - 10;
            int[] acc0 = new int[g.oh() * g.ow() * g.oc()];
            for (int i = 0; i < acc0.length; i++) acc0[i] = r.nextInt();
            int[] expected = acc0.clone();
            direct(g, xs, w, wz, expected);
            int[] scalar = acc0.clone();
            new ConvKernel().scalar32(g, xs, w, wz, scalar);
            assertArrayEquals(expected, scalar, "scalar " + g);
            int[] vector = acc0.clone();
            new VectorConvKernel().conv32(g, xs, w, wz, vector);
            assertArrayEquals(expected, vector, "vector " + g);
        }
    }

    /**
     * One kernel instance over a sequence of tiles, as an executor runs them: the vector kernel keeps the
     * previous tile's transposed weights when the next tile's raw weights and zero points are equal, so
     * tiles repeat the previous weights with new inputs, or change one weight or one zero point, or switch
     * between depthwise and general shapes.
     */
    @Test
    void oneKernelOverTilesThatShareWeights() {
        Random r = new Random(31);
        ConvKernel scalar = new ConvKernel();
        VectorConvKernel vector = new VectorConvKernel();
        ConvGeometry g = geometry(r, 1);
        int[] w = new int[0];
        int[] wz = new int[0];
        for (int n = 0; n < 200; n++) {
            int change = r.nextInt(5);
            if (n == 0 || change == 0) {
                g = geometry(r, r.nextInt(4));
                w = new int[g.oc() * g.taps() * g.gic()];
                for (int i = 0; i < w.length; i++) w[i] = r.nextInt(256) - 128;
                wz = new int[g.oc()];
                for (int i = 0; i < wz.length; i++) wz[i] = r.nextInt(21) - 10;
            } else if (change == 1) {
                w[r.nextInt(w.length)] ^= 1 + r.nextInt(7);
            } else if (change == 2) {
                wz[r.nextInt(wz.length)] += 1;
            }
            int[] xs = new int[g.ih() * g.iw() * g.ic()];
            for (int i = 0; i < xs.length; i++) xs[i] = r.nextInt(511) - 255;
            int[] acc0 = new int[g.oh() * g.ow() * g.oc()];
            for (int i = 0; i < acc0.length; i++) acc0[i] = r.nextInt(1000);
            int[] expected = acc0.clone();
            direct(g, xs, w, wz, expected);
            int[] s = acc0.clone();
            scalar.scalar32(g, xs, w, wz, s);
            assertArrayEquals(expected, s, "scalar tile " + n + " " + g);
            int[] v = acc0.clone();
            vector.conv32(g, xs, w, wz, v);
            assertArrayEquals(expected, v, "vector tile " + n + " " + g);
        }
    }

    /**
     * The depthwise SRAM-byte kernel against the formula: u8 and s8 inputs with their zero points (codes at
     * 0, 255, −128, 127 included), weights with per-channel zero points, wrapping weights, accumulating onto
     * and overwriting little-endian int32 accumulators, input before or after the accumulators in memory.
     */
    @Test
    void depthwise8EqualsTheFormula() {
        Random r = new Random(41);
        ConvKernel k = new ConvKernel();
        int lanes = Kernels.vectorInts();
        for (int n = 0; n < 300; n++) {
            ConvGeometry g0 = geometry(r, 0);
            int oc = lanes * (1 + r.nextInt(3));
            ConvGeometry g = new ConvGeometry(g0.ih(), g0.iw(), oc + r.nextInt(3), g0.oh(), g0.ow(), oc, g0.kh(), g0.kw(),
                    g0.sh(), g0.sw(), g0.dh(), g0.dw(), g0.pt(), g0.pl(), 1, 1);
            boolean unsigned = r.nextBoolean();
            int xzp = unsigned ? r.nextInt(256) : r.nextInt(256) - 128;
            int nx = g.ih() * g.iw() * g.ic();
            int na = g.oh() * g.ow() * g.oc();
            byte[] raw = new byte[nx];
            r.nextBytes(raw);
            for (int i = 0; i < nx; i += 1 + r.nextInt(5)) raw[i] = (byte) (r.nextBoolean() ? 0x80 : r.nextBoolean() ? 0x7F : r.nextBoolean() ? 0 : 0xFF);
            int[] xs = new int[nx];
            for (int i = 0; i < nx; i++) xs[i] = (unsigned ? raw[i] & 0xFF : raw[i]) - xzp;
            boolean wrap = n % 10 == 9;
            int[] w = new int[g.oc() * g.taps()];
            for (int i = 0; i < w.length; i++) w[i] = wrap ? r.nextInt() : r.nextInt(256) - 128;
            int[] wz = new int[g.oc()];
            for (int i = 0; i < wz.length; i++) wz[i] = r.nextInt(21) - 10;
            boolean accum = r.nextBoolean();
            int[] acc0 = new int[na];
            for (int i = 0; i < na; i++) acc0[i] = r.nextInt();
            int[] expected = accum ? acc0.clone() : new int[na];
            direct(g, xs, w, wz, expected);
            boolean inputFirst = r.nextBoolean();
            int gap = r.nextInt(5);
            int x = inputFirst ? gap : gap + 4 * na + r.nextInt(3);
            int acc = inputFirst ? x + nx + r.nextInt(3) : gap;
            byte[] mem = new byte[Math.max(x + nx, acc + 4 * na) + 7];
            System.arraycopy(raw, 0, mem, x, nx);
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(mem).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < na; i++) bb.putInt(acc + 4 * i, acc0[i]);
            assertTrue(k.depthwise8(g, mem, x, unsigned, xzp, w, wz, acc, accum), "taken for " + g);
            int[] got = new int[na];
            for (int i = 0; i < na; i++) got[i] = bb.getInt(acc + 4 * i);
            assertArrayEquals(expected, got, "tile " + n + " " + g + " unsigned " + unsigned + " accum " + accum);
            for (int i = 0; i < nx; i++) org.junit.jupiter.api.Assertions.assertEquals(raw[i], mem[x + i], "input intact");
        }
        ConvGeometry odd = new ConvGeometry(3, 3, lanes + 1, 3, 3, lanes + 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        org.junit.jupiter.api.Assertions.assertFalse(k.depthwise8(odd, new byte[4096], 0, true, 0,
                new int[9 * (lanes + 1)], new int[lanes + 1], 1024, false), "channels not a multiple of the lanes");
    }

    private static ConvGeometry geometry(Random r, int n) {
        int kind = n % 4;
        int kh = 1 + r.nextInt(3);
        int kw = 1 + r.nextInt(3);
        int sh = 1 + r.nextInt(2);
        int sw = 1 + r.nextInt(2);
        int dh = 1 + r.nextInt(2);
        int dw = 1 + r.nextInt(2);
        int oh = 1 + r.nextInt(5);
        int ow = 1 + r.nextInt(5);
        int pt = r.nextInt(2);
        int pl = r.nextInt(2);
        int ih = Math.max(1, (oh - 1) * sh + (kh - 1) * dh + 1 - pt - r.nextInt(2));
        int iw = Math.max(1, (ow - 1) * sw + (kw - 1) * dw + 1 - pl - r.nextInt(2));
        int oc;
        int gic;
        int goc;
        switch (kind) {
            case 0 -> { oc = 1 + r.nextInt(70); gic = 1; goc = 1; }                    // depthwise
            case 1 -> { oc = 1 + r.nextInt(70); gic = 1 + r.nextInt(40); goc = oc; }   // one group
            case 2 -> { goc = 1 + r.nextInt(40); oc = goc * (1 + r.nextInt(3)) - r.nextInt(goc); gic = 1 + r.nextInt(n % 8 == 2 ? 100 : 8); }  // grouped (wide groups: the dot-product kernel)
            default -> { oc = 16 * (1 + r.nextInt(4)) + 8 * r.nextInt(2); gic = 1 + r.nextInt(n % 8 == 3 ? 200 : 64); goc = oc; }
        }
        int groups = (oc + goc - 1) / goc;
        int ic = groups * gic + r.nextInt(3);
        return new ConvGeometry(ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, gic, goc);
    }

    /** The formula of ex.conv, literally. */
    private static void direct(ConvGeometry g, int[] xs, int[] w, int[] wz, int[] acc) {
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                for (int o = 0; o < g.oc(); o++) {
                    int gr = o / g.goc();
                    int sum = 0;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int iy = oy * g.sh() - g.pt() + ky * g.dh();
                            int ix = ox * g.sw() - g.pl() + kx * g.dw();
                            if (iy < 0 || iy >= g.ih() || ix < 0 || ix >= g.iw()) continue;
                            for (int c = 0; c < g.gic(); c++) {
                                sum += xs[(iy * g.iw() + ix) * g.ic() + gr * g.gic() + c]
                                        * (w[((o * g.kh() + ky) * g.kw() + kx) * g.gic() + c] - wz[o]);
                            }
                        }
                    }
                    acc[(oy * g.ow() + ox) * g.oc() + o] += sum;
                }
            }
        }
    }
}
