package dev.cnnip.debugger;

import dev.cnnip.debugger.Out.Style;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tensor views: {@code tensor} and {@code dump}, by name or over raw memory. */
final class TensorViews {
    private TensorViews() {}

    /** A tensor reference parsed from {@code name[slice]} (or {@code name [slice]}) and the mode words. */
    private record TensorArg(Symbol symbol, Slice slice, boolean dequant, boolean stats, boolean hist) {}

    private static TensorArg tensorArg(Console.Ctx x, String spec, List<String> words) {
        int b = spec.indexOf('[');
        String name = b < 0 ? spec : spec.substring(0, b);
        Slice slice = b < 0 ? Slice.all() : Slice.parse(spec.substring(b));
        Symbol s = Args.symbol(x, name);
        boolean dequant = false;
        boolean stats = false;
        boolean hist = false;
        for (String w : words) {
            // the slice may follow the name after a space, as in `tensor x [0,3,:4,:4]`
            if (w.startsWith("[") && b < 0) {
                slice = Slice.parse(w);
                continue;
            }
            switch (Args.choice(w, "raw", "dequant", "stats", "hist")) {
                case "dequant" -> dequant = true;
                case "stats" -> stats = true;
                case "hist" -> hist = true;
                default -> dequant = false;
            }
        }
        return new TensorArg(s, slice, dequant, stats, hist);
    }

    /** The tensor's logical value now, dequantized if asked, then sliced. */
    private static Tensor value(Console.Ctx x, TensorArg t) {
        Tensor v = logical(x, t.symbol());
        if (t.dequant()) v = TensorText.dequantize(t.symbol(), v);
        return t.slice().apply(v);
    }

    /** A symbol's logical value from DRAM (or the machine's copy of an SRAM-only one), in any layout. */
    static Tensor logical(Console.Ctx x, Symbol s) {
        if (s.kind() == dev.cnnip.program.SymbolKind.SRAM_ACTIVATION) {
            // Kept in SRAM only (never stored to DRAM): the machine's copy from when its last writer retired.
            try {
                return x.session.machine().readSymbol(s.name());
            } catch (IllegalStateException e) {
                throw new UserError(Terminal.oneLine(e));
            }
        }
        try {
            return dev.cnnip.emulator.Layouts.toLogical(s, x.session.machine().state().dram().read(s.address(),
                    dev.cnnip.emulator.Layouts.physicalBytes(s)));
        } catch (IllegalArgumentException e) {
            throw new UserError("tensor '" + s.name() + "' cannot be shown in its logical layout (" + Terminal.oneLine(e)
                    + "); 'x/16xb dram " + s.name() + "' shows its bytes");
        }
    }

    static void tensor(Console.Ctx x, List<String> a) {
        if (a.isEmpty()) throw new UserError("usage: tensor <name|layer>[slice] [raw|dequant] [stats|hist]");
        if (a.get(0).equals("sram") || a.get(0).equals("dram")) {
            memoryTensor(x, a);
            return;
        }
        TensorArg t = tensorArg(x, a.get(0), a.subList(1, a.size()));
        Tensor v = value(x, t);
        Symbol s = t.symbol();
        x.out.println(x.out.style(Style.HEAD, s.name() + t.slice().toString().replace("[]", "") + ": "
                + v.dtype().shortName() + java.util.Arrays.toString(v.shape()).replace(" ", "") + (t.dequant() ? " (dequantized)" : "")
                + "  " + s.kind().name().toLowerCase(Locale.ROOT) + (inSram(s) ? " in sram @0x" : " in dram @0x")
                + Long.toHexString(s.address()) + ", "
                + s.layout() + java.util.Arrays.toString(s.physicalShape()).replace(" ", "")
                + (s.isQuantized() ? ", scale " + fmtScale(s) : "")));
        String note = freshness(x, s);
        if (!note.isEmpty()) x.out.println(x.out.style(Style.STOP, note));
        if (!t.stats() && !t.hist()) x.out.println(TensorText.format(v));
        if (t.stats()) x.out.println(TensorText.formatStats(v));
        if (t.hist()) x.out.println(TensorText.histogram(v, 16));
    }

    /**
     * {@code tensor sram|dram <address> as <dtype>[shape][slice] [NHWC|ROW_MAJOR] [stats|hist]}: raw memory viewed
     * as a tensor, e.g. an SRAM tile before it is stored ({@code tensor sram 0x1000 as u8[1,16,8,8] NHWC}).
     */
    private static void memoryTensor(Console.Ctx x, List<String> a) {
        String usage = "usage: tensor sram|dram <address> as <dtype>[shape][slice] [NHWC|ROW_MAJOR] [stats|hist], "
                + "e.g. tensor sram 0x1000 as u8[1,16,8,8] NHWC";
        if (a.size() < 4 || !a.get(2).equals("as")) throw new UserError(usage);
        boolean sram = a.get(0).equals("sram");
        long addr = Args.address(x, a.get(1), sram);
        Matcher m = Pattern.compile("([a-z0-9]+)\\[([0-9,]+)\\](\\[.*\\])?").matcher(a.get(3));
        if (!m.matches()) throw new UserError("bad type '" + a.get(3) + "': expected <dtype>[d0,d1,...], e.g. u8[1,16,8,8]");
        dev.cnnip.tensor.DType dt = switch (m.group(1)) {
            case "u8", "uint8" -> dev.cnnip.tensor.DType.UINT8;
            case "s8", "i8", "int8" -> dev.cnnip.tensor.DType.INT8;
            case "u16", "uint16" -> dev.cnnip.tensor.DType.UINT16;
            case "s16", "i16", "int16" -> dev.cnnip.tensor.DType.INT16;
            case "s32", "i32", "int32" -> dev.cnnip.tensor.DType.INT32;
            case "f32", "float32" -> dev.cnnip.tensor.DType.FLOAT32;
            default -> throw UserError.unknown("dtype", m.group(1), List.of("u8", "s8", "u16", "s16", "s32", "f32"));
        };
        int[] shape = java.util.Arrays.stream(m.group(2).split(",")).mapToInt(d -> (int) Args.number(d, "dimension")).toArray();
        Slice slice = m.group(3) == null ? Slice.all() : Slice.parse(m.group(3));
        String layout = "ROW_MAJOR";
        boolean stats = false;
        boolean hist = false;
        for (String w : a.subList(4, a.size())) {
            switch (Args.choice(w, "NHWC", "ROW_MAJOR", "stats", "hist")) {
                case "NHWC" -> layout = "NHWC";
                case "ROW_MAJOR" -> layout = "ROW_MAJOR";
                case "stats" -> stats = true;
                default -> hist = true;
            }
        }
        if (layout.equals("NHWC") && shape.length != 4) throw new UserError("NHWC needs a rank-4 NCHW shape, got " + shape.length);
        int[] phys = layout.equals("NHWC") ? new int[] {shape[0], shape[2], shape[3], shape[1]} : shape.clone();
        long bytes = Tensor.numElements(shape) * dt.size();
        MemoryView mem = x.session.memory(sram);
        if (!mem.contains(addr, bytes)) {
            throw new UserError(String.format(Locale.ROOT, "[0x%x, +%d) lies outside %s (%d bytes)", addr, bytes, a.get(0), mem.size()));
        }
        Symbol view = new Symbol("view", dt, shape, layout, phys, addr, bytes, new float[0], new int[0], 0,
                dev.cnnip.program.SymbolKind.ACTIVATION, -1);
        Tensor v = slice.apply(dev.cnnip.emulator.Layouts.toLogical(view, mem.read(addr, (int) bytes)));
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%s 0x%x as %s%s %s: %s%s", a.get(0), addr,
                dt.shortName(), java.util.Arrays.toString(shape).replace(" ", ""), layout, v.dtype().shortName(),
                java.util.Arrays.toString(v.shape()).replace(" ", ""))));
        if (!stats && !hist) x.out.println(TensorText.format(v));
        if (stats) x.out.println(TensorText.formatStats(v));
        if (hist) x.out.println(TensorText.histogram(v, 16));
    }

    private static String fmtScale(Symbol s) {
        float[] sc = s.scale();
        int[] zp = s.zeroPoint();
        if (sc.length == 1) return sc[0] + " zero point " + (zp.length == 0 ? 0 : zp[0]);
        return sc.length + " per-channel scales along axis " + s.axis();
    }

    /** A warning when the tensor's producing layer has not ended, or a later layer reused its buffer. */
    private static String freshness(Console.Ctx x, Symbol s) {
        Recorder r = x.session.recorder();
        if (s.layer() >= 0 && s.layer() < r.layerEnd.length && r.layerEnd[s.layer()] < 0) {
            LayerInfo l = x.session.program().layers().get(s.layer());
            return "note: layer " + l.index() + " '" + l.name() + "' has not " + (r.layerBegin[l.index()] >= 0 ? "ended" : "begun")
                    + " yet: these values are partial or stale";
        }
        // An SRAM-only tensor is read from the copy taken when its last writer retired: nothing overwrites that.
        if (inSram(s)) return "";
        for (Symbol o : x.session.program().symbols()) {
            if (o != s && !inSram(o) && o.layer() > s.layer() && o.address() < s.end() && s.address() < o.end()
                    && o.layer() < r.layerBegin.length && r.layerBegin[o.layer()] >= 0
                    && !x.session.program().layers().get(o.layer()).inputs().contains(s.name()) && !o.name().equals(s.name())
                    && o.bytes() != s.bytes()) {
                return "note: its DRAM buffer is shared with '" + o.name() + "' (layer " + o.layer() + "), which may have overwritten it";
            }
        }
        return "";
    }

    /** Whether {@code s} lives in SRAM only (its address is an SRAM address). */
    private static boolean inSram(Symbol s) {
        return s.kind() == dev.cnnip.program.SymbolKind.SRAM_ACTIVATION;
    }

    static void dump(Console.Ctx x, List<String> a) {
        if (a.size() < 2 || a.size() > 3) throw new UserError("usage: dump <name|layer>[slice] FILE.npy|.bin|.hex [raw|dequant]");
        List<String> words = a.size() == 3 ? List.of(Args.choice(a.get(2), "raw", "dequant")) : List.of();
        TensorArg t = tensorArg(x, a.get(0), words);
        Tensor v = value(x, t);
        Path file = Path.of(a.get(1));
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (lower.endsWith(".npy")) {
            bytes = Npy.toBytes(v);
        } else if (lower.endsWith(".bin")) {
            bytes = v.data();
        } else if (lower.endsWith(".hex")) {
            StringBuilder sb = new StringBuilder();
            int esz = v.dtype().size();
            byte[] d = v.data();
            for (int i = 0; i < v.size(); i++) {
                for (int k = esz - 1; k >= 0; k--) sb.append(String.format("%02x", d[i * esz + k] & 0xFF));
                sb.append('\n');
            }
            bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        } else {
            throw new UserError("dump: '" + file + "' must end in .npy, .bin or .hex");
        }
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new UserError("dump: cannot write '" + file + "': " + e.getMessage());
        }
        x.out.println("wrote " + file + ": " + v.dtype().shortName() + java.util.Arrays.toString(v.shape()).replace(" ", "")
                + (t.dequant() ? " (dequantized)" : "") + ", " + bytes.length + " bytes");
        String note = freshness(x, t.symbol());
        if (!note.isEmpty()) x.out.println(x.out.style(Style.STOP, note));
    }
}
