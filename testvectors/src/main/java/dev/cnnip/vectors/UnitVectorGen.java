package dev.cnnip.vectors;

import dev.cnnip.isa.Opcode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Operands and data of the per-instruction unit vectors ({@link InstructionVectors}). Directed vectors
 * use fixed, hand-picked operands; random ones draw every operand from a seeded generator within ranges
 * that keep the instruction legal and its tiles inside their SRAM regions (1 KiB each).
 */
final class UnitVectorGen {
    static final int A = 0x000;
    static final int B = 0x400;
    static final int P = 0x800;
    static final int D = 0xC00;
    static final int REGION = 0x400;
    /** DRAM area for {@code st} under test (outside the window and its copy). */
    static final int ST_AREA = 2 * InstructionVectors.WINDOW;

    private final SplittableRandom r;
    private final boolean directed;
    private final ByteBuffer mem;
    private final StringBuilder body = new StringBuilder();

    private UnitVectorGen(long seed, boolean directed) {
        this.r = new SplittableRandom(seed);
        this.directed = directed;
        byte[] bytes = new byte[InstructionVectors.WINDOW];
        // Random background everywhere (directed vectors too: seed 0), so stray reads and writes show.
        new SplittableRandom(seed ^ 0x5DEECE66DL).nextBytes(bytes);
        this.mem = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static UnitVector make(Opcode op, String kind, long seed) {
        UnitVectorGen g = new UnitVectorGen(seed, kind.equals("directed"));
        String what = g.build(op);
        return new UnitVector(op, kind, seed, g.mem.array().clone(), g.body.toString(), what);
    }

    /** {@code lo..hi} inclusive; directed vectors take {@code d}. */
    private int pick(int d, int lo, int hi) {
        return directed ? d : lo + r.nextInt(hi - lo + 1);
    }

    private boolean coin(boolean d) {
        return directed ? d : r.nextBoolean();
    }

    private void line(String s) {
        body.append(s).append('\n');
    }

    /** SET lines for {@code engine} ({@code ld}, {@code ex}, {@code pp}, {@code st}), two registers per line. */
    private void set(String engine, Object... kv) {
        for (int i = 0; i < kv.length; i += 4) {
            StringBuilder sb = new StringBuilder(engine).append(".set ").append(kv[i]).append('=').append(kv[i + 1]);
            if (i + 2 < kv.length) sb.append(' ').append(kv[i + 2]).append('=').append(kv[i + 3]);
            line(sb.toString());
        }
    }

    private static String hex(int a) {
        return "0x" + Integer.toHexString(a);
    }

    private static int fbits(float f) {
        return Float.floatToRawIntBits(f);
    }

    private String build(Opcode op) {
        return switch (op) {
            case NOP -> sync("nop");
            case LD_SYNC -> sync("ld.sync");
            case EX_SYNC -> sync("ex.sync");
            case PP_SYNC -> sync("pp.sync");
            case ST_SYNC -> sync("st.sync");
            case LAYER_BEGIN -> layer("layer.begin");
            case LAYER_END -> layer("layer.end");
            case TRAP -> {
                int code = pick(7, 0, 65535);
                line("trap code=" + code + " wait=0 signal=1");
                yield "trap with code " + code + ": the machine stops with a fault, the epilogue never runs";
            }
            case FINISH -> {
                line("ld.sync wait=0 signal=1");
                yield "finish waiting for semaphore s2, signalled by the epilogue store";
            }
            case LD, LD_SET -> dma(true);
            case ST, ST_SET -> dma(false);
            case EX_CONV, EX_SET -> conv();
            case PP_REQUANT, PP_SET -> requant();
            case PP_QUANT -> quant();
            case PP_DEQUANT -> dequant();
            case PP_MAXPOOL -> pool(false);
            case PP_AVGPOOL -> pool(true);
            case PP_ADD -> add(false);
            case PP_MUL -> add(true);
            case PP_LUT -> lut();
            case PP_SOFTMAX -> softmax();
            case PP_LRN -> lrn();
            case PP_SOFTMAXF -> softmaxFloat();
        };
    }

    private String sync(String m) {
        line(m + " wait=0 signal=1");
        return m + " passes semaphore s0 on to s1 and does nothing else";
    }

    private String layer(String m) {
        int id = pick(0, 0, 65535);
        line(m + " id=" + id + " wait=0 signal=1");
        return m + " id=" + id + " (a marker: no memory effect)";
    }

    /** A strided copy of up to 1 KiB between the window's region A and D ({@code ld}) or DRAM ({@code st}). */
    private String dma(boolean load) {
        int esz = pick(4, 1, 8);
        int n0 = pick(8, 1, 8);
        int n1 = pick(4, 1, 4);
        int n2 = pick(2, 1, 3);
        // Strides keep every element inside a 1 KiB region: rows of up to 8 × 8 bytes.
        int ds0 = esz * pick(2, 1, 2);
        int ss0 = esz;
        int ds1 = n0 * ds0 + pick(0, 0, 8);
        int ss1 = n0 * ss0 + pick(4, 0, 8);
        int ds2 = n1 * ds1;
        int ss2 = n1 * ss1;
        String e = load ? "ld" : "st";
        set(e, "esz", esz, "n0", n0, "n1", n1, "n2", n2, "ds0", ds0, "ds1", ds1, "ds2", ds2, "ss0", ss0, "ss1", ss1, "ss2", ss2);
        if (load) {
            line("ld dram=" + hex(B) + " sram=" + hex(D) + " wait=0 signal=1");
        } else {
            line("st dram=" + hex(ST_AREA) + " sram=" + hex(A) + " wait=0 signal=1");
        }
        return String.format(Locale.ROOT, "%s of %dx%dx%d elements of %d bytes, DRAM strides %d/%d/%d, SRAM strides %d/%d/%d",
                e, n2, n1, n0, esz, ds2, ds1, ds0, ss2, ss1, ss0);
    }

    private String conv() {
        boolean a64 = !directed && r.nextInt(4) == 0;
        String xt = a64 ? (coin(true) ? "s16" : "u16") : (coin(true) ? "u8" : "s8");
        String wt = a64 ? "s16" : (coin(true) ? "s8" : "u8");
        int xsz = a64 ? 2 : 1;
        int asz = a64 ? 8 : 4;
        int goc = pick(2, 1, 3);
        int groups = pick(1, 1, 2);
        int gic = pick(3, 1, 3);
        int oc = goc * groups;
        int ic = gic * groups;
        int kh = pick(3, 1, 3);
        int kw = pick(3, 1, 3);
        int sh = pick(1, 1, 2);
        int sw = pick(1, 1, 2);
        int dh = pick(1, 1, 2);
        int dw = pick(1, 1, 2);
        int ih = pick(4, 2, 5);
        int iw = pick(4, 2, 5);
        int pt = pick(1, 0, 1);
        int pl = pick(1, 0, 1);
        int oh = Math.max(1, (ih + 2 * pt - dh * (kh - 1) - 1) / sh + 1);
        int ow = Math.max(1, (iw + 2 * pl - dw * (kw - 1) - 1) / sw + 1);
        while ((long) oh * ow * oc * asz > REGION) {
            if (oh >= ow) oh--; else ow--;
        }
        while ((long) ih * iw * ic * xsz > REGION) ih--;
        while ((long) oc * kh * kw * gic * xsz > REGION) kw--;
        int xzp = pick(3, 0, 20);
        boolean wzpv = coin(false);
        boolean accum = coin(false);
        if (wzpv) for (int o = 0; o < oc; o++) mem.putInt(P + 4 * o, r.nextInt(7) - 3);
        set("ex", "ih", ih, "iw", iw, "ic", ic, "oh", oh, "ow", ow, "oc", oc, "kh", kh, "kw", kw, "sh", sh, "sw", sw,
                "dh", dh, "dw", dw, "pt", pt, "pl", pl, "gic", gic, "goc", goc, "xzp", xzp, "wzp", pick(0, -2, 2),
                "wza", hex(P));
        line("ex.conv x=" + hex(A) + " w=" + hex(B) + " acc=" + hex(D) + " xt=" + xt + " wt=" + wt + " accum=" + (accum ? 1 : 0)
                + " a64=" + (a64 ? 1 : 0) + " wzpv=" + (wzpv ? 1 : 0) + " wait=0 signal=1");
        return String.format(Locale.ROOT, "convolution %dx%dx%d -> %dx%dx%d, kernel %dx%d, stride %d/%d, dilation %d/%d, "
                + "padding %d/%d, %d group(s), %s x %s%s%s%s", ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, groups,
                xt, wt, accum ? ", accumulate" : "", a64 ? ", 64-bit accumulators" : "", wzpv ? ", per-channel weight zero points" : "");
    }

    private String requant() {
        boolean intMode = coin(false);
        boolean signed = coin(false);
        int c = pick(3, 1, 8);
        int n = pick(4, 1, 16);
        int apitch = c + pick(0, 0, 2);
        int opitch = c + pick(1, 0, 2);
        for (int i = 0; i < n * apitch; i++) mem.putInt(A + 4 * i, directed ? (i * 977 % 20001) - 10000 : r.nextInt(200001) - 100000);
        for (int ch = 0; ch < c; ch++) {
            mem.putInt(P + 12 * ch, directed ? 100 * ch - 50 : r.nextInt(2001) - 1000);
            if (intMode) {
                mem.putInt(P + 12 * ch + 4, (1 << 30) + (directed ? 12345 * ch : r.nextInt(1 << 30)));
                mem.putInt(P + 12 * ch + 8, directed ? 38 : 32 + r.nextInt(10));
            } else {
                mem.putInt(P + 12 * ch + 4, fbits(directed ? 0.0125f * (ch + 1) : (float) (0.001 + 0.02 * r.nextDouble())));
                mem.putInt(P + 12 * ch + 8, 0);
            }
        }
        int qmin = signed ? -128 : 0;
        int qmax = signed ? 127 : 255;
        set("pp", "n", n, "c", c, "apitch", apitch, "opitch", opitch, "ozp", pick(5, signed ? -10 : 0, 10), "qmin", qmin, "qmax", qmax);
        line("pp.requant acc=" + hex(A) + " prm=" + hex(P) + " out=" + hex(D) + " ot=" + (signed ? "s8" : "u8") + " mode="
                + (intMode ? "int" : "f32") + " a64=0 wait=0 signal=1");
        return String.format(Locale.ROOT, "requantization of %d pixels x %d channels (pitches %d/%d) to %s, %s mode", n, c, apitch,
                opitch, signed ? "s8" : "u8", intMode ? "int" : "f32");
    }

    private String quant() {
        int c = pick(2, 1, 4);
        int inner = pick(3, 1, 4);
        int n = pick(24, 1, 200);
        boolean signed = coin(false);
        for (int i = 0; i < n; i++) mem.putFloat(A + 4 * i, directed ? (i - 12) * 0.37f : (float) (r.nextDouble() * 20 - 10));
        for (int ch = 0; ch < c; ch++) {
            mem.putInt(P + 8 * ch, fbits(directed ? 0.05f * (ch + 1) : (float) (0.01 + 0.2 * r.nextDouble())));
            mem.putInt(P + 8 * ch + 4, directed ? 10 * ch : r.nextInt(signed ? 21 : 256) - (signed ? 10 : 0));
        }
        set("pp", "n", n, "c", c, "inner", inner);
        line("pp.quant src=" + hex(A) + " prm=" + hex(P) + " dst=" + hex(D) + " ot=" + (signed ? "s8" : "u8") + " wait=0 signal=1");
        return String.format(Locale.ROOT, "QuantizeLinear of %d float32 elements, %d channels of %d, to %s", n, c, inner, signed ? "s8" : "u8");
    }

    private String dequant() {
        int c = pick(2, 1, 4);
        int inner = pick(3, 1, 4);
        int n = pick(24, 1, 200);
        String it = directed ? "u8" : new String[] {"u8", "s8", "u16", "s16"}[r.nextInt(4)];
        for (int ch = 0; ch < c; ch++) {
            mem.putInt(P + 8 * ch, fbits(directed ? 0.05f * (ch + 1) : (float) (0.01 + 0.2 * r.nextDouble())));
            mem.putInt(P + 8 * ch + 4, directed ? 10 * ch : r.nextInt(21) - 10);
        }
        set("pp", "n", n, "c", c, "inner", inner);
        line("pp.dequant src=" + hex(A) + " prm=" + hex(P) + " dst=" + hex(D) + " it=" + it + " wait=0 signal=1");
        return String.format(Locale.ROOT, "DequantizeLinear of %d %s elements, %d channels of %d, to float32", n, it, c, inner);
    }

    private String pool(boolean avg) {
        int c = pick(3, 1, 4);
        int kh = pick(2, 1, 3);
        int kw = pick(2, 1, 3);
        int sh = pick(2, 1, 2);
        int sw = pick(2, 1, 2);
        int dh = avg ? 1 : pick(1, 1, 2);
        int dw = avg ? 1 : pick(1, 1, 2);
        int ih = pick(6, 2, 8);
        int iw = pick(6, 2, 8);
        int pt = pick(0, 0, 1);
        int pl = pick(0, 0, 1);
        while (ih * iw * c > REGION) ih--;
        int oh = Math.max(1, (ih + 2 * pt - dh * (kh - 1) - 1) / sh + 1);
        int ow = Math.max(1, (iw + 2 * pl - dw * (kw - 1) - 1) / sw + 1);
        set("pp", "c", c, "ih", ih, "iw", iw, "oh", oh, "ow", ow, "kh", kh, "kw", kw, "sh", sh, "sw", sw, "dh", dh, "dw", dw,
                "pt", pt, "pl", pl);
        String m = avg ? "pp.avgpool" : "pp.maxpool";
        if (avg) {
            set("pp", "xs", fbits(directed ? 0.02f : (float) (0.005 + 0.05 * r.nextDouble())),
                    "ys", fbits(directed ? 0.025f : (float) (0.005 + 0.05 * r.nextDouble())),
                    "xzp", pick(3, 0, 20), "ozp", pick(2, 0, 20), "qmin", 0, "qmax", 255, "cip", pick(0, 0, 1));
        }
        line(m + " src=" + hex(A) + " dst=" + hex(D) + " dt=u8 wait=0 signal=1");
        return String.format(Locale.ROOT, "%s %dx%dx%d -> %dx%d, window %dx%d, stride %d/%d, dilation %d/%d, padding %d/%d", m,
                ih, iw, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl);
    }

    private String add(boolean mul) {
        boolean intMode = coin(false);
        boolean bscalar = !directed && r.nextInt(3) == 0;
        int n = pick(64, 1, 512);
        int bmod = !directed && !bscalar && r.nextInt(3) == 0 ? 1 + r.nextInt(8) : 0;
        String m = mul ? "pp.mul" : "pp.add";
        if (intMode) {
            int ma = (1 << 30) + pick(1000, 0, 1 << 29);
            int mb = (1 << 30) + pick(2000, 0, 1 << 29); // drawn for pp.mul too, so the random sequence stays the same
            int shift = pick(31, 30, 38);
            if (mul) {
                set("pp", "mm", ma, "msh", shift, "azp", pick(3, 0, 20), "bzp", pick(5, 0, 20), "ozp", pick(7, 0, 20));
            } else {
                set("pp", "fa", ma, "fb", mb, "fk", shift, "azp", pick(3, 0, 20), "bzp", pick(5, 0, 20), "ozp", pick(7, 0, 20));
            }
        } else if (mul) {
            set("pp", "mm", fbits(directed ? 0.75f : (float) (0.05 + r.nextDouble())), "azp", pick(3, 0, 20), "bzp", pick(5, 0, 20),
                    "ozp", pick(7, 0, 20));
        } else {
            set("pp", "fa", fbits(directed ? 0.6f : (float) (0.1 + r.nextDouble())), "fb", fbits(directed ? 0.4f : (float) (0.1 + r.nextDouble())),
                    "fk", fbits(directed ? 2.5f : (float) (r.nextDouble() * 20 - 10)));
        }
        set("pp", "n", n, "qmin", 0, "qmax", 255, "bmod", bmod);
        line(m + " a=" + hex(A) + " b=" + hex(B) + " dst=" + hex(D) + " at=u8 bt=u8 ot=u8 mode=" + (intMode ? "int" : "f32")
                + " bscalar=" + (bscalar ? 1 : 0) + " wait=0 signal=1");
        return String.format(Locale.ROOT, "%s of %d u8 elements, %s mode%s%s", m, n, intMode ? "int" : "f32",
                bscalar ? ", scalar B" : "", bmod > 0 ? ", B repeats every " + bmod : "");
    }

    private String lut() {
        int n = pick(256, 1, 1024);
        if (directed) for (int i = 0; i < 256; i++) mem.put(B + i, (byte) (255 - i));
        set("pp", "n", n);
        line("pp.lut src=" + hex(A) + " tbl=" + hex(B) + " dst=" + hex(D) + " it=u8 ot=u8 wait=0 signal=1");
        return "table lookup of " + n + " u8 elements" + (directed ? " (table: 255 - x)" : " (random table)");
    }

    private String softmax() {
        int c = pick(10, 1, 32);
        int n = pick(4, 1, REGION / c);
        float xs = directed ? 0.1f : (float) (0.01 + 0.2 * r.nextDouble());
        for (int i = 0; i < 256; i++) mem.putFloat(B + 4 * i, (float) Math.exp((i - 255) * (double) xs));
        set("pp", "n", n, "c", c, "yinv", fbits(256f), "ozp", 0);
        line("pp.softmax src=" + hex(A) + " exp=" + hex(B) + " dst=" + hex(D) + " dt=u8 wait=0 signal=1");
        return String.format(Locale.ROOT, "softmax over %d rows of %d u8 elements, input scale %s, output scale 1/256", n, c, xs);
    }

    private String softmaxFloat() {
        int c = pick(10, 1, 32);
        int n = pick(4, 1, REGION / (2 * c));
        float xs = directed ? 0.001f : (float) (0.0001 + 0.002 * r.nextDouble());
        set("pp", "n", n, "c", c, "xs", fbits(xs), "xzp", 0, "ys", fbits(1f / 65536), "ozp", 0, "qmin", 0, "qmax", 65535);
        line("pp.softmaxf src=" + hex(A) + " dst=" + hex(D) + " it=s16 ot=u16 wait=0 signal=1");
        return String.format(Locale.ROOT, "float softmax over %d rows of %d s16 elements, input scale %s, output u16 scale 1/65536",
                n, c, xs);
    }

    private String lrn() {
        int c = pick(16, 1, 32);
        int n = pick(4, 1, REGION / c);
        int size = 2 * pick(2, 0, 3) + 1;
        float xs = directed ? 0.1f : (float) (0.01 + 0.2 * r.nextDouble());
        float ys = directed ? 0.05f : (float) (0.01 + 0.2 * r.nextDouble());
        float alpha = directed ? 1e-4f : (float) (1e-4 + r.nextDouble());
        float beta = directed ? 0.75f : (float) (0.5 + 0.5 * r.nextDouble());
        int xzp = pick(3, 0, 20);
        int ozp = pick(128, 0, 255);
        set("pp", "n", n, "c", c, "lsize", size, "lalpha", fbits(alpha / size), "lbeta", fbits(beta), "lbias", fbits(1f),
                "xs", fbits(xs), "xzp", xzp, "ys", fbits(ys), "ozp", ozp, "qmin", 0, "qmax", 255);
        line("pp.lrn src=" + hex(A) + " dst=" + hex(D) + " it=u8 ot=u8 wait=0 signal=1");
        return String.format(Locale.ROOT, "LRN across %d u8 channels of %d pixels, window %d, alpha %s, beta %s, bias 1", c, n, size,
                alpha, beta);
    }
}
