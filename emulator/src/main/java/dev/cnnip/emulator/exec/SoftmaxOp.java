package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.Quantize;

/**
 * {@code pp.softmax}: quantized softmax over {@code n} rows of {@code c} elements, in float32. Per row:
 * {@code x_j = (float)(q_j − azp) · sa} with {@code sa} = float bits of register fa;
 * {@code m = max x_j}; {@code e_j = (float) StrictMath.exp((double)(x_j − m))};
 * {@code s = Σ e_j} summed in float32 in element order; {@code y_j = e_j / s};
 * {@code out_j = Quantize.quantize(y_j, sb, ozp, qmin, qmax)} with {@code sb} = float bits of fb.
 * StrictMath makes the result the same on every JVM. Faults: {@code n < 0}, {@code c < 1}, types that are
 * not 8/16-bit integers, source or destination outside SRAM.
 */
final class SoftmaxOp {
    private SoftmaxOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = insn.type(F.IT);
        ElemType ot = insn.type(F.OT);
        if (it.bytes() > 2 || ot.bytes() > 2) {
            throw ExecFault.operand("pp.softmax works on 8- or 16-bit integers, not " + it.asm() + " to " + ot.asm());
        }
        int rows = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        long n = Operands.product("elements", rows, c);
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        Operands.sram(sram, src, n * it.bytes(), false, "src");
        Operands.sram(sram, dst, n * ot.bytes(), true, "dst");
        float sa = Float.intBitsToFloat(r.get(Reg.PP_FA));
        float sb = Float.intBitsToFloat(r.get(Reg.PP_FB));
        int azp = r.get(Reg.PP_AZP);
        int ozp = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        int[] q = sc.ints(0, c);
        float[] e = new float[c];
        for (int row = 0; row < rows; row++) {
            Operands.readInts(sram, it, src + (long) row * c * it.bytes(), c, q, azp);
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                e[j] = (float) q[j] * sa;
                m = Math.max(m, e[j]);
            }
            float s = 0f;
            for (int j = 0; j < c; j++) {
                e[j] = (float) StrictMath.exp((double) (e[j] - m));
                s += e[j];
            }
            for (int j = 0; j < c; j++) q[j] = Quantize.quantize(e[j] / s, sb, ozp, qmin, qmax);
            Operands.writeInts(sram, ot, dst + (long) row * c * ot.bytes(), c, q);
        }
        return WorkMetrics.pp(n, n * it.bytes(), n * ot.bytes());
    }
}
