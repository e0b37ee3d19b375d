package dev.cnnip.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.DramSegment;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramAssembler;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code cnnip vectors verify}: checks a vector set against its manifest and against a fresh run of the
 * instruction-set simulator built from the vectors alone ({@code program/program.s} for the machine,
 * symbols, layers and source map, {@code program/insn.bin} for the code, {@code dram/init.bin} for the
 * initial DRAM); and compares a device-under-test dump with the vectors.
 */
public final class VectorVerifier {
    private VectorVerifier() {}

    /**
     * The outcome: {@code ok} and the report lines (first problem first).
     *
     * @param ok    no mismatch
     * @param lines what was checked and what differs
     */
    public record Report(boolean ok, List<String> lines) {
        public Report {
            lines = List.copyOf(lines);
        }
    }

    /** The vector sets in {@code dir}: itself when it holds a manifest, else its {@code seed-*} subfolders. */
    static List<Path> sets(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such folder");
        if (Files.isRegularFile(dir.resolve(VectorBuilder.MANIFEST))) return List.of(dir);
        List<Path> out;
        try (Stream<Path> s = Files.list(dir)) {
            out = s.filter(q -> Files.isRegularFile(q.resolve(VectorBuilder.MANIFEST))).sorted().toList();
        }
        if (out.isEmpty()) {
            throw new IOException(dir + ": no " + VectorBuilder.MANIFEST + " (not a vector set, or an interrupted export)");
        }
        return out;
    }

    /** Verifies every vector set in {@code dir}. */
    public static Report verify(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        List<Path> sets = sets(dir);
        for (Path set : sets) {
            Report r = verifySet(set);
            ok &= r.ok();
            if (sets.size() > 1) lines.add(dir.relativize(set) + ":");
            for (String l : r.lines()) lines.add((sets.size() > 1 ? "  " : "") + l);
        }
        return new Report(ok, lines);
    }

    private static Report verifySet(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode man = readManifest(dir);
        Map<String, JsonNode> listed = new TreeMap<>();
        long bytes = 0;
        for (JsonNode f : man.get("files")) {
            String path = f.get("path").asText();
            listed.put(path, f);
            Path file = dir.resolve(path);
            if (!Files.isRegularFile(file)) {
                problems.add("missing file " + path);
                continue;
            }
            byte[] b = Files.readAllBytes(file);
            bytes += b.length;
            if (b.length != f.get("bytes").asLong() || !Manifests.sha256(b).equals(f.get("sha256").asText())) {
                problems.add(path + ": contents differ from the manifest's size and SHA-256 (" + b.length + " bytes)");
            }
        }
        Program p = rebuild(dir, man);
        if (!p.hwConfig().hash().equals(man.get("hw_config_hash").asText())) {
            problems.add("program/program.s: machine hash " + p.hwConfig().hash() + " differs from the manifest's "
                    + man.get("hw_config_hash").asText());
        }
        VectorOptions opts = options(man);
        VectorBuilder.Built b = VectorBuilder.build(p, m -> {}, opts, man.get("inputs"));
        for (Map.Entry<String, byte[]> e : b.files().entrySet()) {
            JsonNode f = listed.get(e.getKey());
            if (f == null) {
                problems.add(e.getKey() + ": produced by the re-run but not in the manifest");
            } else if (!Manifests.sha256(e.getValue()).equals(f.get("sha256").asText())) {
                problems.add(e.getKey() + ": the re-run gives different contents" + firstDifference(man, e.getKey(),
                        e.getValue(), dir));
            }
        }
        for (String path : listed.keySet()) {
            if (!b.files().containsKey(path)) problems.add(path + ": in the manifest but not produced by the re-run");
        }
        // Through text and back, so numbers compare by value whatever node type the parser picked.
        JsonNode again = Manifests.parse(new String(Manifests.write(b.manifest()), StandardCharsets.UTF_8), "re-run manifest");
        for (String key : List.of("tensors", "layers", "expected_cycles", "instruction_count", "retired_instructions")) {
            if (!again.get(key).equals(man.get(key))) problems.add("manifest '" + key + "' differs from the re-run's");
        }
        List<String> lines = new ArrayList<>();
        if (problems.isEmpty()) {
            lines.add(String.format(Locale.ROOT, "%s: %d files (%,d bytes) match the manifest's SHA-256; the ISS re-run from "
                    + "program/program.s, insn.bin and dram/init.bin reproduces all of them (%d layers, %d tensors, "
                    + "%,d cycles)", dir, listed.size(), bytes, man.get("layers").size(), man.get("tensors").size(),
                    man.get("expected_cycles").asLong()));
        } else {
            lines.add(dir + ": " + problems.size() + " problem(s); first: " + problems.get(0));
            for (int i = 1; i < Math.min(problems.size(), 20); i++) lines.add("  " + problems.get(i));
            if (problems.size() > 20) lines.add("  … " + (problems.size() - 20) + " more");
        }
        return new Report(problems.isEmpty(), lines);
    }

    /** For a tensor file that the re-run produced differently: where the first element differs. */
    private static String firstDifference(JsonNode man, String path, byte[] regenerated, Path dir) throws IOException {
        for (JsonNode t : man.get("tensors")) {
            for (String key : List.of("file", "hex", "bin", "npy")) {
                if (t.has(key) && t.get(key).asText().equals(path)) {
                    Tensor expected = decode(t, path, regenerated);
                    Path onDisk = dir.resolve(path);
                    if (!Files.isRegularFile(onDisk)) return "";
                    Tensor actual = decode(t, path, Files.readAllBytes(onDisk));
                    long[] ev = bits(expected);
                    long[] av = bits(actual);
                    for (int i = 0; i < Math.min(ev.length, av.length); i++) {
                        if (ev[i] != av[i]) {
                            return ": element " + Arrays.toString(SymbolTensors.coordinates(expected.shape(), i))
                                    + " is " + av[i] + " in the file, " + ev[i] + " in the re-run";
                        }
                    }
                }
            }
        }
        return "";
    }

    static JsonNode readManifest(Path dir) throws IOException {
        Path mf = dir.resolve(VectorBuilder.MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new IOException(dir + ": no " + VectorBuilder.MANIFEST + " (not a vector set, or an interrupted export)");
        }
        JsonNode man = Manifests.parse(Files.readString(mf, StandardCharsets.UTF_8), mf.toString());
        for (String key : List.of("schema_version", "files", "tensors", "layers", "options", "hw_config_hash")) {
            if (!man.has(key)) throw new IOException(mf + ": no '" + key + "' (not a cnnip vectors manifest)");
        }
        if (man.get("schema_version").asInt() != VectorBuilder.SCHEMA_VERSION) {
            throw new IOException(mf + ": schema version " + man.get("schema_version").asInt() + ", this tool reads "
                    + VectorBuilder.SCHEMA_VERSION);
        }
        return man;
    }

    /** The program from the vectors alone: listing (without DRAM), code and initial DRAM image. */
    static Program rebuild(Path dir, JsonNode man) throws IOException {
        String listing = Files.readString(dir.resolve(VectorBuilder.LISTING), StandardCharsets.UTF_8);
        Program meta = ProgramAssembler.assemble(listing, HwConfig.defaults());
        byte[] code = Files.readAllBytes(dir.resolve(VectorBuilder.INSN_BIN));
        byte[] init = Files.readAllBytes(dir.resolve(VectorBuilder.DRAM_INIT));
        if (init.length != meta.dramSize()) {
            throw new IOException(dir.resolve(VectorBuilder.DRAM_INIT) + ": " + init.length + " bytes, the program's DRAM is "
                    + meta.dramSize());
        }
        return new Program(meta.toolVersion(), code, meta.dramSize(), List.of(new DramSegment("init", 0, init)),
                meta.symbols(), meta.sourceMap(), meta.layers(), meta.numerics(), meta.hwConfig(), meta.modelName(),
                meta.modelSha256(), meta.inputs(), meta.outputs());
    }

    static VectorOptions options(JsonNode man) {
        List<String> layers = new ArrayList<>();
        man.get("options").get("layers").forEach(n -> layers.add(n.asText()));
        List<String> f = new ArrayList<>();
        man.get("options").get("formats").forEach(n -> f.add(n.asText()));
        Set<VectorOptions.Encoding> formats = VectorOptions.parseFormats(String.join(",", f));
        return new VectorOptions(layers, formats);
    }

    /** A tensor file's contents in the dtype and shape of its manifest entry. */
    static Tensor decode(JsonNode entry, String path, byte[] b) {
        DType dt = DType.valueOf(entry.get("dtype").asText().toUpperCase(Locale.ROOT));
        int[] shape = new int[entry.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = entry.get("shape").get(i).asInt();
        long n = Tensor.numElements(shape);
        if (path.endsWith(".npy")) {
            Tensor t = Npy.fromBytes(b);
            if (t.dtype() != dt || !Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(path + ": " + t.dtype().name().toLowerCase(Locale.ROOT)
                        + Arrays.toString(t.shape()) + ", the manifest says " + dt.name().toLowerCase(Locale.ROOT)
                        + Arrays.toString(shape));
            }
            return t;
        }
        if (path.endsWith(".bin")) {
            if (b.length != n * dt.size()) {
                throw new IllegalArgumentException(path + ": " + b.length + " bytes, expected " + n * dt.size());
            }
            return new Tensor(dt, shape, b.clone());
        }
        List<ReadMemH.Word> words = ReadMemH.parse(new String(b, StandardCharsets.US_ASCII), path);
        if (words.size() != n) throw new IllegalArgumentException(path + ": " + words.size() + " words, expected " + n);
        return ReadMemH.tensor(words, dt, shape);
    }

    // ---- device-under-test dumps ----

    /** Per-layer mismatch counts. */
    private static final class LayerCount {
        final String name;
        final Map<String, long[]> perTensor = new LinkedHashMap<>();

        LayerCount(String name) {
            this.name = name;
        }
    }

    /**
     * Compares a device dump laid out like the vectors (any subset of the files; tensors as {@code .npy},
     * {@code .bin} or {@code .hex} next to where the vectors have them) with the vector set {@code dir}.
     */
    public static Report compareDut(Path dir, Path dump) throws IOException {
        if (!Files.isDirectory(dump)) throw new IOException(dump + ": no such folder");
        JsonNode man = readManifest(dir);
        List<String> first = new ArrayList<>();
        Map<Integer, LayerCount> counts = new TreeMap<>();
        int comparedFiles = 0;
        long comparedElements = 0;
        long mismatches = 0;
        for (JsonNode t : man.get("tensors")) {
            String file = t.get("file").asText();
            String base = file.substring(0, file.lastIndexOf('.'));
            Path found = null;
            for (String ext : List.of(".npy", ".bin", ".hex")) {
                if (Files.isRegularFile(dump.resolve(base + ext))) {
                    found = dump.resolve(base + ext);
                    break;
                }
            }
            if (found == null) continue;
            comparedFiles++;
            Tensor expected = decode(t, file, Files.readAllBytes(dir.resolve(file)));
            String rel = base + found.toString().substring(found.toString().lastIndexOf('.'));
            Tensor actual;
            try {
                actual = decode(t, rel, Files.readAllBytes(found));
            } catch (IllegalArgumentException bad) {
                throw new IOException(dump.resolve(rel) + ": " + bad.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(rel) + ": ", ""));
            }
            long[] ev = bits(expected);
            long[] av = bits(actual);
            long bad = 0;
            for (int i = 0; i < ev.length; i++) {
                if (ev[i] == av[i]) continue;
                if (bad++ == 0 && first.isEmpty()) {
                    first.add(String.format(Locale.ROOT, "first mismatch: layer %d '%s', tensor '%s' (%s, %s), element %s: "
                                    + "expected %s, actual %s", t.get("layer_index").asInt(), t.get("layer").asText(),
                            t.get("name").asText(), t.get("role").asText(), rel,
                            Arrays.toString(SymbolTensors.coordinates(expected.shape(), i)),
                            show(expected, ev[i]), show(expected, av[i])));
                }
            }
            comparedElements += ev.length;
            mismatches += bad;
            counts.computeIfAbsent(t.get("layer_index").asInt(), k -> new LayerCount(t.get("layer").asText()))
                    .perTensor.put(t.get("role").asText() + " " + t.get("name").asText(), new long[] {bad, ev.length});
        }
        for (JsonNode l : man.get("layers")) {
            JsonNode s = l.get("sram");
            if (s == null || s.isNull()) continue;
            Path f = dump.resolve(s.get("file").asText());
            if (!Files.isRegularFile(f)) continue;
            comparedFiles++;
            long base = s.get("base").asLong();
            int len = s.get("bytes").asInt();
            byte[] exp = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(dir.resolve(s.get("file").asText()),
                    StandardCharsets.US_ASCII), s.get("file").asText()), base, len);
            byte[] act = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(f, StandardCharsets.US_ASCII), f.toString()), base, len);
            long bad = 0;
            for (int i = 0; i < len; i++) {
                if (exp[i] == act[i]) continue;
                if (bad++ == 0 && first.isEmpty()) {
                    first.add(String.format(Locale.ROOT, "first mismatch: layer %d '%s', SRAM at layer end (%s), byte 0x%x: "
                            + "expected 0x%02x, actual 0x%02x", l.get("index").asInt(), l.get("name").asText(),
                            s.get("file").asText(), base + i, exp[i] & 0xFF, act[i] & 0xFF));
                }
            }
            comparedElements += len;
            mismatches += bad;
            counts.computeIfAbsent(l.get("index").asInt(), k -> new LayerCount(l.get("name").asText()))
                    .perTensor.put("sram", new long[] {bad, len});
        }
        String dramNote = compareDram(dir, dump, man, first);
        if (dramNote != null) comparedFiles++;
        if (comparedFiles == 0) {
            throw new IOException(dump + ": none of the vector set's tensor, SRAM or DRAM files is there (expected e.g. "
                    + man.get("tensors").get(0).get("file").asText() + ")");
        }
        List<String> lines = new ArrayList<>();
        boolean ok = first.isEmpty();
        if (ok) {
            lines.add(String.format(Locale.ROOT, "%s matches %s: %d files, %,d elements compared, no mismatch", dump, dir,
                    comparedFiles, comparedElements));
        } else {
            lines.addAll(first);
            lines.add(String.format(Locale.ROOT, "%,d of %,d elements differ in %d compared files; per layer:", mismatches,
                    comparedElements, comparedFiles));
        }
        for (Map.Entry<Integer, LayerCount> e : counts.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %03d %-28s", e.getKey(), e.getValue().name));
            long total = 0;
            for (long[] c : e.getValue().perTensor.values()) total += c[0];
            sb.append(String.format(Locale.ROOT, " %,d mismatches", total));
            if (total > 0) {
                for (Map.Entry<String, long[]> t : e.getValue().perTensor.entrySet()) {
                    if (t.getValue()[0] > 0) sb.append(String.format(Locale.ROOT, "; %s: %,d of %,d", t.getKey(), t.getValue()[0], t.getValue()[1]));
                }
            }
            if (!ok) lines.add(sb.toString());
        }
        if (dramNote != null && !dramNote.isEmpty()) lines.add(dramNote);
        return new Report(ok, lines);
    }

    /** Compares {@code dram/final.bin} or {@code .hex} when the dump has it; null when absent, "" when equal. */
    private static String compareDram(Path dir, Path dump, JsonNode man, List<String> first) throws IOException {
        byte[] exp = Files.readAllBytes(dir.resolve("dram/final.bin"));
        byte[] act;
        if (Files.isRegularFile(dump.resolve("dram/final.bin"))) {
            act = Files.readAllBytes(dump.resolve("dram/final.bin"));
        } else if (Files.isRegularFile(dump.resolve("dram/final.hex"))) {
            act = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(dump.resolve("dram/final.hex"), StandardCharsets.US_ASCII),
                    "dram/final.hex"), 0, exp.length);
        } else {
            return null;
        }
        long bad = 0;
        int firstAt = -1;
        for (int i = 0; i < exp.length; i++) {
            if (i >= act.length || exp[i] != act[i]) {
                if (bad++ == 0) firstAt = i;
            }
        }
        if (bad == 0) return "";
        String where = String.format(Locale.ROOT, "byte 0x%x", firstAt);
        Program p = rebuild(dir, man);
        for (Symbol s : p.symbols()) {
            if (firstAt >= s.address() && firstAt < s.end()) {
                where += " in symbol '" + s.name() + "'" + logicalIndex(s, firstAt);
                break;
            }
        }
        String line = String.format(Locale.ROOT, "final DRAM: %,d of %,d bytes differ; first at %s: expected 0x%02x, actual 0x%02x",
                bad, exp.length, where, exp[firstAt] & 0xFF, firstAt < act.length ? act[firstAt] & 0xFF : 0);
        if (first.isEmpty()) first.add("first mismatch: " + line);
        return line;
    }

    private static String logicalIndex(Symbol s, long addr) {
        long phys = (addr - s.address()) / s.dtype().size();
        try {
            long[] off = SymbolTensors.offsets(s);
            for (int i = 0; i < off.length; i++) {
                if (off[i] == phys) return " element " + Arrays.toString(SymbolTensors.coordinates(s.shape(), i));
            }
            return " (padding)";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Element values for comparison: integers as their value, float32 as its raw bits (so NaN and −0 compare exactly). */
    static long[] bits(Tensor t) {
        if (t.dtype() != DType.FLOAT32) return t.toLongArray();
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = Float.floatToRawIntBits(t.getFloat(i));
        return out;
    }

    private static String show(Tensor t, long v) {
        return t.dtype() == DType.FLOAT32 ? Float.toString(Float.intBitsToFloat((int) v)) + " (0x" + Integer.toHexString((int) v) + ")"
                : Long.toString(v);
    }
}
