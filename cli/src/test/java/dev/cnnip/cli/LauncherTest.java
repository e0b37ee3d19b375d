package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.ProgramListing;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command through the real entry point in a child process ({@link CnnipProcess}), its output
 * redirected to files: complete output (checked against the listing or figures computed in this
 * process, or against ONNX Runtime), exit codes, the mode of every written file under a set umask, and
 * one-line errors without stack traces.
 */
class LauncherTest {
    @TempDir
    static Path shared;

    /** {@code cnnip demo -o demo.cnnip}, run once for the demo tests. */
    static CnnipProcess demo;
    static Path demoProgram;

    @TempDir
    Path dir;

    @BeforeAll
    static void runDemo() {
        demo = CnnipProcess.run(shared, "demo", "-o", "demo.cnnip");
        demoProgram = shared.resolve("demo.cnnip");
    }

    private static String mode() {
        return CnnipProcess.fileModeUnder(CnnipProcess.UMASK);
    }

    private static long count(List<String> lines, String regex) {
        return lines.stream().filter(l -> l.matches(regex)).count();
    }

    @Test
    void demoPrintsTheWholeReportAndWritesItsProgram() throws IOException {
        demo.assertOk();
        List<String> lines = demo.outLines();
        assertTrue(lines.get(0).startsWith("cnnip demo: residual CNN built in code"), lines.get(0));
        Program p = ProgramFile.read(demoProgram); // the checksum proves the file whole
        int layers = p.layers().size();
        assertEquals(layers, count(lines, " +\\d+  \\S+ +\\S+ +\\S+\\[[\\d,]+\\] .*"), demo.out());
        assertEquals(layers + " of " + layers + " layers bit-exact with ONNX Runtime.", lines.get(lines.size() - 2));
        assertEquals("wrote demo.cnnip", lines.get(lines.size() - 1));
        assertTrue(lines.get(1).contains("to " + p.instructionCount() + " instructions"), lines.get(1));
        assertEquals(mode(), CnnipProcess.mode(demoProgram));
    }

    @Test
    void disasmToAFileIsTheWholeListing() throws IOException {
        Program p = ProgramFile.read(demoProgram);
        CnnipProcess plain = CnnipProcess.run(shared, "disasm", demoProgram.toString()).assertOk();
        assertEquals(ProgramListing.instructions(p), plain.out());
        assertEquals(p.instructionCount(), plain.outLines().size());
        CnnipProcess full = CnnipProcess.run(shared, "disasm", demoProgram.toString(), "--full").assertOk();
        assertEquals(ProgramListing.full(p), full.out());
        assertTrue(full.out().length() > 8 * 8192, "longer than the writer's buffers: " + full.out().length());
    }

    @Test
    void demoListingAssemblesBackToTheSameBytes() throws IOException {
        assertRoundTrip(demoProgram);
    }

    @Test
    void mobilenetListingAssemblesBackToTheSameBytes() throws IOException {
        Path model = dev.cnnip.testing.TestData.require("models/mobilenetv2-12-int8.onnx");
        Path prog = dir.resolve("mnv2.cnnip");
        CnnipProcess c = CnnipProcess.run(dir, "compile", model.toString(), "-o", prog.toString()).assertOk();
        Program p = ProgramFile.read(prog);
        assertEquals(List.of(prog + ": " + p.layers().size() + " layers, " + p.instructionCount() + " instructions, "
                + p.dramSize() + " bytes of DRAM (v3u-like, ort numerics)"), c.outLines());
        assertEquals(mode(), CnnipProcess.mode(prog));
        assertRoundTrip(prog);
    }

    @Test
    void aListingWithNonAsciiNamesAssemblesBackInTheCLocale() throws IOException {
        ModelProto base = Fixtures.qlinearConv(3, 8, 8);
        String name = "y_größe…";
        ModelProto.Builder b = base.toBuilder();
        b.getGraphBuilder().getNodeBuilder(0).setOutput(0, name);
        b.getGraphBuilder().getOutputBuilder(0).setName(name);
        Path m = dir.resolve("named.onnx");
        OnnxModels.save(m, b.build());
        Path prog = dir.resolve("named.cnnip");
        CnnipProcess.run(dir, "compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").assertOk();
        assertTrue(ProgramFile.read(prog).outputs().contains(name));
        assertRoundTrip(prog);
        // disasm -o writes the same listing as the redirection
        CnnipProcess d = CnnipProcess.run(dir, "disasm", prog.toString(), "--full", "-o", "named.s").assertOk();
        assertEquals(List.of("named.s: " + ProgramFile.read(prog).instructionCount() + " instructions, full listing"), d.outLines());
        assertEquals(ProgramListing.full(ProgramFile.read(prog)), Files.readString(dir.resolve("named.s"), StandardCharsets.UTF_8));
        assertEquals(mode(), CnnipProcess.mode(dir.resolve("named.s")));
    }

    /** {@code cnnip disasm PROG --full > FILE}, then {@code cnnip asm FILE -o P2}: P2 has PROG's bytes. */
    private void assertRoundTrip(Path prog) throws IOException {
        Path listing = dir.resolve("listing.s");
        CnnipProcess d = CnnipProcess.runTo(dir, CnnipProcess.UMASK, listing, "disasm", prog.toString(), "--full");
        assertEquals(0, d.code(), d.err());
        assertEquals("", d.err());
        assertEquals(ProgramListing.full(ProgramFile.read(prog)), Files.readString(listing, StandardCharsets.UTF_8));
        Path back = dir.resolve("back.cnnip");
        CnnipProcess a = CnnipProcess.run(dir, "asm", listing.toString(), "-o", back.toString()).assertOk();
        Program p = ProgramFile.read(prog);
        assertEquals(List.of(back + ": " + p.instructionCount() + " instructions"), a.outLines());
        assertArrayEquals(Files.readAllBytes(prog), Files.readAllBytes(back));
        assertEquals(mode(), CnnipProcess.mode(back));
    }

    @ParameterizedTest
    @ValueSource(strings = {"022", "077", "002"})
    void writtenFilesTakeTheUmaskMode(String umask) throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(3, 8, 8));
        Path prog = dir.resolve("conv.cnnip");
        CnnipProcess.runUnder(dir, umask, "compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").assertOk();
        assertEquals(CnnipProcess.fileModeUnder(umask), CnnipProcess.mode(prog));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(prog, m), files.sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void runWritesOutputsReportsAndTraces() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(5, 12, 10));
        Path prog = dir.resolve("conv.cnnip");
        CnnipProcess.run(dir, "compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").assertOk();
        Tensor x = Tensor.zeros(DType.UINT8, 1, 5, 10, 10);
        Random rnd = new Random(3);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        Path in = dir.resolve("x.pb");
        TensorProtos.write(in, "x", x);
        CnnipProcess r = CnnipProcess.run(dir, "run", prog.toString(), "--input", "x=" + in, "--out", "out", "--perf", "perf.json",
                "--trace", "trace.json").assertOk();
        List<String> lines = r.outLines();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote(prog.toString()) + ": \\d+ instructions, \\d+ cycles .*"), lines.get(0));
        assertEquals("  output y: uint8[1, 12, 10, 10] -> out/y.npy", lines.get(1));
        Tensor ref;
        try (OrtRunner ort = OrtRunner.create(m, OrtOptions.defaults())) {
            ref = ort.run(Map.of("x", x)).get("y");
        }
        assertArrayEquals(ref.data(), Npy.read(dir.resolve("out/y.npy")).data());
        for (String f : List.of("out/y.npy", "perf.json", "trace.json")) {
            assertEquals(mode(), CnnipProcess.mode(dir.resolve(f)), f);
        }
        assertTrue(Files.readString(dir.resolve("perf.json")).strip().endsWith("}"), "whole JSON");
    }

    @Test
    void quantizeWritesTheModelAndSummaryWithoutAProgressBar() throws IOException {
        Path m = dir.resolve("demo.onnx");
        OnnxModels.save(m, DemoModel.build(1));
        Tensor t = Tensor.zeros(DType.FLOAT32, 2, 3, 64, 64);
        List<Map<String, Tensor>> gen = DemoModel.inputs(5, 2);
        for (int i = 0; i < 2; i++) {
            byte[] one = gen.get(i).get(DemoModel.INPUT).data();
            System.arraycopy(one, 0, t.data(), i * one.length, one.length);
        }
        Npy.write(dir.resolve("calib.npy"), t);
        CnnipProcess q = CnnipProcess.run(dir, "quantize", m.toString(), "--calib", "calib.npy", "-o", "q.onnx", "--summary",
                "q.json").assertOk(); // stderr is a file: no progress bar
        List<String> lines = q.outLines();
        assertEquals("wrote q.onnx", lines.get(lines.size() - 1));
        assertTrue(q.out().contains("relu3 "), q.out());
        assertEquals(mode(), CnnipProcess.mode(dir.resolve("q.onnx")));
        assertEquals(mode(), CnnipProcess.mode(dir.resolve("q.json")));
        OnnxModels.load(dir.resolve("q.onnx")); // whole
        Path prog = dir.resolve("q.cnnip");
        CnnipProcess c = CnnipProcess.run(dir, "compile", "q.onnx", "-o", "q.cnnip").assertOk();
        assertTrue(c.out().startsWith("q.cnnip: " + ProgramFile.read(prog).layers().size() + " layers, "), c.out());
        assertEquals(mode(), CnnipProcess.mode(prog));
    }

    @Test
    void evalPrintsEveryLineAndNoProgressBar() throws IOException {
        evalFixture();
        CnnipProcess e = CnnipProcess.run(dir, "eval", "q.cnnip", "--input", "images.npy", "--labels", "labels.npy", "--threads", "2",
                "--json", "eval.json").assertOk();
        List<String> lines = e.outLines();
        assertEquals(4, lines.size(), e.out());
        assertEquals("q.cnnip on images.npy: 12 items, output 'logits' (10 classes)", lines.get(0));
        assertTrue(lines.get(3).startsWith("  simulated "), lines.get(3));
        assertEquals(mode(), CnnipProcess.mode(dir.resolve("eval.json")));
    }

    /**
     * The launcher's automatic JIT ({@link EvalJit}): in its first, C1-only JVM a short evaluation runs to the
     * end, and one that should run under C2 (any Spark run) exits 75 having printed and written nothing.
     */
    @Test
    void evalUnderTheAutomaticJit() throws IOException {
        evalFixture();
        List<String> auto = List.of("-D" + EvalJit.PROPERTY + "=auto");
        CnnipProcess e = CnnipProcess.runWithJvmOptions(dir, auto, "eval", "q.cnnip", "--input", "images.npy", "--labels",
                "labels.npy", "--threads", "2", "--json", "short.json").assertOk();
        assertEquals(4, e.outLines().size(), e.out());
        assertTrue(Files.isRegularFile(dir.resolve("short.json")));
        CnnipProcess again = CnnipProcess.runWithJvmOptions(dir, auto, "eval", "q.cnnip", "--input", "images.npy", "--labels",
                "labels.npy", "--spark", "local[1]", "--json", "spark.json");
        assertEquals(EvalJit.RELAUNCH_UNDER_C2, again.code(), again.err());
        assertEquals("", again.out());
        assertEquals("", again.err());
        assertFalse(Files.exists(dir.resolve("spark.json")));
        // Bad input is reported by the first JVM itself, once.
        CnnipProcess bad = CnnipProcess.runWithJvmOptions(dir, auto, "eval", "q.cnnip", "--input", "missing.npy", "--labels",
                "labels.npy");
        bad.assertError(1, "cnnip eval: missing.npy: no such file");
    }

    /** q.cnnip (EvalModels' classifier for the tiny machine), 12 images and their labels in {@link #dir}. */
    private void evalFixture() throws IOException {
        Path m = dir.resolve("q.onnx");
        OnnxModels.save(m, EvalModels.quantized());
        CnnipProcess.run(dir, "compile", "q.onnx", "-o", "q.cnnip", "--hw", "tiny").assertOk();
        Npy.write(dir.resolve("images.npy"), EvalModels.images(12, 7));
        Npy.write(dir.resolve("labels.npy"), Tensor.zeros(DType.UINT8, 12));
    }

    @Test
    void conformanceEndsWithTheSummaryLine() {
        Path t = dev.cnnip.testing.TestData.require("onnx-node/test_qlinearconv");
        List<String> lines = CnnipProcess.run(dir, "conformance", t.toString()).assertOk().outLines();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("pass test_qlinearconv: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("rules: quantized-operator tests must match the expected output exactly"), lines.get(1));
        assertEquals("1 passed, 0 failed, 0 skipped", lines.get(2));
    }

    @Test
    void asmRejectsAListingCutShortAndWritesNothing() throws IOException {
        String full = ProgramListing.full(ProgramFile.read(demoProgram));
        List<String> lines = full.lines().toList();
        int firstData = lines.indexOf(lines.stream().filter(l -> l.startsWith(".data ")).findFirst().orElseThrow());
        // cut inside the first .data line, after an odd number of hex digits
        String oddCut = String.join("\n", lines.subList(0, firstData)) + "\n" + lines.get(firstData).substring(0, 6 + 11);
        assertAsmError("odd.s", oddCut, firstData + 1, ".data word of 11 hex digits, not whole bytes (the line is cut short?)");
        // cut after whole bytes: the segment is shorter than its .segment line declares
        String evenCut = String.join("\n", lines.subList(0, firstData)) + "\n" + lines.get(firstData).substring(0, 6 + 10) + "\n";
        String segment = lines.get(firstData - 1);
        String[] seg = segment.split(" ");
        assertAsmError("even.s", evenCut, firstData, "segment '" + seg[1].replace("\"", "") + "' declares " + seg[3]
                + " bytes but its .data lines give 5 (the listing is cut short?)");
        // everything but the last line, finish
        int finish = lines.lastIndexOf("finish");
        assertTrue(finish > 0);
        String noFinish = String.join("\n", lines.subList(0, finish)) + "\n";
        assertAsmError("nofinish.s", noFinish, finish, "the listing ends without a 'finish' instruction (cut short?)");
        assertAsmError("empty.s", "; nothing\n", 1, "the listing ends without any instruction (cut short?)");
    }

    private void assertAsmError(String name, String text, int line, String message) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, text);
        CnnipProcess.run(dir, "asm", name, "-o", "never.cnnip")
                .assertError(1, "cnnip asm: " + name + ": line " + line + ": " + message);
        assertFalse(Files.exists(dir.resolve("never.cnnip")));
    }

    @Test
    void usageErrorsAreOneLineWithASuggestion() {
        CnnipProcess.run(dir, "dmeo").assertError(2, "cnnip: unknown command 'dmeo' (did you mean 'demo'?); see 'cnnip --help'");
        CnnipProcess.run(dir, "bogus").assertError(2, "cnnip: unknown command 'bogus'; see 'cnnip --help'");
        CnnipProcess.run(dir, "run", "p.cnnip", "--inptu", "x.npy")
                .assertError(2, "cnnip run: unknown option '--inptu' (did you mean '--input'?); see 'cnnip run --help'");
        CnnipProcess.run(dir).assertErrorLike(2, "cnnip: give a command (demo, quantize, compile, run, ", "; see 'cnnip --help'");
        CnnipProcess.run(dir, "disasm").assertError(2, "cnnip disasm: Missing required parameter: 'PROG.cnnip'; see 'cnnip disasm --help'");
    }

    @Test
    void missingFilesAreOneLineAndVerboseAddsTheTrace() {
        CnnipProcess.run(dir, "disasm", "nothere.cnnip").assertError(1, "cnnip disasm: nothere.cnnip: no such file or folder");
        CnnipProcess.run(dir, "asm", "nothere.s", "-o", "p.cnnip").assertError(1, "cnnip asm: nothere.s: no such file or folder");
        CnnipProcess v = CnnipProcess.run(dir, "disasm", "nothere.cnnip", "--verbose");
        assertEquals(1, v.code());
        assertTrue(v.err().startsWith("cnnip disasm: nothere.cnnip: no such file or folder\n"), v.err());
        assertTrue(v.err().contains("\tat "), v.err());
    }

    @Test
    void anOutputThatIsAFolderIsOneLineAndTheFolderStays() throws IOException {
        Files.createDirectories(dir.resolve("out.cnnip"));
        CnnipProcess.run(dir, "asm", "/dev/null", "-o", "out.cnnip")
                .assertError(1, "cnnip asm: /dev/null: line 1: the listing ends without any instruction (cut short?)");
        Files.writeString(dir.resolve("p.s"), "nop\nfinish\n");
        CnnipProcess.run(dir, "asm", "p.s", "-o", "out.cnnip").assertError(1, "cnnip asm: out.cnnip: is a folder");
        assertTrue(Files.isDirectory(dir.resolve("out.cnnip")));
    }

    @Test
    void aClosedPipeEndsQuietly() throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(CnnipProcess.javaCommand());
        cmd.addAll(List.of("disasm", demoProgram.toString(), "--full"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err").toFile());
        CnnipProcess.cLocale(pb);
        Process p = pb.start();
        p.getInputStream().close(); // the reader goes away at once, as 'head' does after its lines
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(StdOut.BROKEN_PIPE, p.exitValue());
        assertEquals("", Files.readString(dir.resolve("err")));
    }

    @Test
    void aFullDiskIsOneLine() {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "needs /dev/full");
        CnnipProcess r = CnnipProcess.runTo(dir, CnnipProcess.UMASK, full, "disasm", demoProgram.toString());
        r.assertErrorLike(1, "cnnip: cannot write the standard output: ", "No space left on device");
    }

    @Test
    void helpAndVersionAreWhole() {
        CnnipProcess h = CnnipProcess.run(dir, "--help").assertOk();
        for (String c : List.of("demo", "quantize", "compile", "run", "asm", "disasm", "conformance", "eval")) {
            assertTrue(h.outLines().stream().anyMatch(l -> l.startsWith("  " + c + " ")), c + " in " + h.out());
        }
        assertEquals(List.of(dev.cnnip.compiler.Compiler.TOOL_VERSION), CnnipProcess.run(dir, "--version").assertOk().outLines());
        assertTrue(Arrays.asList(CnnipProcess.run(dir, "disasm", "--help").assertOk().out().split("\n"))
                .contains("Disassemble a .cnnip program."));
    }
}
