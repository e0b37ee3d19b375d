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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnnip quantize} and {@code compile --calib} on the demo network's float model. */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    private Path floatModel() {
        Path m = dir.resolve("demo.onnx");
        OnnxModels.save(m, DemoModel.build(1));
        return m;
    }

    private Path batch(int items) throws IOException {
        Tensor t = Tensor.zeros(DType.FLOAT32, items, 3, 64, 64);
        List<java.util.Map<String, Tensor>> gen = DemoModel.inputs(5, items);
        for (int i = 0; i < items; i++) {
            byte[] one = gen.get(i).get(DemoModel.INPUT).data();
            System.arraycopy(one, 0, t.data(), i * one.length, one.length);
        }
        Path p = dir.resolve("calib.npy");
        Npy.write(p, t);
        return p;
    }

    @Test
    void quantizeWritesAModelTheSummaryAndItsJson() throws IOException {
        Path out = dir.resolve("q.onnx");
        Path json = dir.resolve("q.json");
        CliRunner r = CliRunner.run("quantize", floatModel().toString(), "--calib", batch(4).toString(), "-o", out.toString(),
                "--summary", json.toString(), "--bits", "conv3=16", "--prune", "conv2=0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out) > 1000);
        assertTrue(r.out().contains("relu3 "), r.out());
        String j = Files.readString(json);
        assertTrue(j.contains("\"tensor\" : \"relu3\"") && j.contains("\"bits\" : 16"), j);
        assertTrue(r.out().matches("(?s).*conv2 +Conv +8 per-channel +4608 +5\\d\\.\\d\\d%.*"), r.out());
        Path prog = dir.resolve("q.cnnip");
        CliRunner c = CliRunner.run("compile", out.toString(), "-o", prog.toString(), "--hw", "tiny");
        assertEquals(0, c.code(), c.err());
    }

    @Test
    void compileQuantizesAFloatModelGivenCalibrationAndRefusesOtherwise() throws IOException {
        Path prog = dir.resolve("d.cnnip");
        CliRunner noCalib = CliRunner.run("compile", floatModel().toString(), "-o", prog.toString());
        assertEquals(1, noCalib.code());
        assertTrue(noCalib.err().contains("a float model; give --calib DATA"), noCalib.err());
        CliRunner r = CliRunner.run("compile", floatModel().toString(), "--calib", batch(2).toString(), "-o", prog.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(prog));
    }

    @Test
    void badCalibrationDataNamesTheFileAndWritesNothing() throws IOException {
        Tensor wrong = Tensor.zeros(DType.FLOAT32, 2, 3, 32, 32);
        Path bad = dir.resolve("wrong.npy");
        Npy.write(bad, wrong);
        Path nan = dir.resolve("nan.npy");
        Tensor withNan = Tensor.zeros(DType.FLOAT32, 1, 3, 64, 64);
        withNan.setDouble(77, Float.NaN);
        Npy.write(nan, withNan);
        Path out = dir.resolve("never.onnx");
        for (Path data : List.of(bad, nan, dir.resolve("missing.npy"))) {
            CliRunner r = CliRunner.run("quantize", floatModel().toString(), "--calib", data.toString(), "-o", out.toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains(data.getFileName().toString()), r.err());
            assertFalse(Files.exists(out));
        }
    }
}
