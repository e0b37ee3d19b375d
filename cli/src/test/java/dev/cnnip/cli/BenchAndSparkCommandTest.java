package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnip bench} reports the three engines and their ratios; {@code cnnip eval --spark local[2]} prints
 * the same report as the local evaluation (every line but the throughput's), including the agreement with
 * ONNX Runtime, which runs the same QOperator model bit-exactly like the simulator.
 */
class BenchAndSparkCommandTest {
    private static final int ITEMS = 24;

    @TempDir
    static Path dir;

    static Path model;
    static Path prog;
    static Path images;
    static Path labels;

    @BeforeAll
    static void setUp() throws IOException {
        model = dir.resolve("q.onnx");
        OnnxModels.save(model, EvalModels.quantized());
        prog = dir.resolve("q.cnnip");
        ProgramFile.write(prog, Compiler.compile(EvalModels.quantized(), "q",
                CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT)));
        images = dir.resolve("images.npy");
        Npy.write(images, EvalModels.images(ITEMS, 11));
        Tensor l = Tensor.zeros(DType.UINT8, ITEMS);
        for (int i = 0; i < ITEMS; i++) l.setLong(i, i % EvalModels.CLASSES);
        labels = dir.resolve("labels.npy");
        Npy.write(labels, l);
    }

    @Test
    void benchReportsTheSimulatorBothWaysAndOnnxRuntime() {
        CliRunner r = CliRunner.run("bench", prog.toString(), "--reference", model.toString(), "--input", images.toString(),
                "--limit", "4", "--rounds", "2", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("bench " + prog + ": 4 item(s), 2 thread(s), 2 round(s) of 4 inference(s) per engine"),
                r.out());
        for (String engine : new String[] {"ISS timed", "ISS functional", "ONNX Runtime", "ratio to ONNX Runtime"}) {
            assertTrue(r.out().contains(engine), engine + " in " + r.out());
        }
    }

    @Test
    void sparkPrintsTheLocalReport() {
        String[] common = {"eval", prog.toString(), "--input", images.toString(), "--labels", labels.toString(),
                "--reference", model.toString(), "--threads", "2"};
        CliRunner local = CliRunner.run(common);
        String[] withSpark = Arrays.copyOf(common, common.length + 2);
        withSpark[common.length] = "--spark";
        withSpark[common.length + 1] = "local[2]";
        CliRunner spark = CliRunner.run(withSpark);
        assertEquals(0, local.code(), local.err());
        assertEquals(0, spark.code(), spark.err());
        assertEquals(withoutThroughput(local.out()), withoutThroughput(spark.out()));
        assertTrue(local.out().contains("agreement"), local.out());
    }

    private static String withoutThroughput(String report) {
        return report.lines().filter(l -> !l.trim().startsWith("throughput")).collect(Collectors.joining("\n"));
    }
}
