package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.kernel.ConvGeometry;
import dev.cnnip.emulator.kernel.ConvKernel;
import dev.cnnip.emulator.kernel.Tiles;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * {@code ex.conv}: grouped 2-D convolution of an HWC input tile into an accumulator tile.
 *
 * <p>For output channel {@code o < oc} of group {@code g = o / goc} and output pixel
 * {@code (oy < oh, ox < ow)}:
 * <pre>
 * sum = Σ_{ky<kh, kx<kw, c<gic} (X[(iy·iw + ix)·ic + g·gic + c] − xzp) · (W[((o·kh + ky)·kw + kx)·gic + c] − wzp_o)
 * iy = oy·sh − pt + ky·dh,  ix = ox·sw − pl + kx·dw   (taps with iy ∉ [0, ih) or ix ∉ [0, iw) are skipped)
 * acc[(oy·ow + ox)·oc + o] = sum            (accum = 0)
 * acc[(oy·ow + ox)·oc + o] += sum           (accum = 1)
 * </pre>
 * X has type {@code xt} at SRAM {@code x}, W type {@code wt} at {@code w}; {@code wzp_o} is register
 * {@code wzp} ({@code wzpv = 0}) or the int32 at {@code wza + 4·o} ({@code wzpv = 1}). With
 * {@code a64 = 0} the accumulators are int32 and all arithmetic wraps as two's-complement int32
 * (differences, products and sums); with {@code a64 = 1} they are int64 and the arithmetic is int64.
 * Skipped taps are the virtual padding with the input zero point, contributing 0.
 *
 * <p>Faults: negative dimensions; {@code sh, sw, dh, dw, gic, goc < 1}; {@code ceil(oc/goc)·gic > ic};
 * an {@code f32} operand type; any of the input tile ({@code ih·iw·ic} elements), the weights
 * ({@code oc·kh·kw·gic}), the accumulators ({@code oh·ow·oc}) or the zero-point table ({@code oc} int32)
 * outside SRAM. The operands are read completely before the first accumulator is written, so the tiles
 * may overlap.
 */
final class ConvOp {
    private ConvOp() {}

    /** The EX registers of one instruction, validated. */
    record Params(int ih, int iw, int ic, int oh, int ow, int oc, int kh, int kw, int sh, int sw, int dh, int dw,
                  int pt, int pl, int gic, int goc, int xzp, int wzp, int wza) {
        int groups() {
            return (int) ((oc + (long) goc - 1) / goc);
        }
    }

    static Params params(RegisterFile r) {
        Params p = new Params(Operands.count(r, Reg.EX_IH), Operands.count(r, Reg.EX_IW), Operands.count(r, Reg.EX_IC),
                Operands.count(r, Reg.EX_OH), Operands.count(r, Reg.EX_OW), Operands.count(r, Reg.EX_OC),
                Operands.count(r, Reg.EX_KH), Operands.count(r, Reg.EX_KW),
                Operands.positive(r, Reg.EX_SH), Operands.positive(r, Reg.EX_SW),
                Operands.positive(r, Reg.EX_DH), Operands.positive(r, Reg.EX_DW),
                r.get(Reg.EX_PT), r.get(Reg.EX_PL),
                Operands.positive(r, Reg.EX_GIC), Operands.positive(r, Reg.EX_GOC),
                r.get(Reg.EX_XZP), r.get(Reg.EX_WZP), r.get(Reg.EX_WZA));
        long need = (long) p.groups() * p.gic;
        if (need > p.ic) {
            throw ExecFault.operand("groups need " + need + " input channels (ceil(oc/goc) = " + p.groups()
                    + " x gic = " + p.gic + ") but ic = " + p.ic);
        }
        return p;
    }

    static WorkMetrics run(Insn insn, RegisterFile r, Sram sram, Scratch sc) {
        ElemType xt = Operands.integer(insn, F.XT);
        ElemType wt = Operands.integer(insn, F.WT);
        boolean accum = insn.flag(F.ACCUM);
        boolean a64 = insn.flag(F.A64);
        boolean wzpv = insn.flag(F.WZPV);
        Params p = params(r);
        long x = insn.get(F.X);
        long w = insn.get(F.W);
        long acc = insn.get(F.ACC);
        int asz = a64 ? 8 : 4;
        long nx = Operands.product("x", p.ih, p.iw, p.ic);
        long nw = Operands.product("w", p.oc, p.kh, p.kw, p.gic);
        long na = Operands.product("acc", p.oh, p.ow, p.oc);
        long xBytes = Operands.product("x", nx, xt.bytes());
        long wBytes = Operands.product("w", nw, wt.bytes());
        long aBytes = Operands.product("acc", na, asz);
        Operands.sram(sram, x, xBytes, false, "x");
        Operands.sram(sram, w, wBytes, false, "w");
        Operands.sram(sram, acc, aBytes, true, "acc");
        if (wzpv) Operands.sram(sram, p.wza, 4L * p.oc, false, "wza");
        // Sizes now fit SRAM, hence int indices.
        if (na > 0) {
            // goc beyond oc means one group; clamping keeps the kernel's transposed weights oc wide.
            ConvGeometry g = new ConvGeometry(p.ih, p.iw, p.ic, p.oh, p.ow, p.oc, p.kh, p.kw, p.sh, p.sw, p.dh, p.dw,
                    p.pt, p.pl, p.gic, Math.min(p.goc, p.oc));
            if (a64) {
                kernel64(p, g, sram, xt, wt, x, w, acc, accum, wzpv, (int) nx, (int) nw, (int) na, sc);
            } else {
                kernel32(p, g, sram, xt, wt, x, w, acc, accum, wzpv, (int) nx, (int) nw, (int) na, sc);
            }
        }
        long macs = Operands.product("macs", na, p.kh, p.kw, p.gic);
        long read = xBytes + wBytes + (accum ? aBytes : 0) + (wzpv ? 4L * p.oc : 0);
        return new WorkMetrics(0, read, aBytes, macs, na, 0,
                new ConvShape(p.oh, p.ow, p.oc, p.goc, p.gic, p.kh, p.kw));
    }

    /** Reads the operand tiles, runs {@link ConvKernel#conv32} and writes the accumulator tile back. */
    private static void kernel32(Params p, ConvGeometry g, Sram sram, ElemType xt, ElemType wt, long x, long w, long acc,
                                 boolean accum, boolean wzpv, int nx, int nw, int na, Scratch sc) {
        Tiles tiles = sc.tiles();
        // The weights and their zero points are read once, for the byte path and the int tile path alike.
        int[] ws = sc.ints(1, nw);
        tiles.readInts(sram, wt, w, nw, ws, 0);
        int[] wz = sc.ints(2, p.oc);
        if (wzpv) {
            tiles.readS32(sram, p.wza, p.oc, wz);
        } else {
            java.util.Arrays.fill(wz, 0, p.oc, p.wzp);
        }
        if (g.gic() == 1 && g.goc() == 1 && xt.bytes() == 1 && (x + nx <= acc || acc + 4L * na <= x)) {
            // Depthwise with 8-bit inputs, disjoint tiles: straight from and to the SRAM bytes when the kernel can.
            byte[] mem = sram.backing();
            java.util.Objects.checkFromIndexSize(x, (long) nx, (long) mem.length);
            java.util.Objects.checkFromIndexSize(acc, 4L * na, (long) mem.length);
            if (sc.conv().depthwise8(g, mem, (int) x, xt == ElemType.U8, p.xzp, ws, wz, (int) acc, accum)) {
                sram.markWritten(acc, 4L * na);
                return;
            }
        }
        int[] xs = sc.ints(0, nx);
        tiles.readInts(sram, xt, x, nx, xs, p.xzp);
        int[] a = sc.ints(3, na);
        if (accum) {
            tiles.readS32(sram, acc, na, a);
        } else {
            java.util.Arrays.fill(a, 0, na, 0);
        }
        sc.conv().conv32(g, xs, ws, wz, a);
        tiles.writeS32(sram, acc, na, a);
    }

    /** As {@link #kernel32} in int64 arithmetic. */
    private static void kernel64(Params p, ConvGeometry g, Sram sram, ElemType xt, ElemType wt, long x, long w, long acc,
                                 boolean accum, boolean wzpv, int nx, int nw, int na, Scratch sc) {
        Tiles tiles = sc.tiles();
        long[] xs = sc.longs(0, nx);
        tiles.readLongs(sram, xt, x, nx, xs, p.xzp);
        long[] ws = sc.longs(1, nw);
        tiles.readLongs(sram, wt, w, nw, ws, 0);
        long[] wz = sc.longs(2, p.oc);
        if (wzpv) {
            int[] z = sc.ints(2, p.oc);
            tiles.readS32(sram, p.wza, p.oc, z);
            for (int o = 0; o < p.oc; o++) wz[o] = z[o];
        } else {
            java.util.Arrays.fill(wz, 0, p.oc, p.wzp);
        }
        long[] a = sc.longs(3, na);
        if (accum) {
            tiles.readS64(sram, acc, na, a);
        } else {
            java.util.Arrays.fill(a, 0, na, 0L);
        }
        sc.conv().conv64(g, xs, ws, wz, a);
        tiles.writeS64(sram, acc, na, a);
    }
}
