package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.Lrn;

/**
 * {@code pp.lrn}: quantized local response normalisation across channels, ONNX Runtime's float recipe
 * on dequantized codes (a DequantizeLinear → LRN → QuantizeLinear group, which ONNX Runtime runs in
 * float). Each of {@code n} pixels of {@code c} consecutive channels is a row of {@link FloatRows}
 * (dequantized to x, quantized from y) with the function
 * <pre>
 * y = {@link Lrn#apply} (x, size = lsize, alpha/size = lalpha, beta = lbeta, bias = lbias)
 * </pre>
 * with {@code lalpha}, {@code lbeta}, {@code lbias} the float32 values of their registers. Faults: those of
 * {@link FloatRows}, and an even or non-positive {@code lsize}.
 */
final class LrnOp {
    private LrnOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        FloatRows.Shape s = FloatRows.shape(insn, r, sram);
        int size = Operands.positive(r, Reg.PP_LSIZE);
        if (size % 2 == 0) throw ExecFault.operand("pp.lrn window size lsize = " + size + " must be odd");
        float alpha = Float.intBitsToFloat(r.get(Reg.PP_LALPHA));
        float beta = Float.intBitsToFloat(r.get(Reg.PP_LBETA));
        float bias = Float.intBitsToFloat(r.get(Reg.PP_LBIAS));
        float[] ps = new float[s.c() + size - 1];
        FloatRows.run(insn, r, sram, sc, s, (x, y, c) -> Lrn.apply(x, y, c, size, alpha, beta, bias, ps));
        // the window's size multiply-adds per element (the running sum needs two) and one power: cost as n·size lanes
        return WorkMetrics.pp(s.elements() * size, s.inBytes(), s.outBytes());
    }
}
