package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.Quantize;

/**
 * {@code pp.softmaxf}: quantized softmax computed in float, ONNX Runtime's recipe for a DequantizeLinear →
 * Softmax → QuantizeLinear group it runs in float (the case for 16-bit codes, where a 256-entry exponential
 * table as in {@code pp.softmax} cannot cover the code distances). For each of {@code n} rows of {@code c}
 * consecutive elements of type {@code it} at {@code src + r·c·|it|}, written as type {@code ot} at
 * {@code dst + r·c·|ot|}, all arithmetic in float32:
 * <pre>
 * x[j]   = (float)(q[j] − xzp) · xs                 (DequantizeLinear)
 * m      = max_j x[j]
 * e[j]   = (float) exp(x[j] − m)                    (x[j] − m rounded to float32 first)
 * sum    = Σ e[j]  (in element order)
 * y[j]   = e[j] · (1 / sum)                         (ONNX Runtime multiplies by the reciprocal)
 * out[j] = clamp(rint(clamp(y[j] / ys, qmin − ozp, qmax − ozp)) + ozp)    (QuantizeLinear)
 * </pre>
 * with {@code xs}, {@code ys} the float32 values of their registers. ONNX Runtime's exp is a vectorised
 * polynomial and its sum is accumulated in a different order, so outputs agree with it within 1 LSB, not
 * bit for bit. Faults: {@code n < 0}, {@code c < 1}, a non-integer {@code it} or {@code ot}, operands
 * outside SRAM.
 */
final class SoftmaxFloatOp {
    private SoftmaxFloatOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = Operands.integer(insn, F.IT);
        ElemType ot = Operands.integer(insn, F.OT);
        int rows = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        long n = Operands.product("elements", rows, c);
        long src = insn.get(F.SRC);
        long dst = insn.get(F.DST);
        long inBytes = Operands.product("bytes", n, it.bytes());
        long outBytes = Operands.product("bytes", n, ot.bytes());
        Operands.sram(sram, src, inBytes, false, "src");
        Operands.sram(sram, dst, outBytes, true, "dst");
        float xs = Float.intBitsToFloat(r.get(Reg.PP_XS));
        float ys = Float.intBitsToFloat(r.get(Reg.PP_YS));
        int xz = r.get(Reg.PP_XZP);
        int yz = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        int[] q = sc.ints(0, (int) n);
        Operands.readInts(sram, it, src, (int) n, q, 0);
        float[] e = new float[c];
        for (int row = 0; row < rows; row++) {
            int at = row * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, Quantize.dequantize(q[at + j], xz, xs));
            float sum = 0f;
            for (int j = 0; j < c; j++) {
                e[j] = (float) Math.exp(Quantize.dequantize(q[at + j], xz, xs) - m);
                sum += e[j];
            }
            float inv = 1f / sum;
            for (int j = 0; j < c; j++) q[at + j] = Quantize.quantize(e[j] * inv, ys, yz, qmin, qmax);
        }
        Operands.writeInts(sram, ot, dst, (int) n, q);
        // one exp, add, multiply and divide per element: cost as 4 lanes an element
        return WorkMetrics.pp(4 * n, inBytes, outBytes);
    }
}
