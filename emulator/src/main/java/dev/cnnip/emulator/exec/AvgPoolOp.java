package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * {@code pp.avgpool}: quantized 2-D average pooling over HWC tiles with pixel pitch {@code c}, ONNX
 * Runtime's QLinearAveragePool recipe in float32. Per output and channel, over the window in row-major
 * order with {@code iy = oy·sh − pt + ky·dh}, {@code ix = ox·sw − pl + kx·dw}:
 * <pre>
 * s = Σ xs · (float)(x − xzp)        over taps inside the tile [0, ih) × [0, iw)
 * count = taps inside the tile, or (cip = 1) kh · kw
 * (ONNX Runtime counts every tap of the window, even those of a ceil_mode window beyond the padding)
 * q = clamp(rint(s / (float) count / ys + (float) ozp), qmin, qmax)
 * </pre>
 * with {@code xs}, {@code ys} the float32 values of registers xs and ys. A window with count 0 gives ozp.
 * Faults as {@code pp.maxpool}.
 */
final class AvgPoolOp {
    private AvgPoolOp() {}

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
        boolean cip = r.get(Reg.PP_CIP) != 0;
        float xs = Float.intBitsToFloat(r.get(Reg.PP_XS));
        float ys = Float.intBitsToFloat(r.get(Reg.PP_YS));
        int xz = r.get(Reg.PP_XZP);
        int yz = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        long nIn = pw.inputs();
        long nOut = pw.outputs();
        Operands.sram(sram, src, Operands.product("src", nIn, dt.bytes()), false, "src");
        Operands.sram(sram, dst, Operands.product("dst", nOut, dt.bytes()), true, "dst");
        int[] in = sc.ints(0, (int) nIn);
        Operands.readInts(sram, dt, src, (int) nIn, in, xz);
        int[] out = sc.ints(1, (int) nOut);
        float[] s = new float[c];
        for (int oy = 0, ob = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, ob += c) {
                java.util.Arrays.fill(s, 0f);
                int count = 0;
                for (int ky = 0; ky < kh; ky++) {
                    long iy = pw.row(oy, ky);
                    for (int kx = 0; kx < kw; kx++) {
                        long ix = pw.col(ox, kx);
                        boolean inside = iy >= 0 && iy < ih && ix >= 0 && ix < iw;
                        if (inside) {
                            int ib = (int) ((iy * iw + ix) * c);
                            for (int ch = 0; ch < c; ch++) s[ch] += xs * (float) in[ib + ch];
                            count++;
                        }
                    }
                }
                if (cip) count = kh * kw;
                for (int ch = 0; ch < c; ch++) {
                    if (count == 0) {
                        out[ob + ch] = yz;
                        continue;
                    }
                    float v = s[ch] / (float) count;
                    double q = Math.rint(v / ys + (float) yz);
                    out[ob + ch] = (int) Math.max(qmin, Math.min(qmax, q));
                }
            }
        }
        Operands.writeInts(sram, dt, dst, (int) nOut, out);
        return WorkMetrics.pp(Operands.product("avgpool", nOut, kh, kw), nIn * dt.bytes(), nOut * dt.bytes());
    }
}
