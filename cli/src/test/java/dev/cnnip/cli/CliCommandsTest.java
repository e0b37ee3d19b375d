package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliCommandsTest {
    @TempDir
    Path dir;

    @Test
    void compileRunWritesOutputsThatMatchOnnxRuntime() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(5, 12, 10));
        Path prog = dir.resolve("conv.cnnip");
        CliRunner c = CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny");
        assertEquals(0, c.code(), c.err());
        Tensor x = Tensor.zeros(DType.UINT8, 1, 5, 10, 10);
        Random rnd = new Random(3);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        Path in = dir.resolve("x.pb");
        TensorProtos.write(in, "x", x);
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("run", prog.toString(), "--input", "x=" + in, "--out", out.toString(),
                "--perf", dir.resolve("perf.json").toString(), "--trace", dir.resolve("trace.json").toString());
        assertEquals(0, r.code(), r.err());
        Tensor y = Npy.read(out.resolve("y.npy"));
        Tensor ref;
        try (OrtRunner ort = OrtRunner.create(m, OrtOptions.defaults())) {
            ref = ort.run(Map.of("x", x)).get("y");
        }
        assertEquals(DType.UINT8, y.dtype());
        assertArrayEquals(ref.shape(), y.shape());
        assertArrayEquals(ref.data(), y.data());
        assertTrue(Files.readString(dir.resolve("perf.json")).contains("totalCycles"));
        assertTrue(Files.readString(dir.resolve("trace.json")).contains("traceEvents"));
    }

    @Test
    void outputFileNamesAreSanitised() {
        assertEquals("a_b_c.d-e", TensorFiles.fileName("a/b:c.d-e"));
        assertEquals("x_1", TensorFiles.fileName("x 1"));
    }

    @Test
    void disassemblyAssemblesBackToTheSameProgram() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(4, 6, 9));
        Path prog = dir.resolve("a.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").code());
        CliRunner d = CliRunner.run("disasm", prog.toString(), "--full");
        assertEquals(0, d.code(), d.err());
        Path s = dir.resolve("a.s");
        Files.writeString(s, d.out());
        Path back = dir.resolve("b.cnnip");
        CliRunner a = CliRunner.run("asm", s.toString(), "-o", back.toString());
        assertEquals(0, a.code(), a.err());
        assertArrayEquals(Files.readAllBytes(prog), Files.readAllBytes(back));
        CliRunner plain = CliRunner.run("disasm", prog.toString());
        assertTrue(plain.out().contains("ex.conv"), plain.out());
        assertTrue(plain.out().contains("; "), "listing has pc/engine/layer comments");
    }

    @Test
    void serialAndOverlappedRunsGiveTheSameOutputs() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(16, 24, 20));
        Path prog = dir.resolve("c.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").code());
        Program p = ProgramFile.read(prog);
        Tensor x = Tensor.zeros(DType.UINT8, 1, 16, 20, 20);
        Random rnd = new Random(9);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        Machine serial = new Machine(p, SimOptions.defaults().withSerial(true), "s");
        Machine over = new Machine(p, SimOptions.defaults(), "o");
        serial.writeInput("x", x);
        over.writeInput("x", x);
        serial.run();
        over.run();
        assertArrayEquals(serial.outputs().get("y").data(), over.outputs().get("y").data());
        assertTrue(over.perfReport().totalCycles() < serial.perfReport().totalCycles());
    }

    @Test
    void demoReportsEveryLayerBitExact() {
        CliRunner r = CliRunner.run("demo");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("11 of 11 layers bit-exact with ONNX Runtime."), r.out());
    }

    @Test
    void conformanceEndsWithTheSummaryLine() {
        Path t = dev.cnnip.testing.TestData.require("onnx-node/test_qlinearconv");
        CliRunner r = CliRunner.run("conformance", t.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\\R");
        assertEquals("1 passed, 0 failed, 0 skipped", lines[lines.length - 1]);
    }
}
