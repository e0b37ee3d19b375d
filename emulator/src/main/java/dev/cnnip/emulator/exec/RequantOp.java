package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.kernel.RequantKernel;
import dev.cnnip.emulator.kernel.Tiles;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.RequantEntry;
import dev.cnnip.numerics.Requant;

/**
 * {@code pp.requant}: bias, rescale and saturate accumulators to output codes.
 *
 * <p>For pixel {@code p < n} and channel {@code ch < c}, with the parameter table at {@code prm} holding
 * per channel three int32 {@code {bias, mult, shift}} ({@link RequantEntry}):
 * <pre>
 * a   = acc[p·apitch + ch] + bias[ch]      (int32 wrapping when a64 = 0, int64 when a64 = 1)
 * q   = Requant.ort(a, intBitsToFloat(mult[ch]), ozp, qmin, qmax)    (mode f32)
 * q   = Requant.hw(a, mult[ch], shift[ch], ozp, qmin, qmax)          (mode int)
 * out[(p·opitch + ch)] = q as type ot (its low bytes)
 * </pre>
 * Faults: negative {@code n, c, apitch, opitch}; {@code ot = f32}; in int mode a multiplier below 0 or a
 * shift outside [0, 94]; accumulators, table or outputs outside SRAM. All inputs are read before the
 * first output is written (in-place requantization is allowed).
 */
final class RequantOp {
    private RequantOp() {}

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType ot = Operands.integer(insn, F.OT);
        boolean intMode = insn.get(F.MODE) != 0;
        boolean a64 = insn.flag(F.A64);
        int n = Operands.count(r, Reg.PP_N);
        int c = Operands.count(r, Reg.PP_C);
        int apitch = Operands.count(r, Reg.PP_APITCH);
        int opitch = Operands.count(r, Reg.PP_OPITCH);
        int ozp = r.get(Reg.PP_OZP);
        int qmin = r.get(Reg.PP_QMIN);
        int qmax = r.get(Reg.PP_QMAX);
        long acc = insn.get(F.ACC);
        long prm = insn.get(F.PRM);
        long out = insn.get(F.OUT);
        int asz = a64 ? 8 : 4;
        long elements = Operands.product("requant", n, c);
        long accSpan = elements == 0 ? 0 : Operands.product("acc", (long) (n - 1) * apitch + c, asz);
        long outSpan = elements == 0 ? 0 : Operands.product("out", (long) (n - 1) * opitch + c, ot.bytes());
        Operands.sram(sram, acc, accSpan, false, "acc");
        Operands.sram(sram, prm, RequantEntry.tableBytes(c), false, "prm");
        Operands.sram(sram, out, outSpan, true, "out");
        int[] bias = sc.ints(0, c);
        int[] mult = sc.ints(1, c);
        int[] shift = sc.ints(2, c);
        Tiles tiles = sc.tiles();
        int[] table = sc.ints(4, RequantEntry.BYTES / 4 * c);
        tiles.readS32(sram, prm, RequantEntry.BYTES / 4 * c, table);
        for (int ch = 0; ch < c; ch++) {
            // The table is int32 fields; RequantEntry gives their byte offsets within an entry.
            int e = RequantEntry.BYTES / 4 * ch;
            bias[ch] = table[e + RequantEntry.BIAS / 4];
            mult[ch] = table[e + RequantEntry.MULT / 4];
            shift[ch] = table[e + RequantEntry.SHIFT / 4];
            if (intMode && (mult[ch] < 0 || shift[ch] < 0 || shift[ch] > 94)) {
                throw ExecFault.operand("channel " + ch + ": multiplier " + mult[ch] + " and shift " + shift[ch]
                        + " must be in [0, 2^31) and [0, 94]");
            }
        }
        boolean vector = !a64 && !intMode && RequantKernel.vectorizable(mult, c, ozp, qmin, qmax);
        if (vector && apitch == c && c > 0 && RequantKernel.flatPeriod(c) <= FLAT_MAX_PERIOD) {
            // Contiguous accumulator rows: the whole tile in one vector pass, without per-row calls.
            flat(sram, sc, ot, n, c, opitch, ozp, qmin, qmax, acc, out, bias, mult);
            return WorkMetrics.pp(elements, elements * asz + RequantEntry.tableBytes(c), elements * ot.bytes());
        }
        // The vector kernel works on rows padded to whole vectors (padding: bias 0, multiplier 0.0f).
        int cw = vector ? RequantKernel.paddedWidth(c) : c;
        if (cw > c) {
            bias = grow(sc, 0, bias, c, cw);
            mult = grow(sc, 1, mult, c, cw);
        }
        // Every accumulator is read before the first output is written (in-place requantization).
        int[] q = sc.ints(3, Math.toIntExact((long) n * cw));
        int[] row32 = a64 ? null : sc.ints(5, cw);
        long[] row64 = a64 ? sc.longs(0, c) : null;
        for (int p = 0, i = 0; p < n; p++) {
            long row = acc + (long) p * apitch * asz;
            if (a64) {
                tiles.readS64(sram, row, c, row64);
            } else {
                tiles.readS32(sram, row, c, row32);
            }
            if (!a64 && !intMode) {
                // The common case as a tight loop: Requant.ort inlined by hand, same operations in the same
                // order ((float) of an int equals (float) of the same value as a long).
                RequantKernel.ort(vector, row32, bias, mult, cw, ozp, qmin, qmax, q, i);
                i += cw;
                continue;
            }
            for (int ch = 0; ch < c; ch++, i++) {
                long a = a64 ? row64[ch] + bias[ch] : row32[ch] + bias[ch];
                q[i] = intMode ? Requant.hw(a, mult[ch], shift[ch], ozp, qmin, qmax)
                        : Requant.ort(a, Float.intBitsToFloat(mult[ch]), ozp, qmin, qmax);
            }
        }
        for (int p = 0; p < n; p++) {
            tiles.writeInts(sram, ot, out + (long) p * opitch * ot.bytes(), c, q, p * cw);
        }
        return WorkMetrics.pp(elements, elements * asz + RequantEntry.tableBytes(c), elements * ot.bytes());
    }

    /** Largest repeated-parameter period {@link #flat} uses (lcm(c, vector length) entries). */
    private static final int FLAT_MAX_PERIOD = 1 << 14;

    /**
     * The f32 mode over contiguous rows ({@code apitch = c}) by {@link RequantKernel#ortFlat}: all accumulators
     * read first, then the outputs written (in-place requantization stays allowed).
     */
    private static void flat(Sram sram, Scratch sc, ElemType ot, int n, int c, int opitch, int ozp, int qmin, int qmax,
                             long acc, long out, int[] bias, int[] mult) {
        int period = RequantKernel.flatPeriod(c);
        int total = Math.multiplyExact(n, c);
        int[] b = sc.ints(6, period);
        int[] m = sc.ints(7, period);
        // The channels repeated (copies, not a division per entry: this runs once per instruction, and most
        // instructions are one row of a few hundred elements).
        for (int k = 0; k < period; k += c) {
            System.arraycopy(bias, 0, b, k, c);
            System.arraycopy(mult, 0, m, k, c);
        }
        if (ot.bytes() == 1 && opitch == c && RequantKernel.flat8Allowed(acc, out, total)) {
            // 8-bit codes from contiguous rows: one pass from the accumulators' bytes to the outputs' bytes.
            byte[] mem = sram.backing();
            java.util.Objects.checkFromIndexSize(acc, 4L * total, (long) mem.length);
            java.util.Objects.checkFromIndexSize(out, (long) total, (long) mem.length);
            sram.markWritten(out, total);
            RequantKernel.ortFlat8(mem, (int) acc, total, b, m, period, ozp, qmin, qmax, (int) out);
            return;
        }
        Tiles tiles = sc.tiles();
        int[] a = sc.ints(5, total);
        tiles.readS32(sram, acc, total, a);
        int[] q = sc.ints(3, total);
        RequantKernel.ortFlat(a, total, b, m, period, ozp, qmin, qmax, q);
        if (opitch == c) {
            tiles.writeInts(sram, ot, out, total, q, 0);
        } else {
            for (int p = 0; p < n; p++) tiles.writeInts(sram, ot, out + (long) p * opitch * ot.bytes(), c, q, p * c);
        }
    }

    /** Scratch slot {@code slot} holding {@code v[0, c)} followed by zeros up to {@code cw}. */
    private static int[] grow(Scratch sc, int slot, int[] v, int c, int cw) {
        int[] out = sc.ints(slot, cw);
        if (out != v) System.arraycopy(v, 0, out, 0, c);
        java.util.Arrays.fill(out, c, cw, 0);
        return out;
    }
}
