package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine registers written by the SET instructions and read by the engine's other instructions. Each
 * register holds a 32-bit value; it keeps its value until written again. Ids are per engine (1-255;
 * 0 in a SET field means "no register"). LD and ST have the same DMA register set, each its own copy.
 */
public enum Reg {
    // DMA registers (LD and ST).
    ESZ(Group.DMA, 1, "esz", 0, "bytes per element of the innermost loop"),
    N0(Group.DMA, 2, "n0", 1, "innermost loop count"),
    N1(Group.DMA, 3, "n1", 1, "middle loop count"),
    N2(Group.DMA, 4, "n2", 1, "outer loop count"),
    DS0(Group.DMA, 5, "ds0", 0, "DRAM stride of the innermost loop, bytes"),
    DS1(Group.DMA, 6, "ds1", 0, "DRAM stride of the middle loop, bytes"),
    DS2(Group.DMA, 7, "ds2", 0, "DRAM stride of the outer loop, bytes"),
    SS0(Group.DMA, 8, "ss0", 0, "SRAM stride of the innermost loop, bytes"),
    SS1(Group.DMA, 9, "ss1", 0, "SRAM stride of the middle loop, bytes"),
    SS2(Group.DMA, 10, "ss2", 0, "SRAM stride of the outer loop, bytes"),

    // EX registers.
    EX_IH(Group.EX, 1, "ih", 1, "input tile rows"),
    EX_IW(Group.EX, 2, "iw", 1, "input tile columns"),
    EX_IC(Group.EX, 3, "ic", 1, "input tile channels (elements per pixel)"),
    EX_OH(Group.EX, 4, "oh", 1, "output rows"),
    EX_OW(Group.EX, 5, "ow", 1, "output columns"),
    EX_OC(Group.EX, 6, "oc", 1, "output channels (accumulators per pixel)"),
    EX_KH(Group.EX, 7, "kh", 1, "kernel rows"),
    EX_KW(Group.EX, 8, "kw", 1, "kernel columns"),
    EX_SH(Group.EX, 9, "sh", 1, "vertical stride"),
    EX_SW(Group.EX, 10, "sw", 1, "horizontal stride"),
    EX_DH(Group.EX, 11, "dh", 1, "vertical dilation"),
    EX_DW(Group.EX, 12, "dw", 1, "horizontal dilation"),
    EX_PT(Group.EX, 13, "pt", 0, "virtual padding rows above the tile"),
    EX_PL(Group.EX, 14, "pl", 0, "virtual padding columns left of the tile"),
    EX_GIC(Group.EX, 15, "gic", 1, "input channels reduced per group"),
    EX_GOC(Group.EX, 16, "goc", 1, "output channels per group"),
    EX_XZP(Group.EX, 17, "xzp", 0, "input zero point"),
    EX_WZP(Group.EX, 18, "wzp", 0, "weight zero point (when wzpv = 0)"),
    EX_WZA(Group.EX, 19, "wza", 0, "SRAM address of per-channel int32 weight zero points (when wzpv = 1)"),

    // PP registers.
    PP_N(Group.PP, 1, "n", 1, "pixels (requant, pools), elements (quant, dequant, add, mul, lut) or rows (softmax)"),
    PP_C(Group.PP, 2, "c", 1, "channels per pixel (requant, pools), parameter table entries (quant, dequant) or row length (softmax)"),
    PP_INNER(Group.PP, 3, "inner", 1, "quant/dequant: consecutive elements sharing one parameter entry"),
    PP_OZP(Group.PP, 4, "ozp", 0, "output zero point"),
    PP_QMIN(Group.PP, 5, "qmin", 0, "lowest output code (saturation)"),
    PP_QMAX(Group.PP, 6, "qmax", 255, "highest output code (saturation)"),
    PP_APITCH(Group.PP, 7, "apitch", 1, "accumulator pixel pitch, elements"),
    PP_OPITCH(Group.PP, 8, "opitch", 1, "output pixel pitch, elements"),
    PP_IH(Group.PP, 9, "ih", 1, "pool input rows"),
    PP_IW(Group.PP, 10, "iw", 1, "pool input columns"),
    PP_OH(Group.PP, 11, "oh", 1, "pool output rows"),
    PP_OW(Group.PP, 12, "ow", 1, "pool output columns"),
    PP_KH(Group.PP, 13, "kh", 1, "pool window rows"),
    PP_KW(Group.PP, 14, "kw", 1, "pool window columns"),
    PP_SH(Group.PP, 15, "sh", 1, "pool vertical stride"),
    PP_SW(Group.PP, 16, "sw", 1, "pool horizontal stride"),
    PP_DH(Group.PP, 17, "dh", 1, "pool vertical dilation"),
    PP_DW(Group.PP, 18, "dw", 1, "pool horizontal dilation"),
    PP_PT(Group.PP, 19, "pt", 0, "pool padding rows above the tile"),
    PP_PL(Group.PP, 20, "pl", 0, "pool padding columns left of the tile"),
    PP_FA(Group.PP, 21, "fa", 0, "pp.add: A's rescale rA = sA/sY as float32 bits (f32 mode), or A's integer multiplier (int mode)"),
    PP_FB(Group.PP, 22, "fb", 0, "pp.add: B's rescale rB = sB/sY as float32 bits (f32 mode), or B's integer multiplier (int mode)"),
    PP_FK(Group.PP, 23, "fk", 0, "pp.add: the offset K as float32 bits (f32 mode), or the right shift 0..94 (int mode)"),
    PP_AZP(Group.PP, 24, "azp", 0, "pp.add (int mode), pp.mul: zero point of operand A"),
    PP_BZP(Group.PP, 25, "bzp", 0, "pp.add (int mode), pp.mul: zero point of operand B"),
    PP_BMOD(Group.PP, 26, "bmod", 0, "pp.add, pp.mul: element i of A pairs with element i mod bmod of B (0: element i)"),
    PP_CIP(Group.PP, 27, "cip", 0, "pp.avgpool: 1 = every tap of the window counts in the divisor (count_include_pad)"),
    PP_MM(Group.PP, 28, "mm", 0, "pp.mul: the multiplier M = sA·sB/sY as float32 bits (f32 mode), or its integer multiplier (int mode)"),
    PP_MSH(Group.PP, 29, "msh", 0, "pp.mul: right shift 0..94 of the integer multiplier (int mode)"),
    PP_YINV(Group.PP, 30, "yinv", 0, "pp.softmax: floor(1 / output scale) as float32 bits"),
    PP_XS(Group.PP, 31, "xs", 0, "pp.avgpool, pp.lrn: input scale as float32 bits"),
    PP_YS(Group.PP, 32, "ys", 0, "pp.avgpool, pp.lrn: output scale as float32 bits"),
    PP_XZP(Group.PP, 33, "xzp", 0, "pp.avgpool, pp.lrn: input zero point"),
    PP_LSIZE(Group.PP, 48, "lsize", 1, "pp.lrn: channels in the normalisation window (odd)"),
    PP_LALPHA(Group.PP, 49, "lalpha", 0, "pp.lrn: alpha / size as float32 bits (computed in float32)"),
    PP_LBETA(Group.PP, 50, "lbeta", 0, "pp.lrn: the exponent beta as float32 bits"),
    PP_LBIAS(Group.PP, 51, "lbias", 0, "pp.lrn: the bias k as float32 bits");

    /** Which engines have a register. */
    public enum Group {
        DMA(Engine.LD, Engine.ST), EX(Engine.EX), PP(Engine.PP);

        private final List<Engine> engines;

        Group(Engine... engines) {
            this.engines = List.of(engines);
        }

        public List<Engine> engines() {
            return engines;
        }
    }

    private final Group group;
    private final int id;
    private final String asm;
    private final int reset;
    private final String description;

    Reg(Group group, int id, String asm, int reset, String description) {
        this.group = group;
        this.id = id;
        this.asm = asm;
        this.reset = reset;
        this.description = description;
    }

    public Group group() { return group; }

    /** Register number within its engine (1-255). */
    public int id() { return id; }

    /** Assembly name. */
    public String asm() { return asm; }

    /** Value after reset. */
    public int reset() { return reset; }

    public String description() { return description; }

    /** Whether the register's value is a float32 bit pattern in f32 mode (printed in hex). */
    public boolean floatBits() {
        return switch (this) {
            case PP_FA, PP_FB, PP_FK, PP_MM, PP_YINV, PP_XS, PP_YS, PP_LALPHA, PP_LBETA, PP_LBIAS -> true;
            default -> false;
        };
    }

    /** The registers of an engine, in id order. */
    public static List<Reg> of(Engine e) {
        List<Reg> out = new ArrayList<>();
        for (Reg r : values()) if (r.group.engines.contains(e)) out.add(r);
        return out;
    }

    /** The register of engine {@code e} with id {@code id}, or null. */
    public static Reg byId(Engine e, int id) {
        for (Reg r : values()) if (r.id == id && r.group.engines.contains(e)) return r;
        return null;
    }

    /** The register of engine {@code e} named {@code name}, or null. */
    public static Reg byName(Engine e, String name) {
        for (Reg r : values()) if (r.asm.equals(name) && r.group.engines.contains(e)) return r;
        return null;
    }

    /** Highest register id of an engine (register files are indexed 0..maxId). */
    public static int maxId(Engine e) {
        int m = 0;
        for (Reg r : of(e)) m = Math.max(m, r.id);
        return m;
    }
}
