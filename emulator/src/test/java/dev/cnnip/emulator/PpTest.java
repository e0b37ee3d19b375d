package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.isa.ElemType;
import dev.cnnip.program.Program;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PP instructions against references written out from the numerics contract (DESIGN.md §3), not the
 * numerics classes the executor uses.
 */
class PpTest {
    private static final long SRC = 0x0000;
    private static final long PRM = 0x4000;
    private static final long B = 0x5000;
    private static final long DST = 0x8000;

    // ---- references (DESIGN.md §3) ----

    /** ONNX Runtime requant: v = (float)acc * M; clamp to [qmin−zp, qmax−zp]; q = rint(v) + zp. */
    static long requantOrt(long acc, float m, int zp, int qmin, int qmax) {
        float v = (float) acc * m;
        v = Math.max((float) (qmin - zp), Math.min((float) (qmax - zp), v));
        return (long) Math.rint(v) + zp;
    }

    /** Hardware requant: clamp(((acc·mult) + 2^(shift−1)) >> shift) + zp, qmin, qmax), exact. */
    static long requantHw(long acc, int mult, int shift, int zp, int qmin, int qmax) {
        BigInteger p = BigInteger.valueOf(acc).multiply(BigInteger.valueOf(mult));
        if (shift > 0) p = p.add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift);
        long q = p.longValueExact() + zp;
        return Math.max(qmin, Math.min(qmax, q));
    }

    /** QuantizeLinear: t = x / s; clamp to [qmin − zp, qmax − zp]; q = rint(t) + zp. */
    static long quantize(float x, float s, int zp, int qmin, int qmax) {
        float t = x / s;
        t = Math.max((float) (qmin - zp), Math.min((float) (qmax - zp), t));
        return (long) Math.rint(t) + zp;
    }

    // ---- requant ----

    record Requant(int n, int c, int apitch, int opitch, boolean a64, boolean intMode, ElemType ot, int ozp, int qmin,
                   int qmax) {}

    static void runRequant(Requant k, Random rnd, boolean serial) {
        long[] acc = new long[(k.n() - 1) * k.apitch() + k.c()];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = k.a64() ? rnd.nextLong() >> 24 : rnd.nextInt(1 << 22) - (1 << 21);
        }
        acc[0] = k.a64() ? acc[0] : Integer.MAX_VALUE - 5; // acc + bias wraps as int32
        int[] bias = new int[k.c()];
        int[] mult = new int[k.c()];
        int[] shift = new int[k.c()];
        int[] prm = new int[3 * k.c()];
        for (int ch = 0; ch < k.c(); ch++) {
            bias[ch] = ch == 0 ? 1000 : rnd.nextInt(20000) - 10000;
            if (k.intMode()) {
                mult[ch] = (1 << 30) + rnd.nextInt(1 << 30);
                shift[ch] = (k.a64() ? 50 : 36) + rnd.nextInt(8);
            } else {
                float xs = 0.5f + rnd.nextFloat();
                float ws = 0.001f + rnd.nextFloat() / 100;
                float ys = (k.a64() ? 1e6f : 1f) * (0.05f + rnd.nextFloat());
                mult[ch] = Float.floatToRawIntBits((xs * ws) / ys);
            }
            prm[3 * ch] = bias[ch];
            prm[3 * ch + 1] = mult[ch];
            prm[3 * ch + 2] = shift[ch];
        }
        Program p = new TestPrograms.SramSetup(TestPrograms.TINY)
                .put(SRC, k.a64() ? Elements.longs(acc) : Elements.bytes(ElemType.S32, acc))
                .put(PRM, Elements.ints(prm))
                .program("pp", Elements.sets("pp", "n", k.n(), "c", k.c(), "apitch", k.apitch(), "opitch", k.opitch(),
                        "ozp", k.ozp(), "qmin", k.qmin(), "qmax", k.qmax())
                        + String.format("pp.requant acc=0x%x prm=0x%x out=0x%x ot=%s mode=%s a64=%d", SRC, PRM, DST,
                        k.ot().asm(), k.intMode() ? "int" : "f32", k.a64() ? 1 : 0));
        Machine m = TestPrograms.run(p, serial);
        for (int px = 0; px < k.n(); px++) {
            for (int ch = 0; ch < k.c(); ch++) {
                long a = acc[px * k.apitch() + ch] + bias[ch];
                if (!k.a64()) a = (int) a;
                long expect = k.intMode() ? requantHw(a, mult[ch], shift[ch], k.ozp(), k.qmin(), k.qmax())
                        : requantOrt(a, Float.intBitsToFloat(mult[ch]), k.ozp(), k.qmin(), k.qmax());
                long addr = DST + (long) (px * k.opitch() + ch) * k.ot().bytes();
                assertEquals(expect, m.state().sram().get(k.ot(), addr), k + " pixel " + px + " channel " + ch);
            }
        }
        // The gaps between output pixels are untouched.
        if (k.opitch() > k.c()) assertEquals(0, m.state().sram().get(k.ot(), DST + (long) k.c() * k.ot().bytes()));
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void requantBothModes(boolean serial) {
        Random rnd = new Random(21);
        for (boolean intMode : new boolean[] {false, true}) {
            runRequant(new Requant(20, 6, 8, 7, false, intMode, ElemType.U8, 128, 0, 255), rnd, serial);
            runRequant(new Requant(9, 5, 5, 5, false, intMode, ElemType.S8, -3, -3, 127), rnd, serial); // absorbed Relu
            runRequant(new Requant(11, 4, 4, 6, true, intMode, ElemType.S16, 7, -32768, 32767), rnd, serial);
            runRequant(new Requant(3, 3, 0, 3, false, intMode, ElemType.U16, 0, 0, 65535), rnd, serial); // broadcast row
        }
    }

    @Test
    void requantRoundsHalfToEvenInF32AndHalfUpInInt() {
        // acc 5 and 7 times 0.5 give 2.5 and 3.5: f32 mode rounds half to even (2, 4), int mode half up (3, 4).
        int half = Float.floatToRawIntBits(0.5f);
        Program p = new TestPrograms.SramSetup(TestPrograms.TINY)
                .put(SRC, Elements.ints(5, 7, -5))
                .put(PRM, Elements.ints(0, half, 0))
                .put(PRM + 12, Elements.ints(0, 1 << 30, 31))
                .program("pp", Elements.sets("pp", "n", 3, "c", 1, "ozp", 0, "qmin", -128, "qmax", 127)
                        + String.format("pp.requant acc=0x%x prm=0x%x out=0x%x ot=s8 mode=f32%n", SRC, PRM, DST)
                        + String.format("pp.requant acc=0x%x prm=0x%x out=0x%x ot=s8 mode=int", SRC, PRM + 12, DST + 16));
        Machine m = TestPrograms.run(p, false);
        assertEquals(Arrays.asList(2, 4, -2), Arrays.asList(m.state().sram().s8(DST), m.state().sram().s8(DST + 1),
                m.state().sram().s8(DST + 2)));
        assertEquals(Arrays.asList(3, 4, -2), Arrays.asList(m.state().sram().s8(DST + 16), m.state().sram().s8(DST + 17),
                m.state().sram().s8(DST + 18)));
    }

    // ---- quant / dequant ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void quantizeAndDequantizeWithPerChannelTables(boolean serial) {
        Random rnd = new Random(4);
        int c = 3;
        int inner = 5;
        int n = c * inner * 4;
        for (ElemType ot : new ElemType[] {ElemType.U8, ElemType.S8, ElemType.S16}) {
            float[] scale = new float[c];
            int[] zp = new int[c];
            int[] table = new int[2 * c];
            for (int ch = 0; ch < c; ch++) {
                scale[ch] = 0.01f + rnd.nextFloat() / 10;
                zp[ch] = (int) Elements.random(rnd, ot) / 2;
                table[2 * ch] = Float.floatToRawIntBits(scale[ch]);
                table[2 * ch + 1] = zp[ch];
            }
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                int ch = (i / inner) % c;
                // Exact halves (ties), large values (saturation) and ordinary values.
                x[i] = switch (i % 4) {
                    case 0 -> (rnd.nextInt(40) - 20 + 0.5f) * scale[ch];
                    case 1 -> (rnd.nextBoolean() ? 1 : -1) * 1e6f;
                    default -> (rnd.nextFloat() - 0.5f) * 300 * scale[ch];
                };
            }
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY)
                    .put(SRC, Elements.floats(x)).put(PRM, Elements.ints(table))
                    .program("pp", Elements.sets("pp", "n", n, "c", c, "inner", inner)
                            + String.format("pp.quant src=0x%x prm=0x%x dst=0x%x ot=%s%n", SRC, PRM, DST, ot.asm())
                            + String.format("pp.dequant src=0x%x prm=0x%x dst=0x%x it=%s", DST, PRM, B, ot.asm()));
            Machine m = TestPrograms.run(p, serial);
            for (int i = 0; i < n; i++) {
                int ch = (i / inner) % c;
                long q = quantize(x[i], scale[ch], zp[ch], ot.min(), ot.max());
                assertEquals(q, m.state().sram().get(ot, DST + (long) i * ot.bytes()), ot + " element " + i);
                float back = (float) (q - zp[ch]) * scale[ch];
                assertEquals(Float.floatToRawIntBits(back), m.state().sram().s32(B + 4L * i), "dequant " + i);
            }
        }
    }

    // ---- maxpool ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void maxpoolWithPaddingAndEmptyWindows(boolean serial) {
        Random rnd = new Random(8);
        for (int trial = 0; trial < 30; trial++) {
            ElemType dt = new ElemType[] {ElemType.U8, ElemType.S8, ElemType.S16}[rnd.nextInt(3)];
            int ih = 2 + rnd.nextInt(6);
            int iw = 2 + rnd.nextInt(6);
            int c = 1 + rnd.nextInt(4);
            int kh = 1 + rnd.nextInt(3);
            int kw = 1 + rnd.nextInt(3);
            int sh = 1 + rnd.nextInt(2);
            int sw = 1 + rnd.nextInt(2);
            int dh = 1 + rnd.nextInt(2);
            int dw = 1 + rnd.nextInt(2);
            // Padding up to beyond a whole window, so that some windows hold no valid tap.
            int pt = rnd.nextInt(kh * dh + 2);
            int pl = rnd.nextInt(kw * dw + 2);
            int oh = 1 + rnd.nextInt(ih + 2);
            int ow = 1 + rnd.nextInt(iw + 2);
            long[] in = Elements.random(rnd, dt, ih * iw * c);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(dt, in))
                    .program("pp", Elements.sets("pp", "ih", ih, "iw", iw, "c", c, "oh", oh, "ow", ow, "kh", kh, "kw", kw,
                            "sh", sh, "sw", sw, "dh", dh, "dw", dw, "pt", pt, "pl", pl)
                            + String.format("pp.maxpool src=0x%x dst=0x%x dt=%s", SRC, DST, dt.asm()));
            Machine m = TestPrograms.run(p, serial);
            // Reference: a padded image where padding is "absent", then a plain window maximum.
            int ph = pt + ih + (oh * sh + kh * dh);
            int pw = pl + iw + (ow * sw + kw * dw);
            Long[][][] padded = new Long[ph][pw][c];
            for (int y = 0; y < ih; y++) for (int x = 0; x < iw; x++) for (int ch = 0; ch < c; ch++) {
                padded[y + pt][x + pl][ch] = in[(y * iw + x) * c + ch];
            }
            for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) for (int ch = 0; ch < c; ch++) {
                long best = dt.min();
                for (int ky = 0; ky < kh; ky++) for (int kx = 0; kx < kw; kx++) {
                    Long v = padded[oy * sh + ky * dh][ox * sw + kx * dw][ch];
                    if (v != null) best = Math.max(best, v);
                }
                long addr = DST + (long) ((oy * ow + ox) * c + ch) * dt.bytes();
                assertEquals(best, m.state().sram().get(dt, addr), "trial " + trial + " at " + oy + "," + ox + "," + ch);
            }
        }
    }

    // ---- add ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void addInBothModesAndWithScalarB(boolean serial) {
        Random rnd = new Random(31);
        int n = 50;
        for (boolean scalar : new boolean[] {false, true}) {
            ElemType at = ElemType.U8;
            ElemType bt = ElemType.S8;
            ElemType ot = ElemType.U8;
            long[] a = Elements.random(rnd, at, n);
            long[] b = Elements.random(rnd, bt, scalar ? 1 : n);
            // f32 mode constants as the ONNX Runtime recipe forms them.
            float as = 0.02f + rnd.nextFloat() / 10;
            float bs = 0.02f + rnd.nextFloat() / 10;
            float cs = 0.05f + rnd.nextFloat() / 10;
            int az = 128;
            int bz = -5;
            int cz = 120;
            float ra = as / cs;
            float rb = bs / cs;
            float k = (float) cz - Math.fma(ra, (float) az, rb * (float) bz);
            // int mode constants.
            int shift = 28;
            int ma = (int) Math.round(ra * Math.pow(2, shift));
            int mb = (int) Math.round(rb * Math.pow(2, shift));
            String common = Elements.sets("pp", "n", n, "qmin", 0, "qmax", 255, "azp", az, "bzp", bz, "ozp", cz);
            String f32 = Elements.sets("pp", "fa", Float.floatToRawIntBits(ra), "fb", Float.floatToRawIntBits(rb),
                    "fk", Float.floatToRawIntBits(k))
                    + String.format("pp.add a=0x%x b=0x%x dst=0x%x at=%s bt=%s ot=%s mode=f32 bscalar=%d%n", SRC, B, DST,
                    at.asm(), bt.asm(), ot.asm(), scalar ? 1 : 0);
            String hw = Elements.sets("pp", "fa", ma, "fb", mb, "fk", shift)
                    + String.format("pp.add a=0x%x b=0x%x dst=0x%x at=%s bt=%s ot=%s mode=int bscalar=%d", SRC, B, DST + 0x100,
                    at.asm(), bt.asm(), ot.asm(), scalar ? 1 : 0);
            Program p = new TestPrograms.SramSetup(TestPrograms.TINY).put(SRC, Elements.bytes(at, a))
                    .put(B, Elements.bytes(bt, b)).program("pp", common + f32 + hw);
            Machine m = TestPrograms.run(p, serial);
            for (int i = 0; i < n; i++) {
                long bi = b[scalar ? 0 : i];
                float t = scalar ? Math.fma((float) a[i], ra, k + (float) bi * rb)
                        : Math.fma((float) a[i], ra, Math.fma((float) bi, rb, k));
                long expectF = Math.max(0, Math.min(255, (long) Math.rint(t)));
                assertEquals(expectF, m.state().sram().u8(DST + i), "f32 add element " + i + " scalar=" + scalar);
                long ti = (a[i] - az) * ma + (bi - bz) * mb;
                long expectI = Math.max(0, Math.min(255, ((ti + (1L << (shift - 1))) >> shift) + cz));
                assertEquals(expectI, m.state().sram().u8(DST + 0x100 + i), "int add element " + i + " scalar=" + scalar);
                assertTrue(Math.abs(expectF - expectI) <= 1, "modes differ by at most 1 LSB");
            }
        }
    }

    // ---- lut ----

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void lookupTables(boolean serial) {
        Random rnd = new Random(17);
        long[] in8 = Elements.random(rnd, ElemType.S8, 300);
        long[] tbl16 = Elements.random(rnd, ElemType.S16, 256);
        long[] inU = Elements.random(rnd, ElemType.U8, 77);
        long[] tblU = Elements.random(rnd, ElemType.U8, 256);
        Program p = new TestPrograms.SramSetup(TestPrograms.TINY)
                .put(SRC, Elements.bytes(ElemType.S8, in8)).put(PRM, Elements.bytes(ElemType.S16, tbl16))
                .put(B, Elements.bytes(ElemType.U8, inU)).put(PRM + 0x800, Elements.bytes(ElemType.U8, tblU))
                .program("pp", "pp.set n=300\n"
                        + String.format("pp.lut src=0x%x tbl=0x%x dst=0x%x it=s8 ot=s16%n", SRC, PRM, DST)
                        + "pp.set n=77\n"
                        + String.format("pp.lut src=0x%x tbl=0x%x dst=0x%x it=u8 ot=u8", B, PRM + 0x800, DST + 0x1000));
        Machine m = TestPrograms.run(p, serial);
        for (int i = 0; i < in8.length; i++) assertEquals(tbl16[(int) in8[i] + 128], m.state().sram().s16(DST + 2L * i));
        for (int i = 0; i < inU.length; i++) assertEquals(tblU[(int) inU[i]], m.state().sram().u8(DST + 0x1000 + i));
    }

    // ---- faults ----

    private static String fault(String body) {
        Program p = TestPrograms.tiny().asm(body).asm("finish").build();
        return assertThrows(MachineFault.class, () -> new Machine(p).run()).getMessage();
    }

    @Test
    void faults() {
        assertEquals("fault at pp pc 0 (pp.requant): element type f32 of field ot is not supported by pp.requant"
                + " (integer types only)", fault("pp.requant acc=0 prm=0x100 out=0x200 ot=f32"));
        Program bad = new TestPrograms.SramSetup(TestPrograms.TINY).put(PRM, Elements.ints(0, 1 << 30, 95))
                .program("pp", "pp.requant acc=0 prm=0x4000 out=0x200 ot=u8 mode=int");
        assertEquals("fault at pp pc 3 (pp.requant): channel 0: multiplier 1073741824 and shift 95 must be in"
                + " [0, 2^31) and [0, 94]", assertThrows(MachineFault.class, () -> new Machine(bad).run()).getMessage());
        assertEquals("fault at pp pc 2 (pp.requant): SRAM read of acc [0xfff0, 0x10010) outside SRAM of 0x10000 bytes",
                fault("pp.set n=4 c=2\npp.set apitch=2\npp.requant acc=0xfff0 prm=0x100 out=0x200 ot=u8"));
        assertEquals("fault at pp pc 0 (pp.lut): element type s32 of field it is not supported by pp.lut (8- or 16-bit"
                + " integers)", fault("pp.lut src=0 tbl=0x100 dst=0x200 it=s32 ot=u8"));
        assertEquals("fault at pp pc 1 (pp.add): register fk (shift) = 95 must be in [0, 94]",
                fault("pp.set fk=95\npp.add a=0 b=0 dst=0 at=u8 bt=u8 ot=u8 mode=int"));
        assertEquals("fault at pp pc 1 (pp.quant): register inner = 0 must be >= 1",
                fault("pp.set inner=0\npp.quant src=0 prm=0 dst=0 ot=u8"));
        assertEquals("fault at pp pc 1 (pp.maxpool): register dw = 0 must be >= 1",
                fault("pp.set dw=0\npp.maxpool src=0 dst=0 dt=u8"));
    }
}
