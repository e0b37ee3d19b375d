package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.ElemType;
import dev.cnnip.program.Program;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pp.mul}, {@code pp.avgpool}, {@code pp.softmax}, {@code pp.lrn} and 16-bit-input {@code pp.lut} against
 * references written out in the test from the numerics contract (DESIGN.md section 3: ONNX Runtime's
 * QLinearMul, QLinearAveragePool and QLinearSoftmax recipes), not from the numerics classes the
 * executor uses; softmax is also checked against a double-precision softmax to 1 LSB.
 */
class PpOracleTest {
    private static final long SRC = 0x0000;
    private static final long B = 0x4000;
    private static final long TBL = 0x6000;
    private static final long DST = 0x8000;

    // ---- mul ----

    /** QLinearMul: t = (float)((a − Az)(b − Bz)) · M + (float)Cz in float32, no FMA; clamp(rint(t)). */
    static long mulOrt(long a, int az, long b, int bz, float m, int cz, int qmin, int qmax) {
        float prod = (float) ((a - az) * (b - bz));
        float t = prod * m;
        t = t + (float) cz;
        return Math.max(qmin, Math.min(qmax, (long) Math.rint(t)));
    }

    /** Integer mode: (a − Az)(b − Bz)·mult / 2^shift rounded half up, + Cz, clamped; exact. */
    static long mulHw(long a, int az, long b, int bz, int mult, int shift, int cz, int qmin, int qmax) {
        BigInteger p = BigInteger.valueOf((a - az) * (b - bz)).multiply(BigInteger.valueOf(mult));
        if (shift > 0) p = p.add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift);
        return Math.max(qmin, Math.min(qmax, p.longValueExact() + cz));
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void mulInBothModesWithFullScalarAndModuloB(boolean serial) {
        Random rnd = new Random(41);
        int n = 60;
        // bmod 0 with bscalar 0: element-wise; bscalar 1: one B; bmod 6: per-channel B repeating every 6 elements.
        int[][] shapes = {{0, 0}, {0, 1}, {6, 0}};
        for (int[] shape : shapes) {
            int bmod = shape[0];
            boolean scalar = shape[1] == 1;
            int nb = bmod > 0 ? bmod : scalar ? 1 : n;
            ElemType at = ElemType.U8;
            ElemType bt = ElemType.S8;
            ElemType ot = ElemType.S8;
            long[] a = Elements.random(rnd, at, n);
            long[] b = Elements.random(rnd, bt, nb);
            float as = 0.01f + rnd.nextFloat() / 20;
            float bs = 0.01f + rnd.nextFloat() / 20;
            float cs = 0.02f + rnd.nextFloat() / 10;
            float m = (as * bs) / cs;
            int az = 120;
            int bz = 3;
            int cz = -7;
            // The largest shift that keeps the multiplier below 2^31.
            int shift = 0;
            while (m * Math.pow(2, shift + 1) < Math.pow(2, 31) - 1) shift++;
            int mult = (int) Math.round(m * Math.pow(2, shift));
            String common = Elements.sets("pp", "n", n, "qmin", -128, "qmax", 127, "azp", az, "bzp", bz, "ozp", cz, "bmod", bmod);
            String body = common + Elements.sets("pp", "mm", Float.floatToRawIntBits(m))
                    + String.format("pp.mul a=0x%x b=0x%x dst=0x%x at=u8 bt=s8 ot=s8 mode=f32 bscalar=%d%n", SRC, B, DST,
                    scalar ? 1 : 0)
                    + Elements.sets("pp", "mm", mult, "msh", shift)
                    + String.format("pp.mul a=0x%x b=0x%x dst=0x%x at=u8 bt=s8 ot=s8 mode=int bscalar=%d", SRC, B,
                    DST + 0x100, scalar ? 1 : 0);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(at, a))
                    .put(B, Elements.bytes(bt, b)).program("pp", body);
            Machine m2 = TestPrograms.run(p, serial);
            for (int i = 0; i < n; i++) {
                long bi = b[bmod > 0 ? i % bmod : scalar ? 0 : i];
                long f = mulOrt(a[i], az, bi, bz, m, cz, -128, 127);
                long h = mulHw(a[i], az, bi, bz, mult, shift, cz, -128, 127);
                String where = "element " + i + " bmod=" + bmod + " scalar=" + scalar;
                assertEquals(f, m2.state().sram().s8(DST + i), "f32 " + where);
                assertEquals(h, m2.state().sram().s8(DST + 0x100 + i), "int " + where);
                assertTrue(Math.abs(f - h) <= 1, "modes differ by at most 1 LSB: " + where);
            }
        }
    }

    // ---- avgpool ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void avgpoolWithPaddingBothDivisorsAndEmptyWindows(boolean serial) {
        Random rnd = new Random(23);
        for (int trial = 0; trial < 30; trial++) {
            ElemType dt = rnd.nextBoolean() ? ElemType.U8 : ElemType.S8;
            int ih = 2 + rnd.nextInt(6);
            int iw = 2 + rnd.nextInt(6);
            int c = 1 + rnd.nextInt(4);
            int kh = 1 + rnd.nextInt(3);
            int kw = 1 + rnd.nextInt(3);
            int sh = 1 + rnd.nextInt(2);
            int sw = 1 + rnd.nextInt(2);
            int dh = 1 + rnd.nextInt(2);
            int dw = 1 + rnd.nextInt(2);
            int pt = rnd.nextInt(kh * dh + 2);
            int pl = rnd.nextInt(kw * dw + 2);
            int oh = 1 + rnd.nextInt(ih + 2);
            int ow = 1 + rnd.nextInt(iw + 2);
            boolean cip = rnd.nextBoolean();
            float xs = 0.01f + rnd.nextFloat() / 10;
            float ys = 0.01f + rnd.nextFloat() / 10;
            int xz = (int) Elements.random(rnd, dt);
            int yz = (int) Elements.random(rnd, dt);
            long[] in = Elements.random(rnd, dt, ih * iw * c);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(dt, in))
                    .program("pp", Elements.sets("pp", "ih", ih, "iw", iw, "c", c, "oh", oh, "ow", ow, "kh", kh, "kw", kw,
                            "sh", sh, "sw", sw, "dh", dh, "dw", dw, "pt", pt, "pl", pl, "cip", cip ? 1 : 0,
                            "xs", Float.floatToRawIntBits(xs), "ys", Float.floatToRawIntBits(ys), "xzp", xz, "ozp", yz,
                            "qmin", dt.min(), "qmax", dt.max())
                            + String.format("pp.avgpool src=0x%x dst=0x%x dt=%s", SRC, DST, dt.asm()));
            Machine m = TestPrograms.run(p, serial);
            for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) for (int ch = 0; ch < c; ch++) {
                // QLinearAveragePool: s += xs·(float)(x − xz) over the window in row-major order; s /= count;
                // q = clamp(rint(s / ys + (float) yz)). count: taps inside the input, or every tap (count_include_pad).
                float s = 0f;
                int count = 0;
                for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
                    int y = oy * sh - pt + ky * dh;
                    int x = ox * sw - pl + kx * dw;
                    if (y < 0 || y >= ih || x < 0 || x >= iw) continue;
                    s += xs * (float) (in[(y * iw + x) * c + ch] - xz);
                    count++;
                }
                if (cip) count = kh * kw;
                long expect;
                if (count == 0) {
                    expect = yz;
                } else {
                    s /= (float) count;
                    expect = Math.max(dt.min(), Math.min(dt.max(), (long) Math.rint(s / ys + (float) yz)));
                }
                long addr = DST + (long) (oy * ow + ox) * c + ch;
                assertEquals(expect, m.state().sram().get(dt, addr), "trial " + trial + " at " + oy + "," + ox + "," + ch);
            }
        }
    }

    // ---- softmax ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void softmaxRowsOfUnsignedAndSignedCodes(boolean serial) {
        Random rnd = new Random(5);
        for (ElemType dt : new ElemType[] {ElemType.U8, ElemType.S8}) {
            int rows = 7;
            int c = 1 + rnd.nextInt(40);
            float xs = 0.02f + rnd.nextFloat() / 5;
            float yScale = 1f / 256;
            int yz = dt == ElemType.U8 ? 0 : -128;
            // ONNX Runtime's table: for i = 255 − (max − x), the code distance to the row maximum, the value
            // exp(xs·(i − 255)), stored at i (u8) or at (i − 128) mod 256 (s8).
            float[] byDistance = new float[256];
            float[] table = new float[256];
            for (int i = 0; i < 256; i++) {
                byDistance[i] = (float) Math.exp(xs * (i - 255));
                table[dt == ElemType.U8 ? i : (i - 128) & 0xFF] = byDistance[i];
            }
            long[] x = Elements.random(rnd, dt, rows * c);
            float yinv = (float) Math.floor(1.0f / yScale);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(dt, x))
                    .put(TBL, Elements.floats(table))
                    .program("pp", Elements.sets("pp", "n", rows, "c", c, "yinv", Float.floatToRawIntBits(yinv), "ozp", yz)
                            + String.format("pp.softmax src=0x%x exp=0x%x dst=0x%x dt=%s", SRC, TBL, DST, dt.asm()));
            Machine m = TestPrograms.run(p, serial);
            for (int r = 0; r < rows; r++) {
                long max = Long.MIN_VALUE;
                for (int j = 0; j < c; j++) max = Math.max(max, x[r * c + j]);
                float sum = 0f;
                float[] e = new float[c];
                for (int j = 0; j < c; j++) {
                    e[j] = byDistance[(int) (255 - max + x[r * c + j])];
                    sum += e[j];
                }
                double dsum = 0;
                for (int j = 0; j < c; j++) dsum += Math.exp(xs * (x[r * c + j] - max));
                for (int j = 0; j < c; j++) {
                    long v = Math.min(255, (long) Math.rint((e[j] * yinv) / sum) + yz);
                    long expect = dt == ElemType.U8 ? v : (byte) v;
                    long got = m.state().sram().get(dt, DST + (long) r * c + j);
                    assertEquals(expect, got, dt + " row " + r + " element " + j);
                    double exact = Math.exp(xs * (x[r * c + j] - max)) / dsum / yScale + yz;
                    assertTrue(Math.abs(Math.min(exact, dt.max()) - got) <= 1.0 + 1e-9,
                            dt + " row " + r + " element " + j + ": " + got + " vs softmax " + exact);
                }
            }
        }
    }

    // ---- lrn ----

    /**
     * pp.lrn against ONNX Runtime's LRN&lt;float&gt; recipe written out here (running window sum: add the head,
     * subtract the tail, every step rounded to float32) followed by QuantizeLinear, and against a
     * double-precision LRN with a direct window sum to 1 LSB.
     */
    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void lrnAcrossChannelsOfUnsignedAndSignedCodes(boolean serial) {
        Random rnd = new Random(23);
        int[][] cases = {{5, 0, 0}, {3, 1, 0}, {1, 0, 0}, {7, 1, 0}, {5, 0, 1}, {3, 1, 1}}; // window size, signed, 16-bit output
        for (int[] cs : cases) {
            int size = cs[0];
            ElemType dt = cs[1] == 1 ? ElemType.S8 : ElemType.U8;
            ElemType ot = cs[2] == 0 ? dt : cs[1] == 1 ? ElemType.S16 : ElemType.U16;
            int pixels = 6;
            int c = 1 + rnd.nextInt(20);
            float xs = 0.05f + rnd.nextFloat() / 4;
            float ys = 0.02f + rnd.nextFloat() / 8;
            int xz = dt == ElemType.U8 ? rnd.nextInt(60) : rnd.nextInt(40) - 20;
            int yz = ot == ElemType.U8 ? 128 : ot == ElemType.U16 ? 30000 : 0;
            if (cs[2] == 1) ys /= 256; // a 16-bit output gets a finer step
            float alpha = 0.5f * rnd.nextFloat() + 1e-4f;
            float beta = 0.5f + rnd.nextFloat() / 2;
            float bias = 1f + rnd.nextFloat();
            float aos = alpha / (float) size;
            long[] q = Elements.random(rnd, dt, pixels * c);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(dt, q))
                    .program("pp", Elements.sets("pp", "n", pixels, "c", c, "lsize", size, "lalpha", Float.floatToRawIntBits(aos),
                            "lbeta", Float.floatToRawIntBits(beta), "lbias", Float.floatToRawIntBits(bias), "xs", Float.floatToRawIntBits(xs),
                            "xzp", xz, "ys", Float.floatToRawIntBits(ys), "ozp", yz, "qmin", (int) ot.min(), "qmax", (int) ot.max())
                            + String.format("pp.lrn src=0x%x dst=0x%x it=%s ot=%s", SRC, DST, dt.asm(), ot.asm()));
            Machine m = TestPrograms.run(p, serial);
            int pre = (size - 1) / 2;
            for (int px = 0; px < pixels; px++) {
                float[] x = new float[c];
                for (int j = 0; j < c; j++) x[j] = (float) (q[px * c + j] - xz) * xs;
                // padded squares: pre zeros before, size - 1 - pre after
                float[] ps = new float[c + size - 1];
                for (int j = 0; j < c; j++) ps[j + pre] = x[j] * x[j];
                float[] scale = new float[c];
                float s = bias;
                for (int k = 0; k < size; k++) s += aos * ps[k];
                scale[0] = s;
                for (int j = 1; j < c; j++) {
                    s += aos * ps[j + size - 1];
                    s += -aos * ps[j - 1];
                    scale[j] = s;
                }
                for (int j = 0; j < c; j++) {
                    float y = x[j] * (float) Math.pow(scale[j], -beta);
                    float t = Math.max((float) (ot.min() - yz), Math.min((float) (ot.max() - yz), y / ys));
                    long expect = (long) Math.rint(t) + yz;
                    long got = m.state().sram().get(ot, DST + ((long) px * c + j) * ot.bytes());
                    assertEquals(expect, got, dt + " size " + size + " pixel " + px + " channel " + j);
                    double sum = 0;
                    for (int k = Math.max(0, j - pre); k <= Math.min(c - 1, j + size - 1 - pre); k++) sum += (double) x[k] * x[k];
                    double exact = x[j] / Math.pow(bias + alpha / size * sum, beta) / ys + yz;
                    exact = Math.max(ot.min(), Math.min(ot.max(), exact));
                    assertTrue(Math.abs(exact - got) <= 1.0, dt + " pixel " + px + " channel " + j + ": " + got + " vs LRN " + exact);
                }
            }
        }
    }

    // ---- softmax in float (16-bit codes) ----

    /**
     * {@code pp.softmaxf} against softmax computed in double from the dequantized codes (no float32 recipe): every
     * output within 1 LSB of the exact value quantized; a row of equal codes gives 1/c in every element.
     */
    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void floatSoftmaxRowsOfSixteenBitCodes(boolean serial) {
        Random rnd = new Random(41);
        ElemType[][] types = {{ElemType.S16, ElemType.S16}, {ElemType.U16, ElemType.U16}, {ElemType.S16, ElemType.U16},
                {ElemType.U8, ElemType.U16}, {ElemType.S16, ElemType.U8}};
        for (ElemType[] t : types) {
            ElemType it = t[0];
            ElemType ot = t[1];
            int rows = 5;
            int c = 1 + rnd.nextInt(24);
            float xs = it.bytes() == 1 ? 0.05f : 0.0002f + rnd.nextFloat() / 1000;
            int xz = it == ElemType.U16 ? 30000 : it == ElemType.U8 ? 100 : rnd.nextInt(200) - 100;
            float ys = ot.bytes() == 1 ? 1f / 256 : 1f / 65536;
            int yz = (int) ot.min(); // [0, 1) over the whole code range
            long[] q = Elements.random(rnd, it, rows * c);
            for (int j = 0; j < c; j++) q[j] = q[0]; // row 0: all equal
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(it, q))
                    .program("pp", Elements.sets("pp", "n", rows, "c", c, "xs", Float.floatToRawIntBits(xs), "xzp", xz,
                            "ys", Float.floatToRawIntBits(ys), "ozp", yz, "qmin", (int) ot.min(), "qmax", (int) ot.max())
                            + String.format("pp.softmaxf src=0x%x dst=0x%x it=%s ot=%s", SRC, DST, it.asm(), ot.asm()));
            Machine m = TestPrograms.run(p, serial);
            for (int row = 0; row < rows; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, (q[row * c + j] - xz) * (double) xs);
                double sum = 0;
                for (int j = 0; j < c; j++) sum += Math.exp((q[row * c + j] - xz) * (double) xs - max);
                for (int j = 0; j < c; j++) {
                    double y = Math.exp((q[row * c + j] - xz) * (double) xs - max) / sum;
                    double exact = Math.max(ot.min(), Math.min(ot.max(), y / ys + yz));
                    long got = m.state().sram().get(ot, DST + ((long) row * c + j) * ot.bytes());
                    String what = it.asm() + "->" + ot.asm() + " row " + row + " element " + j + ": " + got + " vs " + exact;
                    assertTrue(Math.abs(exact - got) <= 1.0, what);
                    if (row == 0) assertEquals(Math.min(ot.max(), Math.rint(1.0 / c / ys) + yz), got, 0.0, what);
                }
            }
        }
    }

    // ---- lut with 16-bit inputs ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void lookupTablesIndexedBySixteenBitCodes(boolean serial) {
        Random rnd = new Random(77);
        long[] in = Elements.random(rnd, ElemType.S16, 100);
        in[0] = Short.MIN_VALUE;
        in[1] = Short.MAX_VALUE;
        long[] table = Elements.random(rnd, ElemType.U8, 65536);
        // 64 KiB of table: more SRAM than the tiny preset has.
        Program p = new TestPrograms.SramSetup(dev.cnnip.hw.HwConfig.preset("v3u-like")).put(SRC, Elements.bytes(ElemType.S16, in))
                .put(0x10000, Elements.bytes(ElemType.U8, table))
                .program("pp", "pp.set n=100\n" + String.format("pp.lut src=0x%x tbl=0x10000 dst=0x%x it=s16 ot=u8", SRC, DST));
        Machine m = TestPrograms.run(p, serial);
        for (int i = 0; i < in.length; i++) {
            assertEquals(table[(int) in[i] + 32768], m.state().sram().u8(DST + i), "element " + i);
        }
    }
}
