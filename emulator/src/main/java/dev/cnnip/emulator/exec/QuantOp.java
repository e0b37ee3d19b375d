package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.kernel.QuantKernel;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.QuantEntry;
import dev.cnnip.numerics.Quantize;

/**
 * {@code pp.quant} and {@code pp.dequant}: QuantizeLinear and DequantizeLinear with per-channel
 * parameters.
 *
 * <p>For element {@code i < n}, channel {@code ch = (i / inner) mod c}; the table at {@code prm} holds
 * per channel {@code {scale (float32 bits), zp (int32)}} ({@link QuantEntry}):
 * <pre>
 * pp.quant:   dst[i] (type ot) = Quantize.quantize(f32 src[i], scale[ch], zp[ch], ot.min, ot.max)
 * pp.dequant: dst[i] (f32)     = Quantize.dequantize(src[i] (type it), zp[ch], scale[ch])
 * </pre>
 * (pp.quant runs each run of {@code inner} same-channel elements through {@link QuantKernel}.)
 * Faults: {@code n < 0}, {@code c < 1} or {@code inner < 1}; an {@code f32} integer-side type; source,
 * table or destination outside SRAM. Inputs are read before the first output is written.
 */
final class QuantOp {
    /** Elements per kernel call when all channels share their parameters. */
    private static final int CHUNK = 4096;

    private QuantOp() {}

    static WorkMetrics quantize(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType ot = Operands.integer(insn, F.OT);
        int n = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        int inner = Operands.positive(r, Reg.PP_INNER);
        long src = insn.get(F.SRC);
        long prm = insn.get(F.PRM);
        long dst = insn.get(F.DST);
        Operands.sram(sram, src, 4L * n, false, "src");
        Operands.sram(sram, prm, QuantEntry.tableBytes(c), false, "prm");
        Operands.sram(sram, dst, (long) n * ot.bytes(), true, "dst");
        int[] q = sc.ints(0, n);
        // Runs of `inner` elements share a channel's parameters: one kernel call per run, or one for all
        // elements when every channel has the same parameters (per-tensor quantization).
        float[] scale = new float[c];
        int[] zp = new int[c];
        boolean uniform = true;
        for (int ch = 0; ch < c; ch++) {
            long e = prm + (long) QuantEntry.BYTES * ch;
            scale[ch] = sram.f32(e + QuantEntry.SCALE);
            zp[ch] = sram.s32(e + QuantEntry.ZERO_POINT);
            uniform &= Float.floatToRawIntBits(scale[ch]) == Float.floatToRawIntBits(scale[0]) && zp[ch] == zp[0];
        }
        byte[] b = sram.backing();
        int s0 = (int) src;
        // Uniform parameters: chunks of CHUNK elements, so that the kernel is invoked often enough for the JIT to
        // compile it fully within a few inferences (an input quantization runs once per inference).
        int run = uniform ? CHUNK : inner;
        for (int i = 0, k = 0; i < n; i += run, k++) {
            int ch = uniform ? 0 : k % c;
            QuantKernel.run(b, s0 + 4 * i, Math.min(run, n - i), scale[ch], zp[ch], ot.min(), ot.max(), q, i);
        }
        Operands.writeInts(sram, ot, dst, n, q);
        return WorkMetrics.pp(n, 4L * n + QuantEntry.tableBytes(c), (long) n * ot.bytes());
    }

    static WorkMetrics dequantize(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType it = Operands.integer(insn, F.IT);
        int n = Operands.count(r, Reg.PP_N);
        int c = Operands.positive(r, Reg.PP_C);
        int inner = Operands.positive(r, Reg.PP_INNER);
        long src = insn.get(F.SRC);
        long prm = insn.get(F.PRM);
        long dst = insn.get(F.DST);
        Operands.sram(sram, src, (long) n * it.bytes(), false, "src");
        Operands.sram(sram, prm, QuantEntry.tableBytes(c), false, "prm");
        Operands.sram(sram, dst, 4L * n, true, "dst");
        int[] v = sc.ints(0, n);
        Operands.readInts(sram, it, src, n, v, 0);
        for (int i = 0; i < n; i++) {
            long e = prm + (long) QuantEntry.BYTES * ((i / inner) % c);
            v[i] = Float.floatToRawIntBits(Quantize.dequantize(v[i], sram.s32(e + QuantEntry.ZERO_POINT), sram.f32(e + QuantEntry.SCALE)));
        }
        Operands.writeInts(sram, ElemType.F32, dst, n, v);
        return WorkMetrics.pp(n, (long) n * it.bytes() + QuantEntry.tableBytes(c), 4L * n);
    }
}
