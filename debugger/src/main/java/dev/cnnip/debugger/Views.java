package dev.cnnip.debugger;

import dev.cnnip.debugger.Out.Style;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.emulator.timing.EngineStats;
import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.timing.PerfText;
import dev.cnnip.isa.Disassembler;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Isa;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text views of the console's commands. */
final class Views {
    private Views() {}

    // ---- execution ----

    static void stop(Console.Ctx x, Session.Stop s) {
        List<RetireEvent> r = s.retired();
        if (s.kind() == Session.StopKind.INTERRUPTED) x.out.println(""); // past the terminal's echoed ^C
        if (s.kind() == Session.StopKind.STEPPED || s.count() <= 3) {
            if (s.count() > r.size()) x.out.println(x.out.style(Style.DIM, "... " + (s.count() - r.size()) + " more before"));
            for (RetireEvent e : r) x.out.println(retired(x, e));
        } else if (!r.isEmpty()) {
            x.out.println(x.out.style(Style.DIM, s.count() + " instructions; last: ") + retired(x, r.get(r.size() - 1)));
        }
        if (!s.message().isEmpty()) {
            x.out.println(s.kind() == Session.StopKind.FAULT ? x.out.style(Style.ERROR, s.message())
                    : x.out.style(Style.STOP, s.message()));
        }
        MachineState st = x.session.machine().state();
        if (s.kind() != Session.StopKind.STEPPED || st.finished()) {
            x.out.println("at cycle " + st.cycle() + ", " + st.retired() + " instructions retired" + (st.currentLayer() >= 0
                    ? ", in layer " + st.currentLayer() + " '" + x.session.program().layers().get(st.currentLayer()).name() + "'" : ""));
        }
    }

    /** {@code [12] cycle 340..402  ex  pc 45  ex.conv …  (layer 3 'relu2', tile 0)}. */
    static String retired(Console.Ctx x, RetireEvent e) {
        return String.format(Locale.ROOT, "[%d] cycle %d..%d  %-3s pc %-5d %s%s", e.seq(), e.start(), e.end(), e.engine().label(),
                e.pc(), Disassembler.format(e.insn()), x.out.style(Style.DIM, x.session.annotation(e.pc())));
    }

    // ---- stop points ----

    static void added(Console.Ctx x, StopPoint p) {
        x.out.println((p.isWatch() ? "watchpoint " : "breakpoint ") + p.id + ": " + p.describe());
    }

    static void points(Console.Ctx x) {
        if (x.session.points().isEmpty()) {
            x.out.println("no breakpoints or watchpoints");
            return;
        }
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %-11s %-8s %6s  %s", "id", "type", "enabled", "hits", "what")));
        for (StopPoint p : x.session.points()) {
            x.out.println(String.format(Locale.ROOT, "%-4d %-11s %-8s %6d  %s", p.id, p.isWatch() ? "watchpoint" : "breakpoint",
                    p.enabled ? "yes" : "no", p.hits, p.describe()));
        }
    }

    // ---- inspection ----

    static void engines(Console.Ctx x) {
        MachineState st = x.session.machine().state();
        int next = x.session.machine().peekNext();
        long depth = x.session.program().hwConfig().queueDepth();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %6s  %-24s %-9s %s", "eng", "pc", "head", "queue",
                "state")));
        for (Engine e : Engine.values()) {
            List<MachineState.Queued> q = st.queue(e);
            String head = q.isEmpty() ? "-" : q.get(0).insn().op().mnemonic();
            String state;
            if (q.isEmpty()) {
                state = st.fetchDone() ? "done" : "idle (queue empty)";
            } else {
                Insn insn = q.get(0).insn();
                StringJoiner waits = new StringJoiner(", ");
                for (int s = 0; s < Isa.SEMAPHORES; s++) {
                    if ((insn.waitMask() & (1 << s)) != 0 && st.semaphore(s) <= 0) waits.add("s" + s + "=" + st.semaphore(s));
                }
                state = waits.length() > 0 ? "waiting on " + waits : q.get(0).pc() == next ? "ready (next)" : "ready";
            }
            x.out.println(String.format(Locale.ROOT, "%-4s %6s  %-24s %-9s %s", e.label(), st.pc(e) < 0 ? "-" : Integer.toString(st.pc(e)),
                    head, q.size() + "/" + depth, state));
        }
        x.out.println("fetch pc " + st.fetchPc() + (st.fetchDone() ? " (done)" : "") + ", cycle " + st.cycle() + ", "
                + st.retired() + " retired" + (st.finished() ? ", finished" : ""));
    }

    static void semaphores(Console.Ctx x) {
        MachineState st = x.session.machine().state();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-4s %6s  %s", "sem", "value", "waited on by (queue heads)")));
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            StringJoiner w = new StringJoiner(", ");
            for (Engine e : Engine.values()) {
                List<MachineState.Queued> q = st.queue(e);
                if (!q.isEmpty() && (q.get(0).insn().waitMask() & (1 << s)) != 0) w.add(e.label() + " pc " + q.get(0).pc());
            }
            x.out.println(String.format(Locale.ROOT, "s%-3d %6d  %s", s, st.semaphore(s), w.length() == 0 ? "" : w.toString()).stripTrailing());
        }
    }

    static void layers(Console.Ctx x) {
        Recorder r = x.session.recorder();
        PerfReport perf = x.session.machine().perfReport();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%3s  %-28s %-18s %-8s %10s", "#", "layer", "op", "status", "cycles")));
        for (LayerInfo l : x.session.program().layers()) {
            String status = r.layerEnd[l.index()] >= 0 ? "done" : r.layerBegin[l.index()] >= 0 ? "running" : "pending";
            long cycles = perf.layers().stream().filter(s -> s.index() == l.index()).mapToLong(LayerStats::cycles).findFirst().orElse(0);
            x.out.println(String.format(Locale.ROOT, "%3d  %-28s %-18s %-8s %10d", l.index(), l.name(), l.op(), status, cycles));
        }
    }

    static void sram(Console.Ctx x) {
        Recorder r = x.session.recorder();
        long size = x.session.machine().state().sram().size();
        if (r.sram.isEmpty()) {
            x.out.println("sram: " + size + " bytes; nothing moved by DMA yet");
            return;
        }
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%-23s %8s  %s", "sram range", "bytes", "last DMA")));
        long used = 0;
        for (Recorder.Region g : r.sram.values()) {
            used += g.end() - g.start();
            x.out.println(String.format(Locale.ROOT, "[0x%06x, 0x%06x) %8d  %s by %s pc %d%s", g.start(), g.end(), g.end() - g.start(),
                    g.what(), x.session.machine().instructions().get(g.pc()).engine().label(), g.pc(), x.session.annotation(g.pc())));
        }
        x.out.println(String.format(Locale.ROOT, "%d of %d bytes last touched by DMA (only DMA is tracked: an ex/pp result "
                + "shows up once a store reads it)", used, size));
    }

    static void disas(Console.Ctx x, List<String> a) {
        List<Insn> code = x.session.machine().instructions();
        int next = x.session.machine().peekNext();
        int n = a.size() > 1 ? (int) Args.count(a.get(1), "count") : 12;
        int from = a.isEmpty() ? Math.max(0, (next < 0 ? code.size() : next) - 3) : Args.pc(x, a.get(0));
        MachineState st = x.session.machine().state();
        Program p = x.session.program();
        SourceEntry shown = null;
        for (int pc = from; pc < Math.min(code.size(), from + n); pc++) {
            Optional<SourceEntry> se = p.sourceFor(pc);
            if (se.isPresent() && se.get() != shown && se.get().layer() >= 0) {
                shown = se.get();
                LayerInfo l = p.layers().get(shown.layer());
                x.out.println(x.out.style(Style.DIM, "; layer " + l.index() + " '" + l.name() + "' (" + l.op() + ")"
                        + (shown.tile() >= 0 ? " tile " + shown.tile() : "")));
            }
            Insn insn = code.get(pc);
            x.out.println(String.format(Locale.ROOT, "%2s %5d  %s", mark(st, pc, insn, next), pc, Disassembler.format(insn)));
        }
    }

    private static String mark(MachineState st, int pc, Insn insn, int next) {
        if (pc == next) return "=>";
        for (MachineState.Queued q : st.queue(insn.engine())) if (q.pc() == pc) return "*";
        if (pc < st.fetchPc()) return "-";
        return "";
    }

    static void examine(Console.Ctx x, List<String> a) {
        String usage = "usage: x/<n><fmt> sram|dram <address|tensor>, e.g. x/32xb sram 0x100";
        if (a.size() != 3) throw new UserError(usage);
        String f = a.get(0);
        int i = 0;
        while (i < f.length() && Character.isDigit(f.charAt(i))) i++;
        long count = i == 0 ? 16 : Args.count(f.substring(0, i), "unit count");
        char fmt = 'x';
        int size = 0;
        for (char ch : f.substring(i).toCharArray()) {
            switch (ch) {
                case 'x', 'd', 'u', 'f' -> fmt = ch;
                case 'b' -> size = 1;
                case 'h' -> size = 2;
                case 'w' -> size = 4;
                default -> throw new UserError("bad format '" + f + "': letters x d u f (format) and b h w (size)");
            }
        }
        if (size == 0) size = fmt == 'f' ? 4 : 1;
        if (fmt == 'f' && size != 4) throw new UserError("format f needs size w (4 bytes)");
        boolean sram = Args.choice(a.get(1), "sram", "dram").equals("sram");
        long addr = Args.address(x, a.get(2), sram);
        MemoryView m = x.session.memory(sram);
        long bytes = count * size;
        if (!m.contains(addr, bytes)) {
            throw new UserError(String.format(Locale.ROOT, "[0x%x, +%d) lies outside %s (%d bytes)", addr, bytes, a.get(1), m.size()));
        }
        int perLine = Math.max(1, 16 / size);
        for (long k = 0; k < count; k += perLine) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s 0x%08x:", a.get(1), addr + k * size));
            for (long j = k; j < Math.min(count, k + perLine); j++) {
                long ad = addr + j * size;
                long v = switch (size) {
                    case 1 -> fmt == 'd' ? m.s8(ad) : m.u8(ad);
                    case 2 -> fmt == 'd' ? m.s16(ad) : m.u16(ad);
                    default -> fmt == 'd' || fmt == 'f' ? m.s32(ad) : m.s32(ad) & 0xFFFF_FFFFL;
                };
                sb.append(' ').append(switch (fmt) {
                    case 'x' -> String.format(Locale.ROOT, "%0" + (2 * size) + "x", v);
                    case 'f' -> String.format(Locale.ROOT, "%.6g", Float.intBitsToFloat((int) v));
                    default -> Long.toString(v);
                });
            }
            x.out.println(sb.toString());
        }
    }

    // ---- tensors ----

    /** A tensor reference parsed from {@code name[slice]} and the mode words. */
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

    /**
     * A symbol's logical value from DRAM. Weights stored {@code OHWI} (logical OIHW) use the same axis
     * permutation as {@code NHWC} activations, so they are read as such.
     */
    static Tensor logical(Console.Ctx x, Symbol s) {
        Symbol view = s;
        if (s.layout().equals("OHWI")) {
            view = new Symbol(s.name(), s.dtype(), s.shape(), "NHWC", s.physicalShape(), s.address(), s.bytes(), s.scale(),
                    s.zeroPoint(), s.axis(), s.kind(), s.layer());
        }
        try {
            return dev.cnnip.emulator.Layouts.toLogical(view, x.session.machine().state().dram().read(view.address(),
                    dev.cnnip.emulator.Layouts.physicalBytes(view)));
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
                + "  " + s.kind().name().toLowerCase(Locale.ROOT) + " in dram @0x" + Long.toHexString(s.address()) + ", "
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
        for (Symbol o : x.session.program().symbols()) {
            if (o != s && o.layer() > s.layer() && o.address() < s.end() && s.address() < o.end()
                    && o.layer() < r.layerBegin.length && r.layerBegin[o.layer()] >= 0
                    && !x.session.program().layers().get(o.layer()).inputs().contains(s.name()) && !o.name().equals(s.name())
                    && o.bytes() != s.bytes()) {
                return "note: its DRAM buffer is shared with '" + o.name() + "' (layer " + o.layer() + "), which may have overwritten it";
            }
        }
        return "";
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

    // ---- comparison ----

    static void compare(Console.Ctx x, List<String> a) {
        ReferenceProvider ref = x.session.reference();
        if (!ref.hasQuantized() && !ref.hasFloat()) {
            throw new UserError("compare needs a reference model: start with --model FLOAT.onnx and/or --quantized-model Q.onnx");
        }
        Recorder r = x.session.recorder();
        List<LayerInfo> layers = new ArrayList<>();
        if (a.isEmpty() || a.get(0).equals("all")) {
            for (LayerInfo l : x.session.program().layers()) if (r.layerEnd[l.index()] >= 0) layers.add(l);
            if (layers.isEmpty()) throw new UserError("compare: no layer has ended yet (try 'until layer 1' or 'continue')");
        } else {
            LayerInfo l = Args.layer(x, a.get(0));
            if (r.layerEnd[l.index()] < 0) throw new UserError("compare: layer " + l.index() + " '" + l.name() + "' has not ended yet");
            layers.add(l);
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (LayerInfo l : layers) for (String o : l.outputs()) if (x.session.program().symbol(o).isPresent()) names.add(o);
        Map<String, Tensor> q = ref.hasQuantized() ? ref.quantized(names) : Map.of();
        Map<String, Tensor> f = ref.hasFloat() ? ref.floating(names) : Map.of();
        x.out.println(x.out.style(Style.HEAD, String.format(Locale.ROOT, "%3s  %-26s %-26s %10s %9s %12s", "#", "tensor",
                "vs quantized (ORT)", "SQNR dB", "cosine", "max|err|")));
        TensorMetrics metrics = x.session.metrics();
        for (LayerInfo l : layers) {
            for (String o : l.outputs()) {
                if (!names.contains(o)) continue;
                Symbol s = x.session.program().symbol(o).orElseThrow();
                byte[] atEnd = r.outputsAtEnd.get(o);
                Tensor sim = atEnd != null ? dev.cnnip.emulator.Layouts.toLogical(s, atEnd) : x.session.machine().readSymbol(o);
                String vq = "-";
                Tensor rq = q.get(o);
                if (rq != null) {
                    if (!java.util.Arrays.equals(rq.shape(), sim.shape())) {
                        vq = "shape " + java.util.Arrays.toString(rq.shape());
                    } else {
                        long mism = 0;
                        double max = 0;
                        for (int i = 0; i < sim.size(); i++) {
                            double d = Math.abs(sim.getDouble(i) - rq.getDouble(i));
                            if (d != 0) mism++;
                            max = Math.max(max, d);
                        }
                        vq = mism == 0 ? x.out.style(Style.GOOD, "exact") + " ".repeat(x.out.colour() ? 0 : 0)
                                : x.out.style(Style.ERROR, mism + "/" + sim.size() + " differ, max " + fmt(max));
                    }
                } else if (ref.hasQuantized()) {
                    vq = "(not in model)";
                }
                String sq = "-";
                String cos = "-";
                String mx = "-";
                Tensor rf = f.get(o);
                if (rf != null && rf.size() == sim.size()) {
                    Tensor deq = s.isQuantized() ? TensorText.dequantize(s, sim) : sim;
                    TensorMetrics.Result m = metrics.measure(deq.toFloatArray(), rf.toFloatArray());
                    sq = fmt(m.sqnrDb());
                    cos = String.format(Locale.ROOT, "%.6f", m.cosine());
                    mx = String.format(Locale.ROOT, "%.4g", m.maxAbsErr());
                }
                String plainVq = vq;
                int pad = Math.max(0, 26 - strip(plainVq).length());
                x.out.println(String.format(Locale.ROOT, "%3d  %-26s %s%s %10s %9s %12s", l.index(), o, vq, " ".repeat(pad), sq, cos, mx));
            }
        }
    }

    private static String strip(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    private static String fmt(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    // ---- timing ----

    static void stats(Console.Ctx x, List<String> a) {
        PerfReport r = x.session.machine().perfReport();
        if (a.isEmpty()) {
            x.out.println(PerfText.render(r).stripTrailing());
            return;
        }
        LayerInfo l = Args.layer(x, Args.one(a, "stats [layer]"));
        LayerStats s = r.layers().stream().filter(ls -> ls.index() == l.index()).findFirst()
                .orElseThrow(() -> new UserError("stats: layer " + l.index() + " '" + l.name() + "' has not run yet"));
        x.out.println(String.format(Locale.ROOT, "layer %d '%s' (%s): %d instructions, cycles %d..%d = %d, %d MACs, %d DRAM bytes",
                l.index(), l.name(), l.op(), s.instructions(), s.start(), s.end(), s.cycles(), s.macs(), s.dramBytes()));
        x.out.println(String.format(Locale.ROOT, "MAC utilisation %.2f %%; roofline: T_mac %d, T_dram %d, bound %d cycles, limited by %s%s",
                100 * s.macUtilisation(), s.tMac(), s.tDram(), s.bound(), s.limit(),
                x.session.recorder().layerEnd[l.index()] < 0 ? " (layer still running: figures so far)" : ""));
    }

    static void timeline(Console.Ctx x, List<String> a) {
        Recorder r = x.session.recorder();
        long t0 = 0;
        long t1 = x.session.machine().state().cycle();
        String title = "whole run so far";
        if (!a.isEmpty()) {
            LayerInfo l = Args.layer(x, Args.one(a, "timeline [layer]"));
            LayerStats s = x.session.machine().perfReport().layers().stream().filter(ls -> ls.index() == l.index()).findFirst()
                    .orElseThrow(() -> new UserError("timeline: layer " + l.index() + " '" + l.name() + "' has not run yet"));
            t0 = s.start();
            t1 = s.end();
            title = "layer " + l.index() + " '" + l.name() + "'";
        }
        if (t1 <= t0) {
            x.out.println("timeline: nothing has run yet");
            return;
        }
        int width = 64;
        double per = (double) (t1 - t0) / width;
        x.out.println(String.format(Locale.ROOT, "%s: cycles %d..%d, %.1f cycles per column ('#' busy over half the column, '+' partly, '.' idle)",
                title, t0, t1, per));
        for (Engine e : Engine.values()) {
            int k = e.ordinal();
            double[] busy = new double[width];
            long total = 0;
            for (int i = 0; i < r.counts[k]; i++) {
                long s = Math.max(t0, r.starts[k][i]);
                long en = Math.min(t1, r.ends[k][i]);
                if (en <= s) continue;
                total += en - s;
                int c0 = (int) Math.min(width - 1, (s - t0) / per);
                int c1 = (int) Math.min(width - 1, (en - 1 - t0) / per);
                for (int c = c0; c <= c1; c++) {
                    double cs = t0 + c * per;
                    double ce = cs + per;
                    busy[c] += Math.min(ce, en) - Math.max(cs, s);
                }
            }
            StringBuilder bar = new StringBuilder();
            for (double b : busy) bar.append(b >= per / 2 ? '#' : b > 0 ? '+' : '.');
            x.out.println(String.format(Locale.ROOT, "%-4s |%s| %5.1f%%", e.label(), bar, 100.0 * total / (t1 - t0)));
        }
    }

    // ---- help ----

    static void help(Console.Ctx x, List<String> a) {
        List<Cmd> cmds = x.console.commands();
        if (a.isEmpty()) {
            x.out.println("commands (help <command> for details; an empty line repeats step, stepi, continue, disas and x):");
            for (Cmd c : cmds) x.out.println(String.format(Locale.ROOT, "  %-62s %s", c.synopsis(), c.summary()));
            return;
        }
        String w = a.get(0).startsWith("x/") ? "x" : a.get(0);
        Cmd c = x.console.find(w);
        x.out.println(c.synopsis() + (c.aliases().isEmpty() ? "" : "   (also: " + String.join(", ", c.aliases()) + ")"));
        x.out.println("  " + c.summary());
        if (!c.details().isEmpty()) x.out.println("  " + c.details());
        for (Cmd s : c.subs()) x.out.println(String.format(Locale.ROOT, "  %-44s %s", c.name() + " " + s.synopsis(), s.summary()));
    }
}
