package dev.cnnip.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineFault;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.DramSegment;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramAssembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code cnnip vectors --per-instruction}: unit vectors for every opcode of the ISA table, each a tiny
 * program on the {@code tiny} machine with its input memory and its expected memory.
 *
 * <p>Every program has the same frame: a prologue loads the DRAM window {@code [0, 4 KiB)} into SRAM
 * {@code [0, 4 KiB)} and signals s0; the body sets registers and runs the instruction under test, which
 * waits for s0 and signals s1; an epilogue (resetting the ST loop counts) stores the SRAM window to DRAM {@code [4 KiB, 8 KiB)} after s1,
 * then {@code finish}. DRAM {@code [8 KiB, 12 KiB)} is free for {@code st} under test. SRAM operand
 * regions: A {@code 0x000}, B {@code 0x400}, P (parameter tables) {@code 0x800}, D (results) {@code 0xC00}.
 *
 * <p>Per opcode: {@code directed/} (fixed, hand-chosen operands) and {@code random-NN/} (operands and data
 * from {@code SplittableRandom(seed)}). Each folder holds {@code program.s} (assembles with {@code cnnip asm}),
 * {@code insn.bin}, {@code insn.hex}, {@code dram_init.hex} (input memory), {@code dram_final.hex} and
 * {@code sram_final.hex} (expected memory: the whole DRAM, the SRAM window) and {@code vector.json}.
 * {@code trap} vectors expect the machine to stop with the trap's fault (in {@code vector.json}).
 */
public final class InstructionVectors {
    /** Bytes of the SRAM window a vector uses. */
    public static final int WINDOW = 4096;
    /** DRAM bytes of a vector program. */
    public static final int DRAM = 3 * WINDOW;
    /** The machine unit vectors run on. */
    public static final String HW = "tiny";

    private InstructionVectors() {}

    /**
     * @param vectors unit vectors written
     * @param opcodes opcodes covered
     * @param files   files written
     * @param bytes   their size
     */
    public record Summary(int vectors, int opcodes, int files, long bytes) {}

    /** One vector after its run. */
    record Built(UnitVector v, String listing, Program program, byte[] dramFinal, byte[] sramFinal, long cycles,
                 String fault) {}

    /** The vectors of every opcode: directed, then {@code random} seeded ones (seeds 1..random). */
    static List<UnitVector> all(int random) {
        List<UnitVector> out = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            out.add(UnitVectorGen.make(op, "directed", 0));
            for (int k = 1; k <= random; k++) {
                out.add(UnitVectorGen.make(op, String.format(Locale.ROOT, "random-%02d", k), k * 1_000_003L + op.code()));
            }
        }
        return out;
    }

    /** The assembly source of a vector: machine, DRAM image, prologue, body, epilogue. */
    static String listing(UnitVector v) {
        StringBuilder sb = new StringBuilder();
        sb.append("; cnnip unit vector: ").append(v.opcode().mnemonic()).append(' ').append(v.kind())
                .append(" (seed ").append(v.seed()).append("): ").append(v.what()).append('\n');
        sb.append(".tool \"cnnip vectors --per-instruction\"\n");
        sb.append(".hw ").append(HW).append('\n');
        sb.append(".dram ").append(DRAM).append('\n');
        sb.append(".segment input 0x0 ").append(v.dram().length).append('\n');
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < v.dram().length; i += 64) {
            sb.append(".data ").append(hex.formatHex(v.dram(), i, Math.min(v.dram().length, i + 64))).append('\n');
        }
        sb.append("; prologue: SRAM window <- DRAM [0, 4 KiB)\n");
        sb.append("ld.set esz=").append(WINDOW).append('\n');
        sb.append("ld dram=0x0 sram=0x0 signal=0\n");
        sb.append("; under test\n").append(v.body());
        sb.append("; epilogue: DRAM [4 KiB, 8 KiB) <- SRAM window\n");
        sb.append("st.set esz=").append(WINDOW).append(" n0=1\n");
        sb.append("st.set n1=1 n2=1\n");
        if (v.opcode() == Opcode.FINISH) {
            sb.append("st dram=0x").append(Integer.toHexString(WINDOW)).append(" sram=0x0 wait=1 signal=2\n");
            sb.append("finish wait=2\n");
        } else {
            sb.append("st dram=0x").append(Integer.toHexString(WINDOW)).append(" sram=0x0 wait=1\n");
            sb.append("finish\n");
        }
        return sb.toString();
    }

    static Built run(UnitVector v) {
        String text = listing(v);
        Program p = ProgramAssembler.assemble(text, HwConfig.preset(HW));
        return run(v, text, p);
    }

    private static Built run(UnitVector v, String text, Program p) {
        Machine m = new Machine(p, SimOptions.defaults().withMaxInstructions(10_000), v.opcode().mnemonic() + " " + v.kind());
        String fault = "";
        try {
            m.run();
        } catch (MachineFault f) {
            fault = f.getMessage();
        }
        return new Built(v, text, p, m.state().dram().read(0, DRAM), m.state().sram().read(0, WINDOW),
                m.perfReport().totalCycles(), fault);
    }

    /** Files of one vector by name. */
    static SortedMap<String, byte[]> files(Built b) {
        SortedMap<String, byte[]> f = new TreeMap<>();
        byte[] code = b.program().code();
        f.put("program.s", b.listing().getBytes(StandardCharsets.UTF_8));
        f.put("insn.bin", code);
        f.put("insn.hex", ReadMemH.instructions(code));
        byte[] init = new byte[DRAM];
        System.arraycopy(b.v().dram(), 0, init, 0, b.v().dram().length);
        f.put("dram_init.hex", ReadMemH.memory(init, 0));
        f.put("dram_final.hex", ReadMemH.memory(b.dramFinal(), 0));
        f.put("sram_final.hex", ReadMemH.memory(b.sramFinal(), 0));
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("opcode", String.format(Locale.ROOT, "0x%02x", b.v().opcode().code()));
        j.put("mnemonic", b.v().opcode().mnemonic());
        j.put("engine", b.v().opcode().engine().label());
        j.put("kind", b.v().kind());
        j.put("seed", b.v().seed());
        j.put("what", b.v().what());
        j.put("hw_config", HW);
        j.put("hw_config_hash", b.program().hwConfig().hash());
        j.put("instructions", b.program().instructionCount());
        j.put("expected_cycles", b.cycles());
        j.put("expected_fault", b.fault());
        j.put("sram_window_bytes", WINDOW);
        j.put("dram_bytes", DRAM);
        f.put("vector.json", Manifests.write(j));
        return f;
    }

    /** Writes every vector under {@code out/opcodes/<mnemonic>/<kind>/} and {@code out/manifest.json}, atomically. */
    public static Summary export(Path out, int random, boolean force) throws IOException {
        if (random < 0) throw new IllegalArgumentException("--random must be >= 0, got " + random);
        Path target = out.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        if (Files.exists(target) && !force) throw new FileAlreadyExistsException(out + " exists (remove it or pass --force)");
        Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
        try {
            SortedMap<String, byte[]> all = new TreeMap<>();
            ArrayNode vectors = JsonNodeFactory.instance.arrayNode();
            java.util.Set<Opcode> covered = java.util.EnumSet.noneOf(Opcode.class);
            for (UnitVector v : all(random)) {
                Built b = run(v);
                String dir = "opcodes/" + v.opcode().mnemonic() + "/" + v.kind();
                files(b).forEach((k, d) -> all.put(dir + "/" + k, d));
                ObjectNode e = vectors.addObject();
                e.put("mnemonic", v.opcode().mnemonic());
                e.put("kind", v.kind());
                e.put("dir", dir);
                e.put("expected_fault", b.fault());
                covered.add(v.opcode());
            }
            ObjectNode man = JsonNodeFactory.instance.objectNode();
            man.put("schema_version", VectorBuilder.SCHEMA_VERSION);
            man.put("kind", "per-instruction");
            man.put("tool_version", dev.cnnip.compiler.Compiler.TOOL_VERSION);
            man.put("hw_config", HW);
            man.put("hw_config_hash", HwConfig.preset(HW).hash());
            man.put("random_per_opcode", random);
            man.set("vectors", vectors);
            ArrayNode fl = man.putArray("files");
            long bytes = 0;
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                Path f = tmp.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
                bytes += e.getValue().length;
                ObjectNode fe = fl.addObject();
                fe.put("path", e.getKey());
                fe.put("bytes", e.getValue().length);
                fe.put("sha256", Manifests.sha256(e.getValue()));
            }
            byte[] m = Manifests.write(man);
            Files.write(tmp.resolve(VectorBuilder.MANIFEST), m);
            if (Files.exists(target)) VectorExporter.deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return new Summary(vectors.size(), covered.size(), all.size() + 1, bytes + m.length);
        } catch (IOException | RuntimeException | Error e) {
            VectorExporter.deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Re-runs every unit vector of {@code dir} from its {@code insn.bin} and {@code dram_init.hex} on the
     * {@code tiny} machine and compares the expected memories and fault; checks every file's SHA-256.
     */
    public static VectorVerifier.Report verify(Path dir) throws IOException {
        JsonNode man = Manifests.parse(Files.readString(dir.resolve(VectorBuilder.MANIFEST)), dir + "/manifest.json");
        List<String> problems = new ArrayList<>();
        for (JsonNode f : man.get("files")) {
            Path file = dir.resolve(f.get("path").asText());
            if (!Files.isRegularFile(file)) {
                problems.add("missing " + f.get("path").asText());
            } else if (!Manifests.sha256(Files.readAllBytes(file)).equals(f.get("sha256").asText())) {
                problems.add(f.get("path").asText() + ": SHA-256 differs from the manifest");
            }
        }
        HwConfig hw = HwConfig.preset(HW);
        int n = 0;
        for (JsonNode v : man.get("vectors")) {
            Path vd = dir.resolve(v.get("dir").asText());
            n++;
            byte[] code = Files.readAllBytes(vd.resolve("insn.bin"));
            byte[] init = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(vd.resolve("dram_init.hex")), "dram_init.hex"), 0, DRAM);
            Program p = Program.builder("cnnip vectors verify", hw, dev.cnnip.program.Numerics.ORT).code(code).dramSize(DRAM)
                    .segment(new DramSegment("input", 0, init)).build();
            UnitVector uv = new UnitVector(Opcode.fromMnemonic(v.get("mnemonic").asText()), v.get("kind").asText(), 0, init, "", "");
            Built b = run(uv, "", p);
            byte[] dramExp = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(vd.resolve("dram_final.hex")), "dram_final.hex"), 0, DRAM);
            byte[] sramExp = ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(vd.resolve("sram_final.hex")), "sram_final.hex"), 0, WINDOW);
            String what = v.get("dir").asText();
            int d = java.util.Arrays.mismatch(dramExp, b.dramFinal());
            if (d >= 0) problems.add(String.format(Locale.ROOT, "%s: DRAM byte 0x%x is 0x%02x after the re-run, 0x%02x expected",
                    what, d, b.dramFinal()[d] & 0xFF, dramExp[d] & 0xFF));
            int s = java.util.Arrays.mismatch(sramExp, b.sramFinal());
            if (s >= 0) problems.add(String.format(Locale.ROOT, "%s: SRAM byte 0x%x is 0x%02x after the re-run, 0x%02x expected",
                    what, s, b.sramFinal()[s] & 0xFF, sramExp[s] & 0xFF));
            if (!b.fault().equals(v.get("expected_fault").asText())) {
                problems.add(what + ": fault '" + b.fault() + "', expected '" + v.get("expected_fault").asText() + "'");
            }
            if (!InsnCodec.decodeAll(code).stream().anyMatch(i -> i.op() == uv.opcode())) {
                problems.add(what + ": the program does not contain " + uv.opcode().mnemonic());
            }
        }
        List<String> lines = new ArrayList<>();
        if (problems.isEmpty()) {
            lines.add(dir + ": " + n + " unit vectors re-run from insn.bin and dram_init.hex on '" + HW
                    + "': expected memories and faults reproduced, every file matches the manifest's SHA-256");
        } else {
            lines.add(dir + ": " + problems.size() + " problem(s); first: " + problems.get(0));
            for (int i = 1; i < Math.min(20, problems.size()); i++) lines.add("  " + problems.get(i));
        }
        return new VectorVerifier.Report(problems.isEmpty(), lines);
    }
}
