package dev.cnnip.emulator.timing;

import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.emulator.exec.RegisterFile;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.hw.ExModel;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;

/**
 * Finds the all-zero weight blocks of an {@code ex.conv} before it executes (its accumulators may overwrite
 * the weights). It reads the weights {@code W[((o·kh + ky)·kw + kx)·gic + c]} the executor will read; an
 * instruction whose operands the executor would reject counts nothing (the executor reports the fault).
 * Only read when {@code ex.zero_skip=on}, so the functional run pays nothing otherwise.
 */
public final class ZeroBlockCounter {
    private ZeroBlockCounter() {}

    /** The skipped blocks of {@code insn} with EX registers {@code r} over {@code sram}; {@link ZeroBlocks#NONE} when skipping is off. */
    public static ZeroBlocks count(HwConfig hw, Insn insn, RegisterFile r, Sram sram) {
        if (!hw.exZeroSkip() || insn.op() != Opcode.EX_CONV) return ZeroBlocks.NONE;
        ExModel model = hw.exModel();
        if (model != ExModel.BLOCK && model != ExModel.SYSTOLIC_WS) return ZeroBlocks.NONE;
        int oh = r.get(Reg.EX_OH), ow = r.get(Reg.EX_OW), oc = r.get(Reg.EX_OC);
        int kh = r.get(Reg.EX_KH), kw = r.get(Reg.EX_KW), gic = r.get(Reg.EX_GIC), goc = r.get(Reg.EX_GOC);
        if (oh < 0 || ow < 0 || oc <= 0 || kh <= 0 || kw <= 0 || gic < 1 || goc < 1) return ZeroBlocks.NONE;
        ElemType wt;
        try {
            wt = insn.type(F.WT);
        } catch (RuntimeException e) {
            return ZeroBlocks.NONE;
        }
        if (!wt.isInteger()) return ZeroBlocks.NONE;
        long w = insn.get(F.W);
        long n = (long) oc * kh * kw * gic;
        boolean wzpv = insn.flag(F.WZPV);
        int wza = r.get(Reg.EX_WZA);
        if (w < 0 || w + n * wt.bytes() > sram.size() || (wzpv && (wza < 0 || wza + 4L * oc > sram.size()))) {
            return ZeroBlocks.NONE;
        }
        Weights ws = new Weights(sram, wt, w, kh * kw, gic, wzpv ? wza : -1, r.get(Reg.EX_WZP));
        ConvShape s = new ConvShape(oh, ow, oc, goc, gic, kh, kw);
        long px = s.pixels();
        return model == ExModel.BLOCK ? block(hw, s, ws, px) : ws(hw, s, ws, px);
    }

    /** Weight values relative to their zero points. */
    private record Weights(Sram sram, ElemType t, long base, int taps, int gic, long wza, int wzp) {
        boolean zero(int o, int tap, int c) {
            long a = base + (((long) o * taps + tap) * gic + c) * t.bytes();
            int v = switch (t.bytes()) {
                case 1 -> t.signed() ? sram.s8(a) : sram.u8(a);
                case 2 -> t.signed() ? sram.s16(a) : sram.u16(a);
                default -> sram.s32(a);
            };
            return v == (wza >= 0 ? sram.s32(wza + 4L * o) : wzp);
        }
    }

    private static ZeroBlocks block(HwConfig hw, ConvShape s, Weights w, long px) {
        int taps = s.kh() * s.kw();
        long units = 0;
        long macs = 0;
        if (CostModel.depthwiseMode(hw, s)) {
            int lanes = (int) Math.min(CostModel.dwLanes(hw), Integer.MAX_VALUE);
            for (int o0 = 0; o0 < s.oc(); o0 += lanes) {
                int o1 = (int) Math.min(s.oc(), (long) o0 + lanes);
                for (int t = 0; t < taps; t++) {
                    if (allZero(w, o0, o1, t, 0, 1)) {
                        units++;
                        macs += px * (o1 - o0);
                    }
                }
            }
            return new ZeroBlocks(units, macs);
        }
        int groups = s.groups();
        int perPass = (int) CostModel.groupsPerPass(hw, s);
        int goc = Math.min(s.goc(), s.oc());
        int mo = (int) Math.min(hw.macOc(), Integer.MAX_VALUE);
        int mi = (int) Math.min(hw.macIc(), Integer.MAX_VALUE);
        for (int g0 = 0; g0 < groups; g0 += perPass) {
            int g1 = Math.min(groups, g0 + perPass);
            for (int ob = 0; ob < goc; ob += mo) {
                for (int ib = 0; ib < s.gic(); ib += mi) {
                    int c1 = (int) Math.min(s.gic(), (long) ib + mi);
                    for (int t = 0; t < taps; t++) {
                        boolean zero = true;
                        long count = 0;
                        for (int g = g0; g < g1 && zero; g++) {
                            int o0 = g * s.goc() + ob;
                            int o1 = (int) Math.min(Math.min((long) g * s.goc() + s.goc(), s.oc()), (long) o0 + mo);
                            if (o0 >= o1) continue;
                            zero = allZero(w, o0, o1, t, ib, c1);
                            count += (long) (o1 - o0) * (c1 - ib);
                        }
                        if (zero) {
                            units++;
                            macs += px * count;
                        }
                    }
                }
            }
        }
        return new ZeroBlocks(units, macs);
    }

    /** Weight folds of R reduction rows (index {@code tap·gic + c}) by C output channels of one group. */
    private static ZeroBlocks ws(HwConfig hw, ConvShape s, Weights w, long px) {
        long k = (long) s.kh() * s.kw() * s.gic();
        int rows = (int) Math.min(hw.exRows(), Integer.MAX_VALUE);
        int cols = (int) Math.min(hw.exCols(), Integer.MAX_VALUE);
        long units = 0;
        long macs = 0;
        for (int g = 0; g < s.groups(); g++) {
            int gBase = g * s.goc();
            int gEnd = (int) Math.min((long) gBase + s.goc(), s.oc());
            for (int o0 = gBase; o0 < gEnd; o0 += cols) {
                int o1 = (int) Math.min(gEnd, (long) o0 + cols);
                for (long k0 = 0; k0 < k; k0 += rows) {
                    long k1 = Math.min(k, k0 + rows);
                    boolean zero = true;
                    for (int o = o0; o < o1 && zero; o++) {
                        for (long kk = k0; kk < k1 && zero; kk++) {
                            zero = w.zero(o, (int) (kk / s.gic()), (int) (kk % s.gic()));
                        }
                    }
                    if (zero) {
                        units++;
                        macs += px * (o1 - o0) * (k1 - k0);
                    }
                }
            }
        }
        return new ZeroBlocks(units, macs);
    }

    private static boolean allZero(Weights w, int o0, int o1, int tap, int c0, int c1) {
        for (int o = o0; o < o1; o++) {
            for (int c = c0; c < c1; c++) {
                if (!w.zero(o, tap, c)) return false;
            }
        }
        return true;
    }
}
