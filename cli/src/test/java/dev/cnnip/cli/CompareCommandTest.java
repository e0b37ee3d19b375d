package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnnip compare} through the command line: reports, and bad input ending in one line without report files. */
class CompareCommandTest {
    @TempDir
    static Path dir;

    static Path floatModel;
    static Path calib;
    static Path program;

    @BeforeAll
    static void compile() throws IOException {
        floatModel = dir.resolve("demo.onnx");
        OnnxModels.save(floatModel, DemoModel.build(1));
        calib = batch("calib.npy", 5, 4, 64);
        program = dir.resolve("demo.cnnip");
        CliRunner c = CliRunner.run("compile", floatModel.toString(), "--calib", calib.toString(), "-o", program.toString());
        assertEquals(0, c.code(), c.err());
    }

    private static Path batch(String name, long seed, int items, int size) throws IOException {
        Tensor t = Tensor.zeros(DType.FLOAT32, items, 3, size, size);
        List<Map<String, Tensor>> gen = DemoModel.inputs(seed, items);
        for (int i = 0; i < items; i++) {
            byte[] one = gen.get(i).get(DemoModel.INPUT).data();
            System.arraycopy(one, 0, t.data(), i * one.length, Math.min(one.length, t.data().length / items));
        }
        Path p = dir.resolve(name);
        Npy.write(p, t);
        return p;
    }

    @Test
    void comparesEveryLayerAndWritesJsonAndHtml() throws IOException {
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        CliRunner r = CliRunner.run("compare", floatModel.toString(), program.toString(), "--input",
                batch("in.npy", 9, 2, 64).toString(), "--calib", calib.toString(), "--json", json.toString(), "--html",
                html.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("relu3") && r.out().contains("output logits"), r.out());
        // the same --calib reproduces the program's quantized model, so the codes are checked against ONNX Runtime
        assertTrue(r.out().matches("(?s).*bit_exact: (\\d+) of \\1 layers equal ONNX Runtime.*"), r.out());
        String j = Files.readString(json);
        assertTrue(j.contains("\"sqnr_isolated_db\"") && j.contains("\"diagnosis\" : \"ok\""), j);
        assertTrue(Files.readString(html).contains("<svg"));
        // same inputs, byte-identical reports
        Path json2 = dir.resolve("r2.json");
        Path html2 = dir.resolve("r2.html");
        assertEquals(0, CliRunner.run("compare", floatModel.toString(), program.toString(), "--input",
                dir.resolve("in.npy").toString(), "--calib", calib.toString(), "--json", json2.toString(), "--html",
                html2.toString()).code());
        assertEquals(j, Files.readString(json2));
        assertEquals(Files.readString(html), Files.readString(html2));
    }

    @Test
    void fixWritesTheProgramAndTheOverridesFileTheQuantizerReads() throws IOException {
        Path fixed = dir.resolve("fixed.cnnip");
        CliRunner r = CliRunner.run("compare", floatModel.toString(), program.toString(), "--input",
                batch("in2.npy", 9, 1, 64).toString(), "--fix", "--calib", calib.toString(), "-o", fixed.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("before") && r.out().contains("after"), r.out());
        assertTrue(Files.size(fixed) > 1000);
        Path bits = dir.resolve("fixed.bits.json");
        dev.cnnip.compiler.quant.BitsOverrides.read(bits);
        CliRunner q = CliRunner.run("quantize", floatModel.toString(), "--calib", calib.toString(), "--bits-file", bits.toString(),
                "-o", dir.resolve("again.onnx").toString());
        assertEquals(0, q.code(), q.err());
    }

    @Test
    void aFloatModelOfAnotherNetworkIsOneLineAndNoReport() throws IOException {
        Path other = dir.resolve("other.onnx");
        OnnxModels.save(other, dev.cnnip.verify.compare.QuantDebugDemo.model(1));
        assertFails("the float model does not match the program", "compare", other.toString(), program.toString(),
                "--input", batch("in3.npy", 9, 1, 64).toString());
    }

    @Test
    void theSameGraphWithOtherWeightsIsCaught() throws IOException {
        Path other = dir.resolve("reseeded.onnx");
        OnnxModels.save(other, DemoModel.build(99));
        assertFails("do not match layer", "compare", other.toString(), program.toString(), "--input",
                batch("in4.npy", 9, 1, 64).toString());
    }

    @Test
    void aMissingTensorIsOneLineAndNoReport() throws IOException {
        assertFails("pixels", "compare", floatModel.toString(), program.toString(), "--input",
                "pixels=" + batch("in5.npy", 9, 1, 64));
        assertFails("no such file", "compare", floatModel.toString(), program.toString(), "--input",
                dir.resolve("missing.npy").toString());
    }

    @Test
    void inputsOfTheWrongShapeAreOneLineAndNoReport() throws IOException {
        assertFails("in6.npy", "compare", floatModel.toString(), program.toString(), "--input",
                batch("in6.npy", 9, 1, 32).toString());
    }

    @Test
    void theQuantizedModelChecksBitExactnessAndMustBeTheProgramsOwn() throws IOException {
        Path q = dir.resolve("q.onnx");
        assertEquals(0, CliRunner.run("quantize", floatModel.toString(), "--calib", calib.toString(), "-o", q.toString()).code());
        Path prog = dir.resolve("q.cnnip");
        assertEquals(0, CliRunner.run("compile", q.toString(), "-o", prog.toString()).code());
        Path in = batch("in7.npy", 9, 1, 64);
        CliRunner r = CliRunner.run("compare", floatModel.toString(), prog.toString(), "--input", in.toString(), "--quantized",
                q.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*bit_exact: (\\d+) of \\1 layers equal ONNX Runtime.*"), r.out());
        Path other = dir.resolve("other-q.onnx");
        assertEquals(0, CliRunner.run("quantize", floatModel.toString(), "--calib", in.toString(), "-o", other.toString()).code());
        assertFails("other-q.onnx: not the quantized model", "compare", floatModel.toString(), prog.toString(), "--input",
                in.toString(), "--quantized", other.toString());
    }

    @Test
    void throughTheLauncherTheTableReachesStdoutWithoutAnyFileWritten() throws IOException {
        // the table ends without println: a real process must still flush it before exiting
        CnnipProcess r = CnnipProcess.run(dir, "compare", floatModel.toString(), program.toString(), "--input",
                batch("in8.npy", 9, 1, 64).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("output logits") && r.out().contains("diagnosis"), r.out());
    }

    @Test
    void demoQuantDebugFindsClassifiesAndFixes() {
        CliRunner r = CliRunner.run("demo", "--quant-debug");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*found: relu3 \\(resolution\\); fixed with 16 bits \\(conv2, conv3\\): output SQNR "
                + "[\\d.]+ -> [\\d.]+ dB \\(\\+[\\d.]+ dB\\) for \\+\\d+ cycles.*"), r.out());
    }

    private static void assertFails(String message, String... args) throws IOException {
        Path json = dir.resolve("bad.json");
        Path html = dir.resolve("bad.html");
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--json", json.toString(), "--html", html.toString())).toArray(String[]::new);
        CliRunner r = CliRunner.run(all);
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(Files.exists(json) || Files.exists(html), "no partial report");
    }
}
