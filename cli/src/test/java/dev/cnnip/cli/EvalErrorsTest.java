package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad eval input ends in one line naming the file at fault, exit code 1 (2 for bad usage), no JSON. */
class EvalErrorsTest {
    @TempDir
    static Path dir;

    static Path prog;
    static Path images;
    static Path labels;
    static Path json;

    @BeforeAll
    static void setUp() throws IOException {
        prog = dir.resolve("q.cnnip");
        ProgramFile.write(prog, Compiler.compile(EvalModels.quantized(), "q",
                CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT)));
        images = dir.resolve("images.npy");
        Npy.write(images, EvalModels.images(6, 1));
        labels = dir.resolve("labels.npy");
        Npy.write(labels, Tensor.ofLongs(DType.INT32, new int[] {6}, 0, 1, 2, 3, 4, 5));
        json = dir.resolve("eval.json");
    }

    private static CliRunner eval(String batch, String labelFile, String... more) {
        String[] args = new String[7 + more.length];
        args[0] = "eval";
        args[1] = prog.toString();
        args[2] = "--input";
        args[3] = batch;
        args[4] = "--labels";
        args[5] = labelFile;
        args[6] = "--json=" + json;
        System.arraycopy(more, 0, args, 7, more.length);
        return CliRunner.run(args);
    }

    private static void assertOneLineError(CliRunner r, String expected) {
        assertEquals(1, r.code(), r.err());
        String[] lines = r.errLines();
        assertEquals(1, lines.length, "exactly one error line: " + r.err());
        assertEquals("cnnip eval: " + expected, lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals("", r.out());
        assertFalse(Files.exists(json), "no JSON after an error");
    }

    private static Path npy(String name, Tensor t) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, t);
        return p;
    }

    @Test
    void batchOfTheWrongShapeNamesTheFile() throws IOException {
        Path bad = npy("wide.npy", Tensor.zeros(DType.FLOAT32, 6, 1, 7, 6));
        assertOneLineError(eval("image=" + bad, labels.toString()), bad
                + ": batch float32[6, 1, 7, 6] does not fit input 'image' float32[1, 1, 6, 6]: expected float32[N, 1, 6, 6]");
    }

    @Test
    void batchOfTheWrongTypeNamesTheFile() throws IOException {
        Path bad = npy("f64.npy", Tensor.zeros(DType.FLOAT64, 6, 1, 6, 6));
        assertOneLineError(eval(bad.toString(), labels.toString()), bad
                + ": batch float64[6, 1, 6, 6] does not fit input 'image' float32[1, 1, 6, 6]: expected float32[N, 1, 6, 6]");
    }

    @Test
    void labelCountMismatchNamesBothFiles() throws IOException {
        Path five = npy("five.npy", Tensor.zeros(DType.UINT8, 5));
        assertOneLineError(eval(images.toString(), five.toString()), five + ": 5 labels for the 6 items of " + images);
    }

    @Test
    void labelsMustBeIntegerClasses() throws IOException {
        Path floats = npy("float-labels.npy", Tensor.zeros(DType.FLOAT32, 6));
        assertOneLineError(eval(images.toString(), floats.toString()),
                floats + ": labels must be integers (uint8, int32 or int64), got float32[6]");
        Path big = npy("big.npy", Tensor.ofLongs(DType.INT64, new int[] {6}, 0, 1, 2, 10, 4, 5));
        assertOneLineError(eval(images.toString(), big.toString()),
                big + ": label 10 of item 3 is not a class of output 'logits' (10 classes)");
    }

    @Test
    void missingFilesAreNamed() {
        Path none = dir.resolve("none.npy");
        assertOneLineError(eval(none.toString(), labels.toString()), none + ": no such file");
        assertOneLineError(eval(images.toString(), none.toString()), none + ": no such file");
        Path onnx = dir.resolve("none.onnx");
        assertOneLineError(eval(images.toString(), labels.toString(), "--reference", onnx.toString()), onnx + ": no such file");
        Path noProg = dir.resolve("none.cnnip");
        CliRunner r = CliRunner.run("eval", noProg.toString(), "--input", images.toString(), "--labels", labels.toString());
        assertEquals(1, r.code());
        assertEquals("cnnip eval: " + noProg + ": no such file", r.err().strip());
    }

    @Test
    void unknownInputAndOutputAreNamed() {
        assertOneLineError(eval("pixels=" + images, labels.toString()),
                "--input pixels: the program has no input 'pixels' (inputs: image)");
        assertOneLineError(eval(images.toString(), labels.toString(), "--output", "scores"),
                prog + " has no output 'scores' (outputs: logits)");
    }

    @Test
    void badCountsAreUsageErrors() {
        CliRunner r = eval(images.toString(), labels.toString(), "--threads", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("cnnip eval: --threads must be at least 1"), r.err());
        CliRunner l = eval(images.toString(), labels.toString(), "--limit", "0");
        assertEquals(2, l.code(), l.err());
        assertTrue(l.err().startsWith("cnnip eval: --limit must be at least 1"), l.err());
    }
}
