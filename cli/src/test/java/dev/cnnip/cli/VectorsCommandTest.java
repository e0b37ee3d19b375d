package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
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

class VectorsCommandTest {
    @TempDir
    Path dir;

    private Path program() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(5, 12, 10));
        Path prog = dir.resolve("conv.cnnip");
        CliRunner c = CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny");
        assertEquals(0, c.code(), c.err());
        return prog;
    }

    @Test
    void exportVerifyAndPinpointADeviceMismatch() throws IOException {
        Path prog = program();
        Tensor x = Tensor.zeros(DType.UINT8, 1, 5, 10, 10);
        Random rnd = new Random(3);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        Path in = dir.resolve("x.pb");
        TensorProtos.write(in, "x", x);
        Path v = dir.resolve("vec");
        CliRunner e = CliRunner.run("vectors", prog.toString(), "--input", "x=" + in, "-o", v.toString(), "--format", "npy,hex,bin");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("1 set(s), 1 layers"), e.out());
        Path layer = v.resolve("layers/000_y");
        Tensor y = Npy.read(layer.resolve("output.npy"));
        try (OrtRunner ort = OrtRunner.create(Fixtures.qlinearConv(5, 12, 10), OrtOptions.defaults())) {
            assertArrayEquals(ort.run(Map.of("x", x)).get("y").data(), y.data());
        }
        CliRunner ok = CliRunner.run("vectors", "verify", v.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("reproduces all of them"), ok.out());

        // A device dump of the output as .hex, one element wrong: element [0, 4, 2, 9].
        Path dump = dir.resolve("dump/layers/000_y");
        Files.createDirectories(dump);
        int flat = (4 * 10 + 2) * 10 + 9;
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < y.size(); i++) hex.append(String.format("%02x%n", i == flat ? (y.getLong(i) + 1) & 0xFF : y.getLong(i)));
        Files.writeString(dump.resolve("output.hex"), hex.toString());
        CliRunner bad = CliRunner.run("vectors", "verify", v.toString(), "--dut", dir.resolve("dump").toString());
        assertEquals(1, bad.code(), bad.err());
        String first = bad.out().lines().findFirst().orElse("");
        assertEquals("first mismatch: layer 0 'y', tensor 'y' (output, layers/000_y/output.hex), element [0, 4, 2, 9]: expected "
                + y.getLong(flat) + ", actual " + ((y.getLong(flat) + 1) & 0xFF), first);
        assertTrue(bad.out().contains("000 y") && bad.out().contains("output y: 1 of 1,200"), bad.out());

        // The folder exists: a second export refuses, without touching it.
        CliRunner again = CliRunner.run("vectors", prog.toString(), "--input", "x=" + in, "-o", v.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().startsWith("cnnip vectors: ") && again.err().contains("exists"), again.err());
    }

    @Test
    void perInstructionVectorsCoverTheTable() {
        Path v = dir.resolve("pi");
        CliRunner e = CliRunner.run("vectors", "--per-instruction", "-o", v.toString(), "--random", "1");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(dev.cnnip.isa.Opcode.values().length + " opcodes"), e.out());
        CliRunner ok = CliRunner.run("vectors", "verify", v.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
    }

    @Test
    void usageErrorsAreOneLine() throws IOException {
        Path prog = program();
        CliRunner noOut = CliRunner.run("vectors", prog.toString(), "--seeds", "1");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().startsWith("cnnip vectors: missing -o DIR"), noOut.err());
        CliRunner badLayer = CliRunner.run("vectors", prog.toString(), "--seeds", "1", "--layers", "nope", "-o",
                dir.resolve("x").toString());
        assertEquals(1, badLayer.code());
        assertEquals("cnnip vectors: no layer 'nope' in the program (1 layers, 0-0)", badLayer.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));
        CliRunner notASet = CliRunner.run("vectors", "verify", dir.toString());
        assertEquals(1, notASet.code());
        assertTrue(notASet.err().contains("no manifest.json"), notASet.err());
    }
}
