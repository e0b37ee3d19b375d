package dev.cnnip.isa;

import dev.cnnip.isa.table.LookupTable;
import dev.cnnip.isa.table.QuantEntry;
import dev.cnnip.isa.table.RequantEntry;
import dev.cnnip.isa.table.SoftmaxTable;
import java.util.List;

/**
 * The footprint rules of the instruction table: for each kind of instruction, the SRAM and DRAM ranges
 * it may read and write, as a function of its fields and its engine's registers ({@link Rule#of}),
 * and the same rule in words for docs/isa.md. {@code |t|} is the size in bytes of element type t.
 *
 * <p>A rule is exact for register values the instruction accepts (the ranges are the ones the
 * executor checks before it touches memory). For values it rejects (a negative count, a product
 * beyond 2^63) the instruction faults before any access; the rule then treats a negative count as 0
 * and saturates sizes, so it never throws.
 */
public final class Footprints {
    private Footprints() {}

    /** Computes a footprint from an instruction and the registers it reads. */
    @FunctionalInterface
    public interface Fn {
        Footprint of(Insn insn, RegisterReader regs);
    }

    /**
     * A footprint rule with its description.
     *
     * @param reads  ranges read, in words (empty: none)
     * @param writes ranges written, in words
     * @param fn     the rule
     */
    public record Rule(List<String> reads, List<String> writes, Fn fn) {
        public Rule {
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
        }

        public Footprint of(Insn insn, RegisterReader regs) {
            return fn.of(insn, regs);
        }
    }

    /** No memory access. */
    public static final Rule NONE = new Rule(List.of(), List.of(), (i, r) -> Footprint.NONE);

    /** {@code ld}: DRAM to SRAM. */
    public static final Rule LOAD = new Rule(
            List.of("DRAM [`dram` + lo(ds), `dram` + hi(ds)) with lo(s) = Σk min(0, (nk−1)·sk), hi(s) = Σk max(0, (nk−1)·sk) + esz"
                    + " over k = 0..2 (nothing when a count is 0)"),
            List.of("SRAM [`sram` + lo(ss), `sram` + hi(ss))"), (i, r) -> dma(i, r, true));

    /** {@code st}: SRAM to DRAM. */
    public static final Rule STORE = new Rule(List.of("SRAM [`sram` + lo(ss), `sram` + hi(ss)) (lo, hi as for `ld`)"),
            List.of("DRAM [`dram` + lo(ds), `dram` + hi(ds))"), (i, r) -> dma(i, r, false));

    /** {@code ex.conv}. */
    public static final Rule CONV = new Rule(
            List.of("SRAM `x`: ih·iw·ic·\\|xt\\|", "`w`: oc·kh·kw·gic·\\|wt\\|", "`wza`: 4·oc (wzpv = 1)",
                    "`acc`: oh·ow·oc·(a64 ? 8 : 4) (accum = 1)"),
            List.of("SRAM `acc`: oh·ow·oc·(a64 ? 8 : 4)"), Footprints::conv);

    /** {@code pp.requant}. */
    public static final Rule REQUANT = new Rule(
            List.of("SRAM `acc`: ((n−1)·apitch + c)·(a64 ? 8 : 4)", "`prm`: c·" + RequantEntry.BYTES),
            List.of("SRAM `out`: ((n−1)·opitch + c)·\\|ot\\| (nothing when n·c = 0)"), Footprints::requant);

    /** {@code pp.quant}. */
    public static final Rule QUANT = new Rule(List.of("SRAM `src`: 4·n", "`prm`: c·" + QuantEntry.BYTES),
            List.of("SRAM `dst`: n·\\|ot\\|"), Footprints::quant);

    /** {@code pp.dequant}. */
    public static final Rule DEQUANT = new Rule(List.of("SRAM `src`: n·\\|it\\|", "`prm`: c·" + QuantEntry.BYTES),
            List.of("SRAM `dst`: 4·n"), Footprints::dequant);

    /** {@code pp.maxpool}, {@code pp.avgpool}. */
    public static final Rule POOL = new Rule(List.of("SRAM `src`: ih·iw·c·\\|dt\\|"), List.of("SRAM `dst`: oh·ow·c·\\|dt\\|"),
            Footprints::pool);

    /** {@code pp.add}, {@code pp.mul}. */
    public static final Rule ELEMENTWISE = new Rule(
            List.of("SRAM `a`: n·\\|at\\|", "`b`: nb·\\|bt\\| with nb = bmod if bmod > 0, else min(n, 1) if bscalar, else n"),
            List.of("SRAM `dst`: n·\\|ot\\|"), Footprints::elementwise);

    /** {@code pp.lut}. */
    public static final Rule LUT = new Rule(
            List.of("SRAM `src`: n·\\|it\\|", "`tbl`: 2^bits(it)·\\|ot\\| (256 or 65,536 entries)"),
            List.of("SRAM `dst`: n·\\|ot\\|"), Footprints::lut);

    /** {@code pp.softmax}. */
    public static final Rule SOFTMAX = new Rule(List.of("SRAM `src`: n·c·\\|dt\\|", "`exp`: " + SoftmaxTable.BYTES),
            List.of("SRAM `dst`: n·c·\\|dt\\|"), Footprints::softmax);

    /** {@code pp.softmaxf} and {@code pp.lrn}: n rows (pixels) of c elements in, the same out. */
    public static final Rule ROWS = new Rule(List.of("SRAM `src`: n·c·\\|it\\|"), List.of("SRAM `dst`: n·c·\\|ot\\|"),
            Footprints::rows);

    // ---- rules ----

    private static Footprint dma(Insn insn, RegisterReader r, boolean load) {
        int esz = r.get(Reg.ESZ);
        int[] n = {r.get(Reg.N0), r.get(Reg.N1), r.get(Reg.N2)};
        int[] ds = {r.get(Reg.DS0), r.get(Reg.DS1), r.get(Reg.DS2)};
        int[] ss = {r.get(Reg.SS0), r.get(Reg.SS1), r.get(Reg.SS2)};
        if (esz < 1 || n[0] <= 0 || n[1] <= 0 || n[2] <= 0) return Footprint.NONE;
        long d = insn.get(F.DRAM);
        long s = insn.get(F.SRAM);
        long dLo = d + low(n, ds);
        long sLo = s + low(n, ss);
        long dLen = d + high(n, ds, esz) - dLo;
        long sLen = s + high(n, ss, esz) - sLo;
        Footprint.Builder b = new Footprint.Builder();
        if (load) {
            b.add(MemAccess.Space.DRAM, false, "dram", dLo, dLen).add(MemAccess.Space.SRAM, true, "sram", sLo, sLen);
        } else {
            b.add(MemAccess.Space.SRAM, false, "sram", sLo, sLen).add(MemAccess.Space.DRAM, true, "dram", dLo, dLen);
        }
        return b.build();
    }

    /** Lowest byte offset a strided transfer touches relative to its base. */
    public static long low(int[] n, int[] stride) {
        long lo = 0;
        for (int k = 0; k < 3; k++) lo += Math.min(0, (n[k] - 1L) * stride[k]);
        return lo;
    }

    /** One past the highest byte offset a strided transfer of {@code esz}-byte elements touches. */
    public static long high(int[] n, int[] stride, long esz) {
        long hi = esz;
        for (int k = 0; k < 3; k++) hi += Math.max(0, (n[k] - 1L) * stride[k]);
        return hi;
    }

    private static Footprint conv(Insn insn, RegisterReader r) {
        ElemType xt = insn.type(F.XT);
        ElemType wt = insn.type(F.WT);
        int asz = insn.flag(F.A64) ? 8 : 4;
        int oc = r.get(Reg.EX_OC);
        long x = insn.get(F.X);
        long acc = insn.get(F.ACC);
        long aBytes = mul(r.get(Reg.EX_OH), r.get(Reg.EX_OW), oc, asz);
        Footprint.Builder b = new Footprint.Builder()
                .sramRead("x", x, mul(r.get(Reg.EX_IH), r.get(Reg.EX_IW), r.get(Reg.EX_IC), xt.bytes()))
                .sramRead("w", insn.get(F.W), mul(oc, r.get(Reg.EX_KH), r.get(Reg.EX_KW), r.get(Reg.EX_GIC), wt.bytes()));
        if (insn.flag(F.WZPV)) b.sramRead("wza", r.get(Reg.EX_WZA), mul(oc, 4));
        if (insn.flag(F.ACCUM)) b.sramRead("acc", acc, aBytes);
        return b.sramWrite("acc", acc, aBytes).build();
    }

    private static Footprint requant(Insn insn, RegisterReader r) {
        int n = r.get(Reg.PP_N);
        int c = r.get(Reg.PP_C);
        int asz = insn.flag(F.A64) ? 8 : 4;
        boolean any = mul(n, c) > 0;
        long accSpan = any ? mul(add(mul(n - 1L, r.get(Reg.PP_APITCH)), c), asz) : 0;
        long outSpan = any ? mul(add(mul(n - 1L, r.get(Reg.PP_OPITCH)), c), insn.type(F.OT).bytes()) : 0;
        return new Footprint.Builder().sramRead("acc", insn.get(F.ACC), accSpan)
                .sramRead("prm", insn.get(F.PRM), mul(c, RequantEntry.BYTES))
                .sramWrite("out", insn.get(F.OUT), outSpan).build();
    }

    private static Footprint quant(Insn insn, RegisterReader r) {
        int n = r.get(Reg.PP_N);
        return new Footprint.Builder().sramRead("src", insn.get(F.SRC), mul(n, 4))
                .sramRead("prm", insn.get(F.PRM), mul(r.get(Reg.PP_C), QuantEntry.BYTES))
                .sramWrite("dst", insn.get(F.DST), mul(n, insn.type(F.OT).bytes())).build();
    }

    private static Footprint dequant(Insn insn, RegisterReader r) {
        int n = r.get(Reg.PP_N);
        return new Footprint.Builder().sramRead("src", insn.get(F.SRC), mul(n, insn.type(F.IT).bytes()))
                .sramRead("prm", insn.get(F.PRM), mul(r.get(Reg.PP_C), QuantEntry.BYTES))
                .sramWrite("dst", insn.get(F.DST), mul(n, 4)).build();
    }

    private static Footprint pool(Insn insn, RegisterReader r) {
        int c = r.get(Reg.PP_C);
        int bytes = insn.type(F.DT).bytes();
        return new Footprint.Builder()
                .sramRead("src", insn.get(F.SRC), mul(r.get(Reg.PP_IH), r.get(Reg.PP_IW), c, bytes))
                .sramWrite("dst", insn.get(F.DST), mul(r.get(Reg.PP_OH), r.get(Reg.PP_OW), c, bytes)).build();
    }

    private static Footprint elementwise(Insn insn, RegisterReader r) {
        int n = r.get(Reg.PP_N);
        int bmod = r.get(Reg.PP_BMOD);
        long nb = bmod > 0 ? bmod : insn.flag(F.BSCALAR) ? Math.min(n, 1) : n;
        return new Footprint.Builder().sramRead("a", insn.get(F.A), mul(n, insn.type(F.AT).bytes()))
                .sramRead("b", insn.get(F.B), mul(nb, insn.type(F.BT).bytes()))
                .sramWrite("dst", insn.get(F.DST), mul(n, insn.type(F.OT).bytes())).build();
    }

    private static Footprint lut(Insn insn, RegisterReader r) {
        int n = r.get(Reg.PP_N);
        ElemType it = insn.type(F.IT);
        ElemType ot = insn.type(F.OT);
        return new Footprint.Builder().sramRead("src", insn.get(F.SRC), mul(n, it.bytes()))
                .sramRead("tbl", insn.get(F.TBL), LookupTable.bytes(it, ot))
                .sramWrite("dst", insn.get(F.DST), mul(n, ot.bytes())).build();
    }

    private static Footprint softmax(Insn insn, RegisterReader r) {
        long bytes = mul(r.get(Reg.PP_N), r.get(Reg.PP_C), insn.type(F.DT).bytes());
        return new Footprint.Builder().sramRead("src", insn.get(F.SRC), bytes)
                .sramRead("exp", insn.get(F.EXP), SoftmaxTable.BYTES)
                .sramWrite("dst", insn.get(F.DST), bytes).build();
    }

    private static Footprint rows(Insn insn, RegisterReader r) {
        long n = mul(r.get(Reg.PP_N), r.get(Reg.PP_C));
        return new Footprint.Builder().sramRead("src", insn.get(F.SRC), mul(n, insn.type(F.IT).bytes()))
                .sramWrite("dst", insn.get(F.DST), mul(n, insn.type(F.OT).bytes())).build();
    }

    // ---- saturating arithmetic: a negative factor gives 0, an overflow Long.MAX_VALUE ----

    static long mul(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f <= 0) return 0;
            p = p > Long.MAX_VALUE / f ? Long.MAX_VALUE : p * f;
        }
        return p;
    }

    private static long add(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }

    /** {@code start + bytes}, saturated. */
    static long sat(long start, long bytes) {
        return add(start, bytes);
    }
}
