package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;

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
        PoolWindow pw = PoolWindow.read(r);
        int ih = pw.ih();
        int iw = pw.iw();
        int c = pw.c();
        int oh = pw.oh();
        int ow = pw.ow();
        int kh = pw.kh();
        int kw = pw.kw();
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        long nIn = pw.inputs();
        long nOut = pw.outputs();
        Operands.sram(sram, src, Operands.product("src", nIn, dt.bytes()), false, "src");
        Operands.sram(sram, dst, Operands.product("dst", nOut, dt.bytes()), true, "dst");
        int[] in = sc.ints(0, (int) nIn);
        Operands.readInts(sram, dt, src, (int) nIn, in, 0);
        int[] out = sc.ints(1, (int) nOut);
        for (int oy = 0, ob = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, ob += c) {
                for (int ch = 0; ch < c; ch++) out[ob + ch] = dt.min();
                for (int ky = 0; ky < kh; ky++) {
                    long iy = pw.row(oy, ky);
                    if (iy < 0 || iy >= ih) continue;
                    for (int kx = 0; kx < kw; kx++) {
                        long ix = pw.col(ox, kx);
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
