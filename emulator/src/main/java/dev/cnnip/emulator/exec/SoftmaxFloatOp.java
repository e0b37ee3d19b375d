package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.Insn;

/**
 * {@code pp.softmaxf}: quantized softmax computed in float, ONNX Runtime's recipe for a DequantizeLinear →
 * Softmax → QuantizeLinear group it runs in float (the case for 16-bit codes, where a 256-entry exponential
 * table as in {@code pp.softmax} cannot cover the code distances). Each of {@code n} rows of {@code c}
 * consecutive elements is a row of {@link FloatRows}, all arithmetic in float32:
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
        FloatRows.Shape s = FloatRows.shape(insn, r, sram);
        float[] e = new float[s.c()];
        FloatRows.run(insn, r, sram, sc, s, (x, y, c) -> {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, x[j]);
            float sum = 0f;
            for (int j = 0; j < c; j++) {
                e[j] = (float) Math.exp(x[j] - m);
                sum += e[j];
            }
            float inv = 1f / sum;
            for (int j = 0; j < c; j++) y[j] = e[j] * inv;
        });
        // one exp, add, multiply and divide per element: cost as 4 lanes an element
        return WorkMetrics.pp(4 * s.elements(), s.inBytes(), s.outBytes());
    }
}
