package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.isa.ElemType;
import dev.cnnip.program.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ex.conv} against a direct convolution over logical NCHW/OIHW arrays with explicit padding by
 * the input zero point, computed in 64-bit arithmetic.
 */
class ConvTest {
    private static final long X = 0x0000;
    private static final long W = 0x4000;
    private static final long Z = 0x6000;
    private static final long ACC = 0x8000;

    /** One convolution tile (batch 1); weights are OIHW with I = c / groups. */
    record Case(int c, int h, int w, int oc, int groups, int kh, int kw, int sh, int sw, int dh, int dw, int pt,
                int pl, int oh, int ow, ElemType xt, ElemType wt, boolean perChannel, boolean accum, boolean a64) {
        int gic() { return c / groups; }
        int goc() { return oc / groups; }
    }

    /** Inputs of a case and the expected accumulators. */
    record Data(long[][][] x, long[][][][] w, long xzp, long[] wzp, long[] accInit, long[] expected) {}

    static Data data(Case k, Random rnd) {
        long[][][] x = new long[k.c()][k.h()][k.w()];
        for (long[][] plane : x) for (long[] row : plane) for (int i = 0; i < row.length; i++) row[i] = Elements.random(rnd, k.xt());
        long[][][][] w = new long[k.oc()][k.gic()][k.kh()][k.kw()];
        for (long[][][] f : w) for (long[][] p : f) for (long[] row : p) for (int i = 0; i < row.length; i++) row[i] = Elements.random(rnd, k.wt());
        long xzp = Elements.random(rnd, k.xt());
        long[] wzp = new long[k.oc()];
        long scalar = Elements.random(rnd, k.wt());
        for (int o = 0; o < k.oc(); o++) wzp[o] = k.perChannel() ? Elements.random(rnd, k.wt()) : scalar;
        long[] init = new long[k.oh() * k.ow() * k.oc()];
        for (int i = 0; i < init.length; i++) init[i] = k.accum() ? (k.a64() ? rnd.nextLong() >> 8 : rnd.nextInt()) : 0;
        return new Data(x, w, xzp, wzp, init, reference(k, x, w, xzp, wzp, init));
    }

    /** The naive convolution: pad explicitly with xzp, then 7 nested loops (n = 1). */
    static long[] reference(Case k, long[][][] x, long[][][][] w, long xzp, long[] wzp, long[] init) {
        int ph = (k.oh() - 1) * k.sh() + (k.kh() - 1) * k.dh() + 1 + k.h() + k.pt();
        int pw = (k.ow() - 1) * k.sw() + (k.kw() - 1) * k.dw() + 1 + k.w() + k.pl();
        long[][][] padded = new long[k.c()][ph][pw];
        for (int c = 0; c < k.c(); c++) {
            for (long[] row : padded[c]) java.util.Arrays.fill(row, xzp);
            for (int y = 0; y < k.h(); y++) for (int xx = 0; xx < k.w(); xx++) padded[c][y + k.pt()][xx + k.pl()] = x[c][y][xx];
        }
        long[] out = new long[k.oh() * k.ow() * k.oc()];
        for (int o = 0; o < k.oc(); o++) {
            int g = o / k.goc();
            for (int oy = 0; oy < k.oh(); oy++) {
                for (int ox = 0; ox < k.ow(); ox++) {
                    long s = 0;
                    for (int ci = 0; ci < k.gic(); ci++) {
                        for (int ky = 0; ky < k.kh(); ky++) {
                            for (int kx = 0; kx < k.kw(); kx++) {
                                long xv = padded[g * k.gic() + ci][oy * k.sh() + ky * k.dh()][ox * k.sw() + kx * k.dw()];
                                s += (xv - xzp) * (w[o][ci][ky][kx] - wzp[o]);
                            }
                        }
                    }
                    int i = (oy * k.ow() + ox) * k.oc() + o;
                    long v = init[i] + s;
                    out[i] = k.a64() ? v : (int) v;
                }
            }
        }
        return out;
    }

    static Program program(Case k, Data d) {
        long[] xh = new long[k.h() * k.w() * k.c()];
        for (int y = 0; y < k.h(); y++) for (int xx = 0; xx < k.w(); xx++) for (int c = 0; c < k.c(); c++) {
            xh[(y * k.w() + xx) * k.c() + c] = d.x()[c][y][xx];
        }
        long[] wh = new long[k.oc() * k.kh() * k.kw() * k.gic()];
        for (int o = 0; o < k.oc(); o++) for (int ky = 0; ky < k.kh(); ky++) for (int kx = 0; kx < k.kw(); kx++) {
            for (int ci = 0; ci < k.gic(); ci++) wh[((o * k.kh() + ky) * k.kw() + kx) * k.gic() + ci] = d.w()[o][ci][ky][kx];
        }
        TestPrograms.SramSetup s = new TestPrograms.SramSetup(TestPrograms.TINY)
                .put(X, Elements.bytes(k.xt(), xh)).put(W, Elements.bytes(k.wt(), wh));
        if (k.perChannel()) s.put(Z, Elements.bytes(ElemType.S32, d.wzp()));
        if (k.accum()) s.put(ACC, k.a64() ? Elements.longs(d.accInit()) : Elements.bytes(ElemType.S32, d.accInit()));
        String body = Elements.sets("ex", "ih", k.h(), "iw", k.w(), "ic", k.c(), "oh", k.oh(), "ow", k.ow(), "oc", k.oc(),
                "kh", k.kh(), "kw", k.kw(), "sh", k.sh(), "sw", k.sw(), "dh", k.dh(), "dw", k.dw(), "pt", k.pt(), "pl", k.pl(),
                "gic", k.gic(), "goc", k.goc(), "xzp", d.xzp(), "wzp", d.wzp()[0], "wza", Z)
                + String.format("ex.conv x=0x%x w=0x%x acc=0x%x xt=%s wt=%s accum=%d a64=%d wzpv=%d", X, W, ACC,
                k.xt().asm(), k.wt().asm(), k.accum() ? 1 : 0, k.a64() ? 1 : 0, k.perChannel() ? 1 : 0);
        return s.program("ex", body);
    }

    static void check(Case k, Data d, Machine m) {
        for (int i = 0; i < d.expected().length; i++) {
            long got = k.a64() ? m.state().sram().s64(ACC + 8L * i) : m.state().sram().s32(ACC + 4L * i);
            assertEquals(d.expected()[i], got, () -> "accumulator mismatch in " + k);
        }
    }

    static Case randomCase(Random rnd) {
        int groups = switch (rnd.nextInt(3)) { case 0 -> 1; case 1 -> 2; default -> 0; };
        int c = 2 * (1 + rnd.nextInt(4));
        if (groups == 0) groups = c; // depthwise
        int oc = groups * (1 + rnd.nextInt(groups == c ? 2 : 4));
        int kh = 1 + rnd.nextInt(3);
        int kw = 1 + rnd.nextInt(3);
        int sh = 1 + rnd.nextInt(2);
        int sw = 1 + rnd.nextInt(2);
        int dh = 1 + rnd.nextInt(2);
        int dw = 1 + rnd.nextInt(2);
        int h = 3 + rnd.nextInt(6);
        int w = 3 + rnd.nextInt(6);
        int pt = rnd.nextInt(3);
        int pl = rnd.nextInt(3);
        int pb = rnd.nextInt(3);
        int pr = rnd.nextInt(3);
        int oh = Math.max(1, (h + pt + pb - dh * (kh - 1) - 1) / sh + 1);
        int ow = Math.max(1, (w + pl + pr - dw * (kw - 1) - 1) / sw + 1);
        boolean wide = rnd.nextInt(4) == 0;
        ElemType xt = wide ? (rnd.nextBoolean() ? ElemType.U16 : ElemType.S16) : (rnd.nextBoolean() ? ElemType.U8 : ElemType.S8);
        ElemType wt = wide ? ElemType.S16 : (rnd.nextBoolean() ? ElemType.S8 : ElemType.U8);
        return new Case(c, h, w, oc, groups, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, xt, wt, rnd.nextBoolean(),
                rnd.nextBoolean(), wide && rnd.nextInt(3) > 0);
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void randomConvolutionsMatchTheDirectReference(boolean serial) {
        Random rnd = new Random(2024);
        for (int trial = 0; trial < 60; trial++) {
            Case k = randomCase(rnd);
            Data d = data(k, rnd);
            check(k, d, TestPrograms.run(program(k, d), serial));
        }
    }

    static List<Case> namedCases() {
        List<Case> cases = new ArrayList<>();
        // 1x1 GEMM tile: M = 12 rows of K = 40, N = 16 outputs.
        cases.add(new Case(40, 1, 12, 16, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 12, ElemType.U8, ElemType.S8, false, false, false));
        // Depthwise 3x3, stride 2, asymmetric padding, per-channel weight zero points, accumulate.
        cases.add(new Case(8, 9, 7, 8, 8, 3, 3, 2, 2, 1, 1, 1, 0, 5, 4, ElemType.S8, ElemType.S8, true, true, false));
        // Dilated grouped convolution (2 groups) with channel multiplier.
        cases.add(new Case(6, 8, 8, 4, 2, 3, 2, 1, 2, 2, 3, 2, 1, 6, 4, ElemType.U8, ElemType.U8, false, false, false));
        // 16-bit operands into int64 accumulators, accumulate.
        cases.add(new Case(4, 5, 5, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5, ElemType.U16, ElemType.S16, true, true, true));
        // 16-bit operands into int32 accumulators: sums wrap as int32.
        cases.add(new Case(8, 4, 4, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1, 4, 4, ElemType.U16, ElemType.S16, false, true, false));
        return cases;
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void namedShapes(boolean serial) {
        Random rnd = new Random(3);
        for (Case k : namedCases()) {
            Data d = data(k, rnd);
            check(k, d, TestPrograms.run(program(k, d), serial));
        }
    }

    @Test
    void int32AccumulatorsWrap() {
        Case k = namedCases().get(4);
        Data d = data(k, new Random(9));
        boolean wrapped = false;
        long[] exact = reference(new Case(k.c(), k.h(), k.w(), k.oc(), k.groups(), k.kh(), k.kw(), k.sh(), k.sw(), k.dh(),
                k.dw(), k.pt(), k.pl(), k.oh(), k.ow(), k.xt(), k.wt(), k.perChannel(), k.accum(), true), d.x(), d.w(),
                d.xzp(), d.wzp(), d.accInit());
        for (long v : exact) wrapped |= v != (int) v;
        assertEquals(true, wrapped, "the case exercises int32 overflow");
        check(k, d, TestPrograms.run(program(k, d), false));
    }

    @Test
    void reportsMacsAndGeometry() {
        Case k = namedCases().get(0);
        Data d = data(k, new Random(1));
        Machine m = new Machine(program(k, d));
        WorkMetrics[] conv = new WorkMetrics[1];
        m.addListener(new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                if (e.insn().op() == dev.cnnip.isa.Opcode.EX_CONV) conv[0] = e.metrics();
            }
        });
        m.run();
        assertEquals(12L * 16 * 40, conv[0].macs());
        assertEquals(12 * 40 + 16 * 40, conv[0].sramRead());
        assertEquals(12 * 16 * 4, conv[0].sramWritten());
        assertEquals(16, conv[0].conv().goc());
    }

    private static MachineFault fault(String body) {
        Program p = TestPrograms.tiny().layer("conv0").source(0, 0).asm(body).asm("finish").build();
        return assertThrows(MachineFault.class, () -> new Machine(p).run());
    }

    @Test
    void faults() {
        MachineFault f = fault(Elements.sets("ex", "oh", 4, "ow", 4, "oc", 8, "goc", 8) + "ex.conv x=0 w=0 acc=0xff80 xt=u8 wt=s8");
        assertEquals(MachineFault.Kind.MEMORY_RANGE, f.kind());
        assertEquals("fault at ex pc 2 (ex.conv, layer 0 'conv0'): SRAM write of acc [0xff80, 0x10180) outside SRAM of"
                + " 0x10000 bytes", f.getMessage());

        f = fault(Elements.sets("ex", "ih", 64, "iw", 64, "ic", 16) + "ex.conv x=0x8000 w=0 acc=0 xt=u8 wt=s8");
        assertEquals("fault at ex pc 2 (ex.conv, layer 0 'conv0'): SRAM read of x [0x8000, 0x18000) outside SRAM of"
                + " 0x10000 bytes", f.getMessage());

        f = fault(Elements.sets("ex", "ic", 6, "gic", 4, "oc", 8, "goc", 4) + "ex.conv x=0 w=0 acc=0x100 xt=u8 wt=s8");
        assertEquals(MachineFault.Kind.BAD_OPERAND, f.kind());
        assertEquals("fault at ex pc 2 (ex.conv, layer 0 'conv0'): groups need 8 input channels (ceil(oc/goc) = 2 x gic"
                + " = 4) but ic = 6", f.getMessage());

        f = fault("ex.set kh=-1\nex.conv x=0 w=0 acc=0x100 xt=u8 wt=s8");
        assertEquals("fault at ex pc 1 (ex.conv, layer 0 'conv0'): register kh = -1 must be >= 0", f.getMessage());

        f = fault("ex.set sh=0\nex.conv x=0 w=0 acc=0x100 xt=u8 wt=s8");
        assertEquals("fault at ex pc 1 (ex.conv, layer 0 'conv0'): register sh = 0 must be >= 1", f.getMessage());

        f = fault("ex.conv x=0 w=0 acc=0x100 xt=f32 wt=s8");
        assertEquals("fault at ex pc 0 (ex.conv, layer 0 'conv0'): element type f32 of field xt is not supported by"
                + " ex.conv (integer types only)", f.getMessage());

        f = fault("ex.set oc=2 wza=0xfffc\nex.set goc=2\nex.conv x=0 w=0 acc=0x100 xt=u8 wt=s8 wzpv=1");
        assertEquals("fault at ex pc 2 (ex.conv, layer 0 'conv0'): SRAM read of wza [0xfffc, 0x10004) outside SRAM of"
                + " 0x10000 bytes", f.getMessage());
    }
}
