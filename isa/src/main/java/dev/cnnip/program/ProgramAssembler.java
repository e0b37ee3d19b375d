package dev.cnnip.program;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.AsmException;
import dev.cnnip.isa.Assembler;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import dev.cnnip.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles a program listing: instructions (see {@link Assembler}) and directives.
 * <pre>
 * .tool NAME                  tool version recorded (default "cnnip asm")
 * .model NAME SHA256          source model
 * .numerics ort|hw            requantization arithmetic (default ort)
 * .hw PRESET|FILE|{json}      machine (default: the caller's); .set key=value overrides it
 * .dram BYTES                 DRAM size (default: end of the highest segment or symbol, 4 KiB aligned)
 * .segment NAME ADDR [SIZE]   starts a DRAM segment; .data HEX… appends bytes to it
 * .symbol NAME kind=input|output|activation|weight|param dtype=uint8 shape=1x3x8x8 layout=NHWC
 *         [phys=1x8x8x3] addr=0x1000 [bytes=N] [scale=0x3dcccccd,…] [zp=3,…] [axis=1] [layer=-1]
 * .layer NAME op=OP [macs=N] [node=…]… [in=…]… [out=…]…
 * .input NAME / .output NAME  program inputs and outputs, in order
 * .source INSN layer=L tile=T note=TEXT
 * </pre>
 * Errors are {@link AsmException}s naming the line. A listing that is cut short or inconsistent is
 * rejected: segment data shorter or longer than the {@code .segment} line's SIZE, no instructions, or no
 * {@code finish}.
 */
public final class ProgramAssembler {
    private ProgramAssembler() {}

    public static Program assemble(String text, HwConfig defaultHw) {
        String tool = "cnnip asm";
        String modelName = "";
        String modelSha = "";
        Numerics numerics = Numerics.ORT;
        HwConfig hw = defaultHw;
        long dram = -1;
        Map<String, ByteArrayOutputStream> segData = new LinkedHashMap<>();
        Map<String, Long> segAddr = new LinkedHashMap<>();
        Map<String, long[]> segDeclared = new LinkedHashMap<>(); // name -> {declared size, line of .segment}
        String curSeg = null;
        List<Symbol> symbols = new ArrayList<>();
        List<LayerInfo> layers = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<SourceEntry> source = new ArrayList<>();
        List<Insn> code = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int ln = 1; ln <= lines.length; ln++) {
            String raw = lines[ln - 1];
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith(";") || trimmed.startsWith("#")) continue;
            if (!trimmed.startsWith(".")) {
                code.add(Assembler.parseLine(trimmed, ln));
                continue;
            }
            try {
                if (trimmed.startsWith(".hw ")) {
                    String arg = trimmed.substring(4).strip();
                    hw = arg.startsWith("{") ? HwConfig.fromCanonicalJson(arg) : HwConfig.load(arg);
                    continue;
                }
                List<String> t = ListingTokens.split(trimmed);
                String d = t.get(0);
                switch (d) {
                    case ".tool" -> tool = arg(t, 1, d);
                    case ".model" -> {
                        modelName = arg(t, 1, d);
                        modelSha = t.size() > 2 ? t.get(2) : "";
                    }
                    case ".numerics" -> numerics = switch (arg(t, 1, d)) {
                        case "ort" -> Numerics.ORT;
                        case "hw" -> Numerics.HW;
                        default -> throw new IllegalArgumentException("numerics must be ort or hw");
                    };
                    case ".set" -> hw = hw.withOverride(arg(t, 1, d));
                    case ".dram" -> dram = num(arg(t, 1, d));
                    case ".segment" -> {
                        curSeg = arg(t, 1, d);
                        if (segAddr.containsKey(curSeg)) throw new IllegalArgumentException("segment " + curSeg + " defined twice");
                        segAddr.put(curSeg, num(arg(t, 2, d)));
                        segData.put(curSeg, new ByteArrayOutputStream());
                        if (t.size() > 3) segDeclared.put(curSeg, new long[] {num(t.get(3)), ln});
                    }
                    case ".data" -> {
                        if (curSeg == null) throw new IllegalArgumentException(".data before any .segment");
                        for (int i = 1; i < t.size(); i++) segData.get(curSeg).writeBytes(hex(t.get(i)));
                    }
                    case ".symbol" -> symbols.add(symbol(t));
                    case ".layer" -> layers.add(layer(t, layers.size()));
                    case ".input" -> inputs.add(arg(t, 1, d));
                    case ".output" -> outputs.add(arg(t, 1, d));
                    case ".source" -> {
                        Map<String, List<String>> kv = keys(t, 2);
                        source.add(new SourceEntry((int) num(arg(t, 1, d)), (int) num(one(kv, "layer", "-1")),
                                (int) num(one(kv, "tile", "-1")), one(kv, "note", "")));
                    }
                    default -> throw new IllegalArgumentException("unknown directive " + d);
                }
            } catch (AsmException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new AsmException(ln, e.getMessage());
            }
        }
        checkComplete(lines, code, segData, segDeclared);
        List<DramSegment> segments = new ArrayList<>();
        long end = 0;
        for (Map.Entry<String, Long> e : segAddr.entrySet()) {
            byte[] data = segData.get(e.getKey()).toByteArray();
            segments.add(new DramSegment(e.getKey(), e.getValue(), data));
            end = Math.max(end, e.getValue() + data.length);
        }
        for (Symbol s : symbols) end = Math.max(end, s.address() + s.bytes());
        if (dram < 0) dram = (end + 4095) / 4096 * 4096;
        Program.Builder b = Program.builder(tool, hw, numerics).code(InsnCodec.encodeAll(code)).dramSize(dram)
                .model(modelName, modelSha);
        segments.forEach(b::segment);
        symbols.forEach(b::symbol);
        layers.forEach(b::layer);
        source.forEach(b::source);
        inputs.forEach(b::input);
        outputs.forEach(b::output);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new AsmException(0, "invalid program: " + e.getMessage());
        }
    }

    /**
     * Rejects a listing that is cut short or inconsistent: a segment whose {@code .data} lines give fewer
     * or more bytes than its {@code .segment} line declares, no instructions, or no {@code finish} (the
     * full listing ends with the instructions, so a truncated file loses its {@code finish} first).
     */
    private static void checkComplete(String[] lines, List<Insn> code, Map<String, ByteArrayOutputStream> segData,
                                      Map<String, long[]> segDeclared) {
        for (Map.Entry<String, long[]> e : segDeclared.entrySet()) {
            long declared = e.getValue()[0];
            int given = segData.get(e.getKey()).size();
            if (given != declared) {
                throw new AsmException((int) e.getValue()[1], "segment '" + e.getKey() + "' declares " + declared
                        + " bytes but its .data lines give " + given + (given < declared ? " (the listing is cut short?)" : ""));
            }
        }
        int last = lines.length;
        while (last > 1 && lines[last - 1].isBlank()) last--;
        if (code.isEmpty()) throw new AsmException(last, "the listing ends without any instruction (cut short?)");
        if (code.stream().noneMatch(i -> i.op() == Opcode.FINISH)) {
            throw new AsmException(last, "the listing ends without a 'finish' instruction (cut short?)");
        }
    }

    /** The bytes of one {@code .data} hex word. */
    private static byte[] hex(String word) {
        if (word.length() % 2 != 0) {
            throw new IllegalArgumentException(".data word of " + word.length() + " hex digits, not whole bytes (the line is cut short?)");
        }
        try {
            return HexFormat.of().parseHex(word);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(".data word '" + shorten(word) + "' is not hexadecimal");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }

    private static Symbol symbol(List<String> t) {
        String name = arg(t, 1, ".symbol");
        Map<String, List<String>> kv = keys(t, 2);
        DType dtype = dtype(req(kv, "dtype"));
        int[] shape = dims(req(kv, "shape"));
        int[] phys = kv.containsKey("phys") ? dims(one(kv, "phys", "")) : shape;
        long addr = num(req(kv, "addr"));
        long bytes = kv.containsKey("bytes") ? num(one(kv, "bytes", "0")) : dev.cnnip.tensor.Tensor.numElements(phys) * dtype.size();
        float[] scale = new float[0];
        if (kv.containsKey("scale")) {
            String[] parts = one(kv, "scale", "").split(",");
            scale = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                scale[i] = parts[i].startsWith("0x") ? Float.intBitsToFloat((int) Long.parseLong(parts[i].substring(2), 16))
                        : Float.parseFloat(parts[i]);
            }
        }
        int[] zp = new int[0];
        if (kv.containsKey("zp")) {
            String[] parts = one(kv, "zp", "").split(",");
            zp = new int[parts.length];
            for (int i = 0; i < parts.length; i++) zp[i] = Integer.parseInt(parts[i]);
        }
        SymbolKind kind = SymbolKind.valueOf(req(kv, "kind").toUpperCase(Locale.ROOT));
        return new Symbol(name, dtype, shape, one(kv, "layout", "ROW_MAJOR"), phys, addr, bytes, scale, zp,
                (int) num(one(kv, "axis", "0")), kind, (int) num(one(kv, "layer", "-1")));
    }

    private static LayerInfo layer(List<String> t, int index) {
        Map<String, List<String>> kv = keys(t, 2);
        return new LayerInfo(index, arg(t, 1, ".layer"), one(kv, "op", "?"), kv.getOrDefault("node", List.of()),
                kv.getOrDefault("in", List.of()), kv.getOrDefault("out", List.of()), num(one(kv, "macs", "0")));
    }

    private static DType dtype(String s) {
        for (DType d : DType.values()) if (d.shortName().equals(s)) return d;
        throw new IllegalArgumentException("unknown dtype '" + s + "'");
    }

    private static int[] dims(String s) {
        if (s.equals("scalar")) return new int[0];
        String[] p = s.split("x");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) out[i] = Integer.parseInt(p[i]);
        return out;
    }

    private static Map<String, List<String>> keys(List<String> t, int from) {
        Map<String, List<String>> kv = new LinkedHashMap<>();
        for (int i = from; i < t.size(); i++) {
            int eq = t.get(i).indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got '" + t.get(i) + "'");
            kv.computeIfAbsent(t.get(i).substring(0, eq), k -> new ArrayList<>()).add(t.get(i).substring(eq + 1));
        }
        return kv;
    }

    private static String one(Map<String, List<String>> kv, String key, String dflt) {
        List<String> v = kv.get(key);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    private static String req(Map<String, List<String>> kv, String key) {
        List<String> v = kv.get(key);
        if (v == null) throw new IllegalArgumentException("missing " + key + "=");
        return v.get(v.size() - 1);
    }

    private static String arg(List<String> t, int i, String directive) {
        if (t.size() <= i) throw new IllegalArgumentException(directive + " needs an argument");
        return t.get(i);
    }

    private static long num(String s) {
        String v = s.replace("_", "");
        boolean neg = v.startsWith("-");
        if (neg) v = v.substring(1);
        long r = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        return neg ? -r : r;
    }
}
