package dev.cnnip.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramListing;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs a program on the instruction-set simulator with the layer capture and builds the whole vector
 * set in memory: every file by relative path, and the manifest. Pure function of the program, the
 * initial DRAM and the options, so two builds give the same bytes.
 */
final class VectorBuilder {
    /** Manifest schema version. */
    static final int SCHEMA_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String LISTING = "program/program.s";
    static final String INSN_BIN = "program/insn.bin";
    static final String DRAM_INIT = "dram/init.bin";

    private VectorBuilder() {}

    /**
     * @param files    every file but the manifest, by relative path ({@code /} separators), sorted
     * @param manifest the manifest document
     * @param perf     the run's performance report
     * @param notes    what could not be exported, per layer
     */
    record Built(SortedMap<String, byte[]> files, ObjectNode manifest, PerfReport perf, List<String> notes) {
        long totalBytes() {
            return files.values().stream().mapToLong(b -> b.length).sum();
        }
    }

    /**
     * @param load   writes the inputs into the machine at reset (or nothing when the DRAM image already holds them)
     * @param inputs the manifest's {@code inputs} section (where each input came from), copied as is
     */
    static Built build(Program p, Consumer<Machine> load, VectorOptions opts, JsonNode inputs) {
        Set<Integer> selected = select(p, opts.layers());
        Machine m = new Machine(p, SimOptions.defaults(), "program");
        load.accept(m);
        int dramSize = Math.toIntExact(p.dramSize());
        byte[] init = m.state().dram().read(0, dramSize);
        LayerCapture capture = new LayerCapture(m, selected);
        CommitTrace trace = new CommitTrace();
        m.addListener(capture);
        m.addListener(trace);
        m.run();
        byte[] fin = m.state().dram().read(0, dramSize);
        PerfReport perf = m.perfReport();

        SortedMap<String, byte[]> files = new TreeMap<>();
        byte[] code = p.code();
        files.put(INSN_BIN, code);
        files.put("program/insn.hex", ReadMemH.instructions(code));
        files.put("program/insn.asm", utf8(ProgramListing.instructions(p)));
        files.put(LISTING, utf8(metadataListing(p)));
        files.put(DRAM_INIT, init);
        files.put("dram/final.bin", fin);
        if (opts.has(VectorOptions.Encoding.HEX)) {
            files.put("dram/init.hex", ReadMemH.memory(init, 0));
            files.put("dram/final.hex", ReadMemH.memory(fin, 0));
        }
        files.put("trace/commit.csv", trace.bytes());

        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode layersNode = f.arrayNode();
        ArrayNode tensorsNode = f.arrayNode();
        List<String> notes = new ArrayList<>();
        List<LayerVectors> captured = new ArrayList<>(capture.layers());
        captured.sort(Comparator.comparingInt(LayerVectors::index));
        for (LayerVectors lv : captured) {
            String dir = "layers/" + layerDir(lv.index(), lv.name());
            ObjectNode ln = layersNode.addObject();
            ln.put("index", lv.index());
            ln.put("name", lv.name());
            ln.put("op", lv.op());
            ln.put("dir", dir);
            if (lv.sram().length > 0) {
                ObjectNode sn = ln.putObject("sram");
                sn.put("file", dir + "/sram.hex");
                sn.put("base", lv.sramBase());
                sn.put("bytes", lv.sram().length);
                files.put(dir + "/sram.hex", ReadMemH.memory(lv.sram(), lv.sramBase()));
                if (opts.has(VectorOptions.Encoding.BIN)) files.put(dir + "/sram.bin", lv.sram());
            } else {
                ln.putNull("sram");
            }
            ArrayNode nn = ln.putArray("notes");
            for (String n : lv.notes()) {
                nn.add(n);
                notes.add("layer " + lv.index() + " '" + lv.name() + "': " + n);
            }
            Map<CapturedTensor.Role, Integer> perRole = new HashMap<>();
            lv.tensors().forEach(t -> perRole.merge(t.role(), 1, Integer::sum));
            Map<CapturedTensor.Role, Integer> seen = new HashMap<>();
            for (CapturedTensor t : lv.tensors()) {
                int k = seen.merge(t.role(), 1, Integer::sum) - 1;
                String base = dir + "/" + t.role().label() + (perRole.get(t.role()) > 1 ? "_" + k : "");
                ObjectNode tn = tensorsNode.addObject();
                tn.put("name", t.name());
                tn.put("layer", lv.name());
                tn.put("layer_index", lv.index());
                tn.put("role", t.role().label());
                tn.put("dtype", numpyName(t.tensor()));
                ArrayNode shape = tn.putArray("shape");
                for (int d : t.tensor().shape()) shape.add(d);
                tn.put("layout", t.layout());
                Symbol s = t.symbol();
                if (s != null) {
                    tn.put("address", s.address());
                    ArrayNode sc = tn.putArray("scale");
                    ArrayNode zp = tn.putArray("zero_point");
                    if (t.role() != CapturedTensor.Role.BIAS) {
                        for (float v : s.scale()) sc.add(v);
                        for (int v : s.zeroPoint()) zp.add(v);
                    }
                } else {
                    tn.putNull("address");
                    tn.putArray("scale");
                    tn.putArray("zero_point");
                }
                if (t.role() == CapturedTensor.Role.BIAS) tn.put("note", "column 0 (bias) of the {bias, mult, shift} table " + s.name());
                if (t.role() == CapturedTensor.Role.ACC) tn.put("note", "accumulators read by pp.requant, bias not added");
                String primary = null;
                for (VectorOptions.Encoding e : opts.formatList()) {
                    String path = base + "." + e.label();
                    files.put(path, switch (e) {
                        case NPY -> Npy.toBytes(t.tensor());
                        case HEX -> ReadMemH.tensor(t.tensor());
                        case BIN -> t.tensor().data().clone();
                    });
                    if (primary == null) {
                        primary = path;
                        tn.put("file", path);
                    } else {
                        tn.put(e.label(), path);
                    }
                }
            }
        }

        ObjectNode man = f.objectNode();
        man.put("schema_version", SCHEMA_VERSION);
        man.put("tool_version", p.toolVersion());
        man.put("model", p.modelName());
        man.put("model_sha256", p.modelSha256());
        man.put("numerics", p.numerics().name().toLowerCase(Locale.ROOT));
        man.put("hw_config_name", p.hwConfig().name());
        man.put("hw_config_hash", p.hwConfig().hash());
        man.set("hw_config", Manifests.parse(p.hwConfig().toCanonicalJson(), "hw config"));
        man.put("instruction_count", p.instructionCount());
        man.put("retired_instructions", perf.instructions());
        man.put("expected_cycles", perf.totalCycles());
        man.put("cycle_model", p.toolVersion() + " timing model (cycle-approximate)");
        man.put("dram_bytes", p.dramSize());
        man.set("inputs", inputs == null ? f.arrayNode() : inputs.deepCopy());
        ObjectNode on = man.putObject("options");
        ArrayNode ol = on.putArray("layers");
        opts.layers().forEach(ol::add);
        ArrayNode of = on.putArray("formats");
        opts.formatList().forEach(e -> of.add(e.label()));
        man.set("layers", layersNode);
        man.set("tensors", tensorsNode);
        ArrayNode fl = man.putArray("files");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            ObjectNode fe = fl.addObject();
            fe.put("path", e.getKey());
            fe.put("bytes", e.getValue().length);
            fe.put("sha256", Manifests.sha256(e.getValue()));
            fe.put("crc32", Manifests.crc32(e.getValue()));
        }
        return new Built(files, man, perf, notes);
    }

    /** Layer indices named by {@code names} (layer names or indices); null when empty (every layer). */
    static Set<Integer> select(Program p, List<String> names) {
        if (names.isEmpty()) return null;
        Set<Integer> out = new LinkedHashSet<>();
        for (String n : names) {
            String key = n.trim();
            LayerInfo l = p.layer(key).orElse(null);
            if (l == null && key.matches("\\d+") && Integer.parseInt(key) < p.layers().size()) {
                l = p.layers().get(Integer.parseInt(key));
            }
            if (l == null) {
                throw new IllegalArgumentException("no layer '" + key + "' in the program (" + p.layers().size()
                        + " layers, 0-" + (p.layers().size() - 1) + ")");
            }
            out.add(l.index());
        }
        return out;
    }

    /** {@code NNN_<name>} with characters other than letters, digits, {@code .}, {@code _} and {@code -} as {@code _}. */
    static String layerDir(int index, String name) {
        String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.length() > 80) clean = clean.substring(0, 80);
        return String.format(Locale.ROOT, "%03d_%s", index, clean);
    }

    /** The dtype as numpy names it: {@code uint8}, {@code int32}, {@code float32}, … */
    static String numpyName(Tensor t) {
        return t.dtype().name().toLowerCase(Locale.ROOT);
    }

    /**
     * The program's full listing without its DRAM segments: machine, layers, symbols, inputs, outputs,
     * source map and instructions. With {@code dram/init.bin} it rebuilds the program ({@code verify}).
     */
    static String metadataListing(Program p) {
        Program bare = new Program(p.toolVersion(), p.code(), p.dramSize(), List.of(), p.symbols(), p.sourceMap(),
                p.layers(), p.numerics(), p.hwConfig(), p.modelName(), p.modelSha256(), p.inputs(), p.outputs());
        return ProgramListing.full(bare);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
