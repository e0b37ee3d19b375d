package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * {@code pp.maxpool}: 2-D max pooling over HWC tiles with pixel pitch {@code c}.
 *
 * <pre>
 * out[(oy·ow + ox)·c + ch] = max { in[(iy·iw + ix)·c + ch] : ky &lt; kh, kx &lt; kw,
 *                                  iy = oy·sh − pt + ky·dh ∈ [0, ih), ix = ox·sw − pl + kx·dw ∈ [0, iw) }
 * </pre>
 * taps outside the tile are ignored; a window without a valid tap gives {@code dt.min()}. Faults:
 * negative dimensions, strides or dilations below 1, {@code dt = f32}, tiles outside SRAM.
 */
final class PoolOp {
    private PoolOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType dt = Operands.integer(insn, F.DT);
        int ih = Operands.count(r, Reg.PP_IH);
        int iw = Operands.count(r, Reg.PP_IW);
        int c = Operands.count(r, Reg.PP_C);
        int oh = Operands.count(r, Reg.PP_OH);
        int ow = Operands.count(r, Reg.PP_OW);
        int kh = Operands.count(r, Reg.PP_KH);
        int kw = Operands.count(r, Reg.PP_KW);
        int sh = Operands.positive(r, Reg.PP_SH);
        int sw = Operands.positive(r, Reg.PP_SW);
        int dh = Operands.positive(r, Reg.PP_DH);
        int dw = Operands.positive(r, Reg.PP_DW);
        int pt = r.get(Reg.PP_PT);
        int pl = r.get(Reg.PP_PL);
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        long nIn = Operands.product("src", ih, iw, c);
        long nOut = Operands.product("dst", oh, ow, c);
        Operands.sram(sram, src, Operands.product("src", nIn, dt.bytes()), false, "src");
        Operands.sram(sram, dst, Operands.product("dst", nOut, dt.bytes()), true, "dst");
        int[] in = sc.ints(0, (int) nIn);
        Operands.readInts(sram, dt, src, (int) nIn, in, 0);
        int[] out = sc.ints(1, (int) nOut);
        for (int oy = 0, ob = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, ob += c) {
                for (int ch = 0; ch < c; ch++) out[ob + ch] = dt.min();
                for (int ky = 0; ky < kh; ky++) {
                    long iy = (long) oy * sh - pt + (long) ky * dh;
                    if (iy < 0 || iy >= ih) continue;
                    for (int kx = 0; kx < kw; kx++) {
                        long ix = (long) ox * sw - pl + (long) kx * dw;
                        if (ix < 0 || ix >= iw) continue;
                        int ib = (int) ((iy * iw + ix) * c);
                        for (int ch = 0; ch < c; ch++) out[ob + ch] = Math.max(out[ob + ch], in[ib + ch]);
                    }
                }
            }
        }
        Operands.writeInts(sram, dt, dst, (int) nOut, out);
        long elements = Operands.product("maxpool", nOut, kh, kw);
        return WorkMetrics.pp(elements, nIn * dt.bytes(), nOut * dt.bytes());
    }
}
