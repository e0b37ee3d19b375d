package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.Lrn;
import dev.cnnip.numerics.Quantize;

/**
 * {@code pp.lrn}: quantized local response normalisation across channels, ONNX Runtime's float recipe
 * on dequantized codes (a DequantizeLinear → LRN → QuantizeLinear group, which ONNX Runtime runs in
 * float). For each of {@code n} pixels of {@code c} consecutive channels of type {@code it} at
 * {@code src + p·c·|it|}, written as type {@code ot} at {@code dst + p·c·|ot|}:
 * <pre>
 * x[j] = (float)(q[j] − xzp) · xs
 * y    = {@link Lrn#apply} (x, size = lsize, alpha/size = lalpha, beta = lbeta, bias = lbias)
 * out[j] = clamp(rint(clamp(y[j] / ys, qmin − ozp, qmax − ozp)) + ozp)    (QuantizeLinear)
 * </pre>
 * with {@code xs}, {@code ys}, {@code lalpha}, {@code lbeta}, {@code lbias} the float32 values of
 * their registers. Faults: {@code n < 0}, {@code c < 1}, an even or non-positive {@code lsize}, a
 * non-integer {@code it} or {@code ot}, operands outside SRAM.
 */
final class LrnOp {
    private LrnOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = Operands.integer(insn, F.IT);
        ElemType ot = Operands.integer(insn, F.OT);
        int pixels = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        int size = Operands.positive(r, Reg.PP_LSIZE);
        if (size % 2 == 0) throw ExecFault.operand("pp.lrn window size lsize = " + size + " must be odd");
        long n = Operands.product("elements", pixels, c);
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        long inBytes = Operands.product("bytes", n, it.bytes());
        long outBytes = Operands.product("bytes", n, ot.bytes());
        Operands.sram(sram, src, inBytes, false, "src");
        Operands.sram(sram, dst, outBytes, true, "dst");
        float xs = Float.intBitsToFloat(r.get(Reg.PP_XS));
        float ys = Float.intBitsToFloat(r.get(Reg.PP_YS));
        float alpha = Float.intBitsToFloat(r.get(Reg.PP_LALPHA));
        float beta = Float.intBitsToFloat(r.get(Reg.PP_LBETA));
        float bias = Float.intBitsToFloat(r.get(Reg.PP_LBIAS));
        int xz = r.get(Reg.PP_XZP);
        int yz = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        int[] q = sc.ints(0, (int) n);
        Operands.readInts(sram, it, src, (int) n, q, 0);
        float[] x = new float[c];
        float[] y = new float[c];
        float[] ps = new float[c + size - 1];
        for (int p = 0; p < pixels; p++) {
            int at = p * c;
            for (int j = 0; j < c; j++) x[j] = Quantize.dequantize(q[at + j], xz, xs);
            Lrn.apply(x, y, c, size, alpha, beta, bias, ps);
            for (int j = 0; j < c; j++) q[at + j] = Quantize.quantize(y[j], ys, yz, qmin, qmax);
        }
        Operands.writeInts(sram, ot, dst, (int) n, q);
        // the window's size multiply-adds per element (the running sum needs two) and one power: cost as n·size lanes
        return WorkMetrics.pp(n * size, inBytes, outBytes);
    }
}
