package dev.cnnip.program;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Disassembler;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Text views of a program. {@link #instructions} is the readable disassembly (pc, engine and layer as
 * comments); {@link #full} is a complete listing — directives for the machine, DRAM segments (hex),
 * symbols, layers, source map, then the instructions — that {@link ProgramAssembler} turns back into
 * the same program.
 */
public final class ProgramListing {
    private static final int HEX_PER_LINE = 64;

    private ProgramListing() {}

    /** One line per instruction: the canonical assembly text, then {@code ; pc engine layer} as a comment. */
    public static String instructions(Program p) {
        List<Insn> insns = InsnCodec.decodeAll(p.code());
        StringBuilder sb = new StringBuilder();
        int width = 0;
        for (Insn i : insns) width = Math.max(width, Disassembler.format(i).length());
        for (int pc = 0; pc < insns.size(); pc++) {
            String text = Disassembler.format(insns.get(pc));
            sb.append(text).append(" ".repeat(width - text.length() + 2)).append("; ").append(pc).append(' ')
                    .append(insns.get(pc).engine().label());
            p.sourceFor(pc).filter(e -> e.layer() >= 0).ifPresent(e -> sb.append(" L").append(e.layer()).append(' ')
                    .append(p.layers().get(e.layer()).name()).append(e.tile() >= 0 ? " tile " + e.tile() : ""));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A listing that assembles back into the same program. */
    public static String full(Program p) {
        StringBuilder sb = new StringBuilder();
        sb.append("; cnnip program listing (").append(p.toolVersion()).append(")\n");
        sb.append(".tool ").append(ListingTokens.quote(p.toolVersion())).append('\n');
        if (!p.modelName().isEmpty() || !p.modelSha256().isEmpty()) {
            sb.append(".model ").append(ListingTokens.quote(p.modelName())).append(' ')
                    .append(p.modelSha256().isEmpty() ? "\"\"" : p.modelSha256()).append('\n');
        }
        sb.append(".numerics ").append(p.numerics().name().toLowerCase(Locale.ROOT)).append('\n');
        appendHw(sb, p.hwConfig());
        sb.append(".dram ").append(p.dramSize()).append('\n');
        HexFormat hex = HexFormat.of();
        for (DramSegment s : p.segments()) {
            sb.append(".segment ").append(ListingTokens.quote(s.name())).append(String.format(" 0x%x %d%n", s.address(), s.size()));
            byte[] d = s.data();
            for (int i = 0; i < d.length; i += HEX_PER_LINE) {
                sb.append(".data ").append(hex.formatHex(d, i, Math.min(d.length, i + HEX_PER_LINE))).append('\n');
            }
        }
        for (LayerInfo l : p.layers()) {
            sb.append(".layer ").append(ListingTokens.quote(l.name())).append(" op=").append(ListingTokens.quote(l.op()))
                    .append(" macs=").append(l.macs());
            l.nodes().forEach(n -> sb.append(" node=").append(ListingTokens.quote(n)));
            l.inputs().forEach(n -> sb.append(" in=").append(ListingTokens.quote(n)));
            l.outputs().forEach(n -> sb.append(" out=").append(ListingTokens.quote(n)));
            sb.append('\n');
        }
        for (Symbol s : p.symbols()) {
            sb.append(".symbol ").append(ListingTokens.quote(s.name())).append(" kind=").append(s.kind().name().toLowerCase(Locale.ROOT))
                    .append(" dtype=").append(s.dtype().shortName()).append(" shape=").append(dims(s.shape()))
                    .append(" layout=").append(s.layout()).append(" phys=").append(dims(s.physicalShape()))
                    .append(String.format(" addr=0x%x bytes=%d", s.address(), s.bytes()));
            if (s.scale().length > 0) {
                sb.append(" scale=").append(floats(s.scale()));
            }
            if (s.zeroPoint().length > 0) {
                sb.append(" zp=").append(java.util.Arrays.stream(s.zeroPoint()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            }
            if (s.axis() != 0) sb.append(" axis=").append(s.axis());
            sb.append(" layer=").append(s.layer()).append('\n');
        }
        for (String in : p.inputs()) sb.append(".input ").append(ListingTokens.quote(in)).append('\n');
        for (String out : p.outputs()) sb.append(".output ").append(ListingTokens.quote(out)).append('\n');
        for (SourceEntry e : p.sourceMap()) {
            sb.append(".source ").append(e.insn()).append(" layer=").append(e.layer()).append(" tile=").append(e.tile())
                    .append(" note=").append(ListingTokens.quote(e.note())).append('\n');
        }
        for (Insn i : InsnCodec.decodeAll(p.code())) sb.append(Disassembler.format(i)).append('\n');
        return sb.toString();
    }

    /** The machine as its canonical JSON on one line (JSON ignores the folded line breaks). */
    private static void appendHw(StringBuilder sb, HwConfig hw) {
        sb.append(".hw ").append(hw.toCanonicalJson().replace("\n", " ").trim()).append('\n');
    }

    static String dims(int[] s) {
        if (s.length == 0) return "scalar";
        return java.util.Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static String floats(float[] f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(String.format("0x%08x", Float.floatToRawIntBits(f[i])));
        }
        return sb.toString();
    }

}
