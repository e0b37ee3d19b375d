package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.Quantize;

/**
 * The frame of the post-processing instructions that run a float function over rows of codes (format
 * {@code ROWS}: {@code pp.lrn}, {@code pp.softmaxf}), as ONNX Runtime runs a DequantizeLinear → op →
 * QuantizeLinear group in float. For each of {@code n} rows of {@code c} consecutive elements of type
 * {@code it} at {@code src + r·c·|it|}, written as type {@code ot} at {@code dst + r·c·|ot|}:
 * <pre>
 * x[j]   = (float)(q[j] − xzp) · xs                                       (DequantizeLinear)
 * y      = f(x)                                                          (the instruction's function)
 * out[j] = clamp(rint(clamp(y[j] / ys, qmin − ozp, qmax − ozp)) + ozp)    (QuantizeLinear)
 * </pre>
 * with {@code xs}, {@code ys} the float32 values of their registers. Faults: {@code n < 0}, {@code c < 1}, a
 * non-integer {@code it} or {@code ot}, operands outside SRAM.
 */
final class FloatRows {
    private FloatRows() {}

    /** The float function of one row: reads {@code x[0..c)}, writes {@code y[0..c)}. */
    @FunctionalInterface
    interface RowFunction {
        void apply(float[] x, float[] y, int c);
    }

    /** The row and element counts and byte sizes, after the operand checks. */
    record Shape(int rows, int c, long elements, long inBytes, long outBytes) {}

    /** Checks the operands of {@code insn} and returns its shape. */
    static Shape shape(Insn insn, RegisterFile r, Sram sram) {
        ElemType it = Operands.integer(insn, F.IT);
        ElemType ot = Operands.integer(insn, F.OT);
        int rows = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        long n = Operands.product("elements", rows, c);
        long inBytes = Operands.product("bytes", n, it.bytes());
        long outBytes = Operands.product("bytes", n, ot.bytes());
        Operands.sram(sram, insn.get(F.SRC), inBytes, false, "src");
        Operands.sram(sram, insn.get(F.DST), outBytes, true, "dst");
        return new Shape(rows, c, n, inBytes, outBytes);
    }

    /** Runs {@code f} over every row of {@code s} (from {@link #shape}): dequantize, f, quantize. */
    static void run(Insn insn, RegisterFile r, Sram sram, Scratch sc, Shape s, RowFunction f) {
        ElemType it = insn.type(F.IT);
        ElemType ot = insn.type(F.OT);
        float xs = Float.intBitsToFloat(r.get(Reg.PP_XS));
        float ys = Float.intBitsToFloat(r.get(Reg.PP_YS));
        int xz = r.get(Reg.PP_XZP);
        int yz = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        int n = (int) s.elements();
        int c = s.c();
        int[] q = sc.ints(0, n);
        Operands.readInts(sram, it, insn.get(F.SRC), n, q, 0);
        float[] x = new float[c];
        float[] y = new float[c];
        for (int row = 0; row < s.rows(); row++) {
            int at = row * c;
            for (int j = 0; j < c; j++) x[j] = Quantize.dequantize(q[at + j], xz, xs);
            f.apply(x, y, c);
            for (int j = 0; j < c; j++) q[at + j] = Quantize.quantize(y[j], ys, yz, qmin, qmax);
        }
        Operands.writeInts(sram, ot, insn.get(F.DST), n, q);
    }
}
