package dev.cnnip.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorExportTest {
    static Program program;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() {
        program = TwoConvs.program();
    }

    private Path export(String name, VectorOptions opts) throws IOException {
        Path out = dir.resolve(name);
        VectorExporter.export(program, TwoConvs.inputs(), opts, out, false, VectorExporter.FileListener.NONE);
        return out;
    }

    private static JsonNode manifest(Path set) throws IOException {
        return Manifests.parse(Files.readString(set.resolve("manifest.json")), "manifest");
    }

    private static Path layerDir(Path set, int index) throws IOException {
        try (Stream<Path> s = Files.list(set.resolve("layers"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(String.format("%03d_", index))).findFirst().orElseThrow();
        }
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void writesTheLayoutOfDesignSection5() throws IOException {
        Path v = export("v", VectorOptions.defaults());
        JsonNode m = manifest(v);
        for (String key : List.of("schema_version", "tool_version", "hw_config", "hw_config_hash", "model_sha256", "numerics",
                "instruction_count", "expected_cycles", "files", "tensors")) {
            assertTrue(m.has(key), key);
        }
        assertEquals(program.hwConfig().hash(), m.get("hw_config_hash").asText());
        assertEquals(program.instructionCount(), m.get("instruction_count").asInt());
        byte[] code = Files.readAllBytes(v.resolve("program/insn.bin"));
        assertArrayEquals(program.code(), code);
        List<String> hex = Files.readAllLines(v.resolve("program/insn.hex"));
        assertEquals(program.instructionCount(), hex.size());
        // $readmemh order: most significant byte first, so the opcode (byte 0) is the last two digits.
        for (int i = 0; i < hex.size(); i++) {
            assertTrue(hex.get(i).matches("[0-9a-f]{32}"), hex.get(i));
            assertEquals(code[16 * i] & 0xFF, Integer.parseInt(hex.get(i).substring(30), 16));
        }
        assertEquals(program.dramSize(), Files.size(v.resolve("dram/init.bin")));
        assertEquals(program.dramSize(), Files.size(v.resolve("dram/final.bin")));
        assertEquals(program.dramSize() / 4, Files.readAllLines(v.resolve("dram/final.hex")).size());
        List<String> csv = Files.readAllLines(v.resolve("trace/commit.csv"));
        assertEquals("seq,engine,pc,mnemonic,start,end,waits,signals,bytes,macs", csv.get(0));
        assertEquals(m.get("retired_instructions").asLong() + 1, csv.size());
        // Every file is listed with its size and hash; every tensor loads with the manifest's dtype and shape.
        List<String> listed = new ArrayList<>();
        for (JsonNode f : m.get("files")) {
            listed.add(f.get("path").asText());
            byte[] b = Files.readAllBytes(v.resolve(f.get("path").asText()));
            assertEquals(f.get("bytes").asLong(), b.length);
            assertEquals(f.get("sha256").asText(), Manifests.sha256(b));
        }
        List<String> all = new ArrayList<>(tree(v));
        all.remove("manifest.json");
        assertEquals(all, listed);
        int accs = 0;
        for (JsonNode t : m.get("tensors")) {
            Tensor a = Npy.read(v.resolve(t.get("file").asText()));
            assertEquals(t.get("dtype").asText(), a.dtype().name().toLowerCase());
            int[] shape = new int[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asInt();
            assertArrayEquals(shape, a.shape());
            List<String> h = Files.readAllLines(v.resolve(t.get("hex").asText()));
            assertEquals(a.size(), h.size());
            if (t.get("role").asText().equals("acc")) accs++;
        }
        assertEquals(2, accs);
        for (String l : Files.readAllLines(layerDir(v, 0).resolve("sram.hex"))) assertTrue(l.matches("@[0-9a-f]+|[0-9a-f]{8}"), l);
    }

    @Test
    void tensorsMatchTheModelADirectConvolutionAndOnnxRuntime() throws IOException {
        Path v = export("v", VectorOptions.defaults());
        Path l0 = layerDir(v, 0);
        Path l1 = layerDir(v, 1);
        Tensor x = TwoConvs.input(7);
        assertArrayEquals(x.data(), Npy.read(l0.resolve("input.npy")).data());
        // Weights in logical OIHW order, as the model's initializers.
        assertArrayEquals(TwoConvs.weights(TwoConvs.MID, TwoConvs.IC, 1).data(), Npy.read(l0.resolve("weights.npy")).data());
        assertArrayEquals(TwoConvs.weights(TwoConvs.OC, TwoConvs.MID, 2).data(), Npy.read(l1.resolve("weights.npy")).data());
        // Accumulators: a direct convolution of the layer's input (the first layer's are tiled on this machine).
        Tensor acc0 = Npy.read(l0.resolve("acc.npy"));
        assertEquals(DType.INT32, acc0.dtype());
        assertArrayEquals(new int[] {1, TwoConvs.MID, TwoConvs.HW, TwoConvs.HW}, acc0.shape());
        assertArrayEquals(TwoConvs.directAcc(x, TwoConvs.XZP, TwoConvs.weights(TwoConvs.MID, TwoConvs.IC, 1), 1), acc0.toLongArray());
        Tensor m = Npy.read(l1.resolve("input.npy"));
        assertArrayEquals(TwoConvs.directAcc(m, TwoConvs.MZP, TwoConvs.weights(TwoConvs.OC, TwoConvs.MID, 2), 2),
                Npy.read(l1.resolve("acc.npy")).toLongArray());
        // Bias: the model's int32 bias; outputs: ONNX Runtime's.
        assertArrayEquals(TwoConvs.bias(TwoConvs.MID, 3).toLongArray(), Npy.read(l0.resolve("bias.npy")).toLongArray());
        Map<String, Tensor> ref;
        try (OrtRunner ort = OrtRunner.create(TwoConvs.model(), OrtOptions.defaults())) {
            ref = ort.run(Map.of("x", x));
        }
        assertArrayEquals(ref.get("y").data(), Npy.read(l1.resolve("output.npy")).data());
        assertArrayEquals(Npy.read(l0.resolve("output.npy")).data(), m.data());
    }

    @Test
    void twoExportsAreByteIdentical() throws IOException {
        Path a = export("a", VectorOptions.defaults());
        Path b = export("b", VectorOptions.defaults());
        assertEquals(tree(a), tree(b));
        for (String f : tree(a)) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }

    @Test
    void verifyReRunsTheSimulatorFromTheVectorsAlone() throws IOException {
        Path v = export("v", VectorOptions.defaults());
        VectorVerifier.Report ok = VectorVerifier.verify(v);
        assertTrue(ok.ok(), ok.lines().toString());
        // A changed accumulator is caught by its hash; with the manifest's hash updated too (a consistent
        // but wrong set), by the re-run of the simulator.
        Path acc = layerDir(v, 1).resolve("acc.npy");
        String rel = v.relativize(acc).toString().replace('\\', '/');
        Tensor t = Npy.read(acc);
        String oldSha = Manifests.sha256(Npy.toBytes(t));
        t.setLong(5, t.getLong(5) + 1);
        byte[] changed = Npy.toBytes(t);
        Files.write(acc, changed);
        VectorVerifier.Report bad = VectorVerifier.verify(v);
        assertFalse(bad.ok());
        assertTrue(bad.lines().get(0).contains("first: " + rel + ": contents differ from the manifest's size and SHA-256"),
                bad.lines().toString());
        Path mf = v.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replace(oldSha, Manifests.sha256(changed)));
        VectorVerifier.Report rerun = VectorVerifier.verify(v);
        assertFalse(rerun.ok());
        assertTrue(rerun.lines().get(0).contains("first: " + rel + ": the re-run gives different contents: element [0, 0, 0, 5] is "
                + t.getLong(5) + " in the file, " + (t.getLong(5) - 1) + " in the re-run"), rerun.lines().toString());
    }

    @Test
    void aDumpWithOneChangedElementIsPinpointed() throws IOException {
        Path v = export("v", VectorOptions.defaults());
        Path dump = dir.resolve("dump");
        // The device dumped its two layer outputs and accumulators, nothing else.
        for (int layer = 0; layer < 2; layer++) {
            for (String f : List.of("output.npy", "acc.npy")) {
                Path src = layerDir(v, layer).resolve(f);
                Path dst = dump.resolve(v.relativize(src));
                Files.createDirectories(dst.getParent());
                Files.copy(src, dst);
            }
        }
        assertTrue(VectorVerifier.compareDut(v, dump).ok());
        Path out1 = dump.resolve(v.relativize(layerDir(v, 1).resolve("output.npy")));
        Tensor y = Npy.read(out1);
        int[] at = {0, 3, 5, 7};
        int flat = ((at[1] * 16) + at[2]) * 16 + at[3];
        long expected = y.getLong(flat);
        y.setLong(flat, expected ^ 1);
        Files.write(out1, Npy.toBytes(y));
        VectorVerifier.Report r = VectorVerifier.compareDut(v, dump);
        assertFalse(r.ok());
        String first = r.lines().get(0);
        assertTrue(first.startsWith("first mismatch: layer 1 '"), first);
        assertTrue(first.contains("(output, "), first);
        assertTrue(first.contains("element " + Arrays.toString(at) + ": expected " + expected + ", actual " + (expected ^ 1)), first);
        String all = String.join("\n", r.lines());
        assertTrue(all.contains("1 of 36,864 elements differ in 4 compared files"), all);
        assertTrue(r.lines().stream().anyMatch(l -> l.matches("\\s+000 .* 0 mismatches")), all);
        assertTrue(r.lines().stream().anyMatch(l -> l.matches("\\s+001 .* 1 mismatches; output y: 1 of 2,048")), all);
    }

    @Test
    void aFailedExportLeavesNothing() throws IOException {
        Path out = dir.resolve("v");
        int[] n = {0};
        assertThrows(IllegalStateException.class, () -> VectorExporter.export(program, TwoConvs.inputs(),
                VectorOptions.defaults(), out, false, p -> {
                    if (++n[0] == 5) throw new IllegalStateException("interrupted");
                }));
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aKilledExportLeavesNoCompleteLookingFolder() throws Exception {
        Path out = dir.resolve("v");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                SlowExportMain.class.getName(), out.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int written = 0;
            String line;
            while (written < 4 && (line = r.readLine()) != null) if (line.startsWith("written ")) written++;
            assertEquals(4, written, "the child export did not get going");
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(out));
        List<Path> left;
        try (Stream<Path> s = Files.list(dir)) {
            left = s.toList();
        }
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).getFileName().toString().startsWith(".v.partial-"), left.toString());
        assertFalse(Files.exists(left.get(0).resolve("manifest.json")));
        assertThrows(IOException.class, () -> VectorVerifier.verify(left.get(0)));
    }

    @Test
    void layerSelectionAndFormats() throws IOException {
        Path v = export("v", new VectorOptions(List.of("1"), EnumSet.of(VectorOptions.Encoding.NPY, VectorOptions.Encoding.BIN)));
        try (Stream<Path> s = Files.list(v.resolve("layers"))) {
            assertEquals(1, s.count());
        }
        Path l1 = layerDir(v, 1);
        assertTrue(Files.exists(l1.resolve("output.bin")));
        assertTrue(Files.exists(l1.resolve("sram.bin")));
        assertTrue(Files.exists(l1.resolve("sram.hex")));
        assertFalse(Files.exists(l1.resolve("output.hex")));
        assertFalse(Files.exists(v.resolve("dram/final.hex")));
        assertArrayEquals(Npy.read(l1.resolve("output.npy")).data(), Files.readAllBytes(l1.resolve("output.bin")));
        assertTrue(VectorVerifier.verify(v).ok());
        assertThrows(IllegalArgumentException.class, () -> export("w", new VectorOptions(List.of("nope"),
                EnumSet.of(VectorOptions.Encoding.NPY))));
    }

    @Test
    void seedsGiveOneVerifiedSetPerSeed() throws IOException {
        Path out = dir.resolve("s");
        VectorExporter.Summary s = VectorExporter.exportSeeds(program, 2, VectorOptions.defaults(), out, false,
                VectorExporter.FileListener.NONE);
        assertEquals(2, s.sets());
        Path i0 = layerDir(out.resolve("seed-000"), 0).resolve("input.npy");
        Path i1 = layerDir(out.resolve("seed-001"), 0).resolve("input.npy");
        assertFalse(Arrays.equals(Files.readAllBytes(i0), Files.readAllBytes(i1)));
        assertArrayEquals(RandomInputs.generate(program, 1).tensors().get("x").data(), Npy.read(i1).data());
        assertTrue(VectorVerifier.verify(out).ok());
    }
}
