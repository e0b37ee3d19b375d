package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends in one clear line naming the fault, a non-zero exit, no stack trace and no output file. */
class CliErrorsTest {
    @TempDir
    Path dir;

    private void assertOneLineError(CliRunner r, int code, String prefix, String contains) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.errLines();
        assertEquals(1, lines.length, "exactly one error line: " + r.err());
        assertTrue(lines[0].startsWith(prefix), lines[0]);
        assertTrue(lines[0].contains(contains), lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void malformedOnnxNamesTheFileAndWritesNothing() throws IOException {
        Path bad = dir.resolve("bad.onnx");
        byte[] junk = new byte[777];
        new Random(5).nextBytes(junk);
        Files.write(bad, junk);
        Path out = dir.resolve("out.cnnip");
        CliRunner r = CliRunner.run("compile", bad.toString(), "-o", out.toString());
        assertOneLineError(r, 1, "cnnip compile: " + bad, "not a valid ONNX model");
        assertFalse(Files.exists(out));
        assertEquals(List.of(bad), Files.list(dir).toList(), "no temporary or partial file left");
    }

    @Test
    void floatOperatorIsNamed() throws IOException {
        Path m = dir.resolve("float.onnx");
        OnnxModels.save(m, new OnnxBuilder("f").opset("", 13).input("x", DType.FLOAT32, 1, 4)
                .initializer("s", Tensor.ofFloats(new int[0], 0.1f))
                .initializer("z", Tensor.ofLongs(DType.UINT8, new int[0], 128))
                .node("QuantizeLinear", List.of("x", "s", "z"), List.of("q"))
                .node("DequantizeLinear", List.of("q", "s", "z"), List.of("d"))
                .node("Relu", List.of("d"), List.of("y"), n -> n.name("my_relu")).output("y", DType.FLOAT32, 1, 4).build());
        CliRunner r = CliRunner.run("compile", m.toString(), "-o", dir.resolve("o.cnnip").toString());
        assertOneLineError(r, 1, "cnnip compile: " + m, "node 'my_relu' (Relu)");
    }

    @Test
    void layerThatCannotBePlacedIsNamed() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(32, 64, 16));
        Path out = dir.resolve("o.cnnip");
        CliRunner r = CliRunner.run("compile", m.toString(), "-o", out.toString(), "--hw", "tiny", "--set", "sram.bytes=512");
        assertOneLineError(r, 1, "cnnip compile: " + m, "layer 'y' (Conv 3x3, 32 -> 64 channels) does not fit in SRAM of 512 bytes");
        assertFalse(Files.exists(out));
    }

    @Test
    void corruptAndTruncatedProgramsAreRejected() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(3, 8, 8));
        Path prog = dir.resolve("p.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString()).code());
        byte[] bytes = Files.readAllBytes(prog);
        Path trunc = dir.resolve("trunc.cnnip");
        Files.write(trunc, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path flip = dir.resolve("flip.cnnip");
        byte[] f = bytes.clone();
        f[f.length / 3] ^= 0x40;
        Files.write(flip, f);
        Path x = dir.resolve("x.npy");
        dev.cnnip.tensor.Npy.write(x, Tensor.zeros(DType.UINT8, 1, 3, 8, 8));
        assertOneLineError(CliRunner.run("run", trunc.toString(), "--input", x.toString()), 1, "cnnip run: " + trunc, "truncated");
        assertOneLineError(CliRunner.run("run", flip.toString(), "--input", x.toString()), 1, "cnnip run: " + flip, "corrupt");
    }

    @Test
    void wrongInputsAreNamed() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(3, 8, 8));
        Path prog = dir.resolve("p.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString()).code());
        Path wrong = dir.resolve("wrong.npy");
        dev.cnnip.tensor.Npy.write(wrong, Tensor.zeros(DType.UINT8, 1, 3, 9, 8));
        assertOneLineError(CliRunner.run("run", prog.toString(), "--input", "x=" + wrong), 1, "cnnip run:",
                "input 'x': expected uint8[1, 3, 8, 8], got uint8[1, 3, 9, 8]");
        assertOneLineError(CliRunner.run("run", prog.toString(), "--input", "nope=" + wrong), 1, "cnnip run:",
                "the program has no input 'nope'");
        assertOneLineError(CliRunner.run("run", prog.toString(), "--input", dir.resolve("missing.npy").toString()), 1,
                "cnnip run:", "missing.npy: no such file");
    }

    @Test
    void badAssemblyNamesTheLine() throws IOException {
        Path s = dir.resolve("p.s");
        Files.writeString(s, "nop\nex.conv x=1 bogus=2\nfinish\n");
        CliRunner r = CliRunner.run("asm", s.toString(), "-o", dir.resolve("p.cnnip").toString());
        assertOneLineError(r, 1, "cnnip asm: " + s, "line 2: ex.conv has no field 'bogus'");
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRunner r = CliRunner.run("compile");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter"), r.err());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {1, 2, 3});
        CliRunner r = CliRunner.run("compile", bad.toString(), "-o", dir.resolve("o.cnnip").toString(), "--verbose");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
