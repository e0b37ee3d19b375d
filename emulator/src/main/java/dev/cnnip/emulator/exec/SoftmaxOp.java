package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.SoftmaxTable;

/**
 * {@code pp.softmax}: quantized softmax over {@code n} rows of {@code c} 8-bit elements with a table of
 * 256 float32 exponentials at {@code exp} ({@link SoftmaxTable}) (ONNX Runtime's QLinearSoftmax recipe; the compiler fills the
 * table as {@code tbl[k] = (float) exp((i − 255 + shift) · xs)} for code {@code i}, k = i (u8) or
 * i − 128 as a byte (s8)). Per row, with {@code m} the largest code:
 * <pre>
 * u8: e_j = tbl[255 − m + x_j]                s8: e_j = tbl[(byte)(127 − m + x_j) as unsigned]
 * sum = Σ e_j (float32, in element order)
 * v_j = rint((e_j · Y) / sum) + ozp          Y = float32 bits of register yinv (floor(1 / output scale))
 * u8: out_j = min(v_j, 255)                   s8: out_j = (byte) min(v_j, 255)
 * </pre>
 * A row whose sum is 0 gives ozp everywhere. Faults: {@code n < 0}, {@code c < 1}, types other than
 * u8/s8 ({@code dt}, input and output alike), operands or table outside SRAM.
 */
final class SoftmaxOp {
    private SoftmaxOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = insn.type(F.DT);
        ElemType ot = it;
        if (it.bytes() != 1 || !it.isInteger()) {
            throw ExecFault.operand("pp.softmax works on u8 or s8, not " + it.asm());
        }
        int rows = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        long n = Operands.product("elements", rows, c);
        long src = insn.get(F.SRC);
        long tbl = insn.get(F.EXP);
        long dst = insn.get(F.DST);
        Operands.sram(sram, src, n, false, "src");
        Operands.sram(sram, tbl, SoftmaxTable.BYTES, false, "exp");
        Operands.sram(sram, dst, n, true, "dst");
        float[] table = new float[SoftmaxTable.ENTRIES];
        for (int k = 0; k < SoftmaxTable.ENTRIES; k++) table[k] = sram.f32(tbl + 4L * k);
        float y = Float.intBitsToFloat(r.get(Reg.PP_YINV));
        int ozp = r.get(Reg.PP_OZP);
        boolean signed = it == ElemType.S8;
        int[] q = sc.ints(0, c);
        for (int row = 0; row < rows; row++) {
            Operands.readInts(sram, it, src + (long) row * c, c, q, 0);
            int m = Integer.MIN_VALUE;
            for (int j = 0; j < c; j++) m = Math.max(m, q[j]);
            for (int j = 0; j < c; j++) q[j] = signed ? (127 - m + q[j]) & 0xFF : 255 - m + q[j];
            float sum = 0f;
            for (int j = 0; j < c; j++) sum += table[q[j]];
            for (int j = 0; j < c; j++) {
                if (sum == 0f) {
                    q[j] = ozp;
                    continue;
                }
                long v = (long) Math.rint((table[q[j]] * y) / sum) + ozp;
                int clipped = (int) Math.min(v, 255);
                q[j] = signed ? (byte) clipped : clipped;
            }
            Operands.writeInts(sram, ot, dst + (long) row * c, c, q);
        }
        return WorkMetrics.pp(n, n + SoftmaxTable.BYTES, n);
    }
}
