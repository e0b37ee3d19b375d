package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.kernel.AddKernel;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.QAdd;
import dev.cnnip.numerics.QMul;

/**
 * {@code pp.add}: quantized element-wise addition with requantization.
 *
 * <p>For {@code i < n}, {@code a_i} of type {@code at} at {@code a + i·size(at)}, {@code b_i} of type
 * {@code bt} at {@code b + j·size(bt)} with {@code j = i mod bmod} when register bmod is positive, else
 * {@code j = 0} when {@code bscalar = 1}, else {@code j = i}; {@code bscalar} also selects ONNX Runtime's
 * scalar-B recipe (which it uses per channel when broadcasting a per-channel B over NCHW data):
 * <pre>
 * mode f32: dst[i] = QAdd.ort(a_i, b_i, rA, rB, K, qmin, qmax)          rA, rB, K = float32 bits of fa, fb, fk
 *           (bscalar: QAdd.ortScalarB(a_i, b_0, rA, rB, K, qmin, qmax))
 * mode int: dst[i] = QAdd.hw(a_i, azp, fa, b_i, bzp, fb, fk, ozp, qmin, qmax)   fk = right shift
 * </pre>
 * stored as type {@code ot} (its low bytes). {@code pp.mul} (same operands, format MUL) computes
 * {@code QMul.ort(a_i, azp, b_i, bzp, M, ozp, qmin, qmax)} with M = float32 bits of mm, or in int mode
 * {@code QMul.hw(a_i, azp, b_i, bzp, mm, msh, ozp, qmin, qmax)}. Faults: {@code n < 0}; an {@code f32} type; in int mode a
 * shift outside [0, 94]; operands outside SRAM. Inputs are read before the first output is written.
 */
final class AddOp {
    private AddOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType at = Operands.integer(insn, F.AT);
        ElemType bt = Operands.integer(insn, F.BT);
        ElemType ot = Operands.integer(insn, F.OT);
        boolean intMode = insn.get(F.MODE) != 0;
        boolean scalar = insn.flag(F.BSCALAR);
        int n = Operands.count(r, Reg.PP_N);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        boolean mul = insn.op() == dev.cnnip.isa.Opcode.PP_MUL;
        // pp.mul reads its multiplier and shift from mm and msh; pp.add its rescales and offset from fa, fb, fk.
        int fa = r.get(mul ? Reg.PP_MM : Reg.PP_FA);
        int fb = mul ? 0 : r.get(Reg.PP_FB);
        int fk = r.get(mul ? Reg.PP_MSH : Reg.PP_FK);
        if (intMode && (fk < 0 || fk > 94)) throw ExecFault.operand("register " + (mul ? "msh" : "fk") + " (shift) = " + fk + " must be in [0, 94]");
        long a = insn.get(F.A);
        long b = insn.get(F.B);
        long dst = insn.get(F.DST);
        int bmod = r.get(Reg.PP_BMOD);
        if (bmod < 0) throw ExecFault.operand("register bmod = " + bmod + " must be >= 0");
        int nb = bmod > 0 ? bmod : scalar ? Math.min(n, 1) : n;
        Operands.sram(sram, a, (long) n * at.bytes(), false, "a");
        Operands.sram(sram, b, (long) nb * bt.bytes(), false, "b");
        Operands.sram(sram, dst, (long) n * ot.bytes(), true, "dst");
        int[] av = sc.ints(0, n);
        int[] bv = sc.ints(1, nb);
        Operands.readInts(sram, at, a, n, av, 0);
        Operands.readInts(sram, bt, b, nb, bv, 0);
        float ra = Float.intBitsToFloat(fa);
        float rb = Float.intBitsToFloat(fb);
        float k = Float.intBitsToFloat(fk);
        int azp = r.get(Reg.PP_AZP);
        int bzp = r.get(Reg.PP_BZP);
        int ozp = r.get(Reg.PP_OZP);
        if (!mul && !intMode && !scalar && bmod == 0) {
            // The common case (B of A's shape, ONNX Runtime's recipe) through the add kernel.
            AddKernel.ort(av, bv, n, ra, rb, k, qmin, qmax, av);
            Operands.writeInts(sram, ot, dst, n, av);
            return WorkMetrics.pp(n, (long) n * at.bytes() + (long) nb * bt.bytes(), (long) n * ot.bytes());
        }
        for (int i = 0; i < n; i++) {
            int bi = bv[bmod > 0 ? i % bmod : scalar ? 0 : i];
            if (mul) {
                av[i] = intMode ? QMul.hw(av[i], azp, bi, bzp, fa, fk, ozp, qmin, qmax)
                        : QMul.ort(av[i], azp, bi, bzp, ra, ozp, qmin, qmax);
            } else if (intMode) {
                av[i] = QAdd.hw(av[i], azp, fa, bi, bzp, fb, fk, ozp, qmin, qmax);
            } else if (scalar) {
                av[i] = QAdd.ortScalarB(av[i], bi, ra, rb, k, qmin, qmax);
            } else {
                av[i] = QAdd.ort(av[i], bi, ra, rb, k, qmin, qmax);
            }
        }
        Operands.writeInts(sram, ot, dst, n, av);
        return WorkMetrics.pp(n, (long) n * at.bytes() + (long) nb * bt.bytes(), (long) n * ot.bytes());
    }
}
