package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * {@code ex.conv}: grouped 2-D convolution of an HWC input tile into an accumulator tile.
 *
 * <p>For output channel {@code o < oc} of group {@code g = o / goc} and output pixel
 * {@code (oy < oh, ox < ow)}:
 * <pre>
 * sum = Σ_{ky<kh, kx<kw, c<gic} (X[(iy·iw + ix)·ic + g·gic + c] − xzp) · (W[((o·kh + ky)·kw + kx)·gic + c] − wzp_o)
 * iy = oy·sh − pt + ky·dh,  ix = ox·sw − pl + kx·dw   (taps with iy ∉ [0, ih) or ix ∉ [0, iw) are skipped)
 * acc[(oy·ow + ox)·oc + o] = sum            (accum = 0)
 * acc[(oy·ow + ox)·oc + o] += sum           (accum = 1)
 * </pre>
 * X has type {@code xt} at SRAM {@code x}, W type {@code wt} at {@code w}; {@code wzp_o} is register
 * {@code wzp} ({@code wzpv = 0}) or the int32 at {@code wza + 4·o} ({@code wzpv = 1}). With
 * {@code a64 = 0} the accumulators are int32 and all arithmetic wraps as two's-complement int32
 * (differences, products and sums); with {@code a64 = 1} they are int64 and the arithmetic is int64.
 * Skipped taps are the virtual padding with the input zero point, contributing 0.
 *
 * <p>Faults: negative dimensions; {@code sh, sw, dh, dw, gic, goc < 1}; {@code ceil(oc/goc)·gic > ic};
 * an {@code f32} operand type; any of the input tile ({@code ih·iw·ic} elements), the weights
 * ({@code oc·kh·kw·gic}), the accumulators ({@code oh·ow·oc}) or the zero-point table ({@code oc} int32)
 * outside SRAM. The operands are read completely before the first accumulator is written, so the tiles
 * may overlap.
 */
final class ConvOp {
    private ConvOp() {}

    /** The EX registers of one instruction, validated. */
    record Params(int ih, int iw, int ic, int oh, int ow, int oc, int kh, int kw, int sh, int sw, int dh, int dw,
                  int pt, int pl, int gic, int goc, int xzp, int wzp, int wza) {
        int groups() {
            return (int) ((oc + (long) goc - 1) / goc);
        }
    }

    static Params params(RegisterFile r) {
        Params p = new Params(Operands.count(r, Reg.EX_IH), Operands.count(r, Reg.EX_IW), Operands.count(r, Reg.EX_IC),
                Operands.count(r, Reg.EX_OH), Operands.count(r, Reg.EX_OW), Operands.count(r, Reg.EX_OC),
                Operands.count(r, Reg.EX_KH), Operands.count(r, Reg.EX_KW),
                Operands.positive(r, Reg.EX_SH), Operands.positive(r, Reg.EX_SW),
                Operands.positive(r, Reg.EX_DH), Operands.positive(r, Reg.EX_DW),
                r.get(Reg.EX_PT), r.get(Reg.EX_PL),
                Operands.positive(r, Reg.EX_GIC), Operands.positive(r, Reg.EX_GOC),
                r.get(Reg.EX_XZP), r.get(Reg.EX_WZP), r.get(Reg.EX_WZA));
        long need = (long) p.groups() * p.gic;
        if (need > p.ic) {
            throw ExecFault.operand("groups need " + need + " input channels (ceil(oc/goc) = " + p.groups()
                    + " x gic = " + p.gic + ") but ic = " + p.ic);
        }
        return p;
    }

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType xt = Operands.integer(insn, F.XT);
        ElemType wt = Operands.integer(insn, F.WT);
        boolean accum = insn.flag(F.ACCUM);
        boolean a64 = insn.flag(F.A64);
        boolean wzpv = insn.flag(F.WZPV);
        Params p = params(r);
        long x = insn.get(F.X);
        long w = insn.get(F.W);
        long acc = insn.get(F.ACC);
        int asz = a64 ? 8 : 4;
        long nx = Operands.product("x", p.ih, p.iw, p.ic);
        long nw = Operands.product("w", p.oc, p.kh, p.kw, p.gic);
        long na = Operands.product("acc", p.oh, p.ow, p.oc);
        long xBytes = Operands.product("x", nx, xt.bytes());
        long wBytes = Operands.product("w", nw, wt.bytes());
        long aBytes = Operands.product("acc", na, asz);
        Operands.sram(sram, x, xBytes, false, "x");
        Operands.sram(sram, w, wBytes, false, "w");
        Operands.sram(sram, acc, aBytes, true, "acc");
        if (wzpv) Operands.sram(sram, p.wza, 4L * p.oc, false, "wza");
        // Sizes now fit SRAM, hence int indices.
        if (na > 0) {
            if (a64) {
                kernel64(p, sram, xt, wt, x, w, acc, accum, wzpv, (int) nx, (int) nw, sc);
            } else {
                kernel32(p, sram, xt, wt, x, w, acc, accum, wzpv, (int) nx, (int) nw, sc);
            }
        }
        long macs = Operands.product("macs", na, p.kh, p.kw, p.gic);
        long read = xBytes + wBytes + (accum ? aBytes : 0) + (wzpv ? 4L * p.oc : 0);
        return new WorkMetrics(0, read, aBytes, macs, na, 0,
                new ConvShape(p.oh, p.ow, p.oc, p.goc, p.gic, p.kh, p.kw));
    }

    /** Weights rearranged to {@code [tap][o][c]} minus their zero points, so a tap's channels are contiguous. */
    private static int[] weights32(Params p, Sram sram, ElemType wt, long w, boolean wzpv, int nw, Scratch sc) {
        int taps = p.kh * p.kw;
        int[] lin = sc.ints(1, nw);
        Operands.readInts(sram, wt, w, nw, lin, 0);
        int[] out = sc.ints(2, nw);
        for (int o = 0; o < p.oc; o++) {
            int z = wzpv ? sram.s32(p.wza + 4L * o) : p.wzp;
            for (int t = 0; t < taps; t++) {
                int src = (o * taps + t) * p.gic;
                int dst = (t * p.oc + o) * p.gic;
                for (int c = 0; c < p.gic; c++) out[dst + c] = lin[src + c] - z;
            }
        }
        return out;
    }

    private static void kernel32(Params p, Sram sram, ElemType xt, ElemType wt, long x, long w, long acc,
                                 boolean accum, boolean wzpv, int nx, int nw, Scratch sc) {
        int[] xs = sc.ints(0, nx);
        Operands.readInts(sram, xt, x, nx, xs, p.xzp);
        int[] ws = weights32(p, sram, wt, w, wzpv, nw, sc);
        int[] a = sc.ints(3, p.oc);
        int oc = p.oc;
        int gic = p.gic;
        int goc = p.goc;
        int groups = p.groups();
        for (int oy = 0; oy < p.oh; oy++) {
            for (int ox = 0; ox < p.ow; ox++) {
                long base = acc + ((long) oy * p.ow + ox) * oc * 4;
                for (int o = 0; o < oc; o++) a[o] = accum ? sram.s32(base + 4L * o) : 0;
                for (int ky = 0; ky < p.kh; ky++) {
                    long iy = (long) oy * p.sh - p.pt + (long) ky * p.dh;
                    if (iy < 0 || iy >= p.ih) continue;
                    for (int kx = 0; kx < p.kw; kx++) {
                        long ix = (long) ox * p.sw - p.pl + (long) kx * p.dw;
                        if (ix < 0 || ix >= p.iw) continue;
                        int xb = (int) ((iy * p.iw + ix) * p.ic);
                        int wb = (ky * p.kw + kx) * oc * gic;
                        if (gic == 1 && goc == 1) {
                            // Depthwise: channel o reads input channel o; a plain loop the JIT vectorises.
                            for (int o = 0; o < oc; o++) a[o] += xs[xb + o] * ws[wb + o];
                        } else if (gic == 1) {
                            // Narrow groups: one input element per group.
                            for (int g = 0, o = 0; g < groups; g++) {
                                int xv = xs[xb + g];
                                for (int end = Math.min(oc, o + goc); o < end; o++) a[o] += xv * ws[wb + o];
                            }
                        } else {
                            for (int g = 0, o = 0; g < groups; g++) {
                                int xg = xb + g * gic;
                                for (int end = Math.min(oc, o + goc); o < end; o++) {
                                    int wo = wb + o * gic;
                                    int s = 0;
                                    for (int c = 0; c < gic; c++) s += xs[xg + c] * ws[wo + c];
                                    a[o] += s;
                                }
                            }
                        }
                    }
                }
                for (int o = 0; o < oc; o++) sram.put32(base + 4L * o, a[o]);
            }
        }
    }

    private static void kernel64(Params p, Sram sram, ElemType xt, ElemType wt, long x, long w, long acc,
                                 boolean accum, boolean wzpv, int nx, int nw, Scratch sc) {
        long[] xs = sc.longs(0, nx);
        Operands.readLongs(sram, xt, x, nx, xs, p.xzp);
        int taps = p.kh * p.kw;
        long[] lin = sc.longs(1, nw);
        Operands.readLongs(sram, wt, w, nw, lin, 0);
        long[] ws = sc.longs(2, nw);
        for (int o = 0; o < p.oc; o++) {
            long z = wzpv ? sram.s32(p.wza + 4L * o) : p.wzp;
            for (int t = 0; t < taps; t++) {
                int src = (o * taps + t) * p.gic;
                int dst = (t * p.oc + o) * p.gic;
                for (int c = 0; c < p.gic; c++) ws[dst + c] = lin[src + c] - z;
            }
        }
        long[] a = sc.longs(3, p.oc);
        int oc = p.oc;
        int gic = p.gic;
        int goc = p.goc;
        int groups = p.groups();
        for (int oy = 0; oy < p.oh; oy++) {
            for (int ox = 0; ox < p.ow; ox++) {
                long base = acc + ((long) oy * p.ow + ox) * oc * 8;
                for (int o = 0; o < oc; o++) a[o] = accum ? sram.s64(base + 8L * o) : 0;
                for (int ky = 0; ky < p.kh; ky++) {
                    long iy = (long) oy * p.sh - p.pt + (long) ky * p.dh;
                    if (iy < 0 || iy >= p.ih) continue;
                    for (int kx = 0; kx < p.kw; kx++) {
                        long ix = (long) ox * p.sw - p.pl + (long) kx * p.dw;
                        if (ix < 0 || ix >= p.iw) continue;
                        int xb = (int) ((iy * p.iw + ix) * p.ic);
                        int wb = (ky * p.kw + kx) * oc * gic;
                        for (int g = 0, o = 0; g < groups; g++) {
                            int xg = xb + g * gic;
                            for (int end = Math.min(oc, o + goc); o < end; o++) {
                                int wo = wb + o * gic;
                                long s = 0;
                                for (int c = 0; c < gic; c++) s += xs[xg + c] * ws[wo + c];
                                a[o] += s;
                            }
                        }
                    }
                }
                for (int o = 0; o < oc; o++) sram.put64(base + 8L * o, a[o]);
            }
        }
    }
}
