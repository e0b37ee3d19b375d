package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.EvalLabels;
import dev.cnnip.verify.EvalProgress;
import dev.cnnip.verify.Evaluation;
import dev.cnnip.verify.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnip eval} on the {@link EvalModels} classifier. The expected figures come from ONNX Runtime
 * running the same QOperator model (bit-exact with the simulator): labels are chosen from its ranking so
 * that half the items are right at top-1 and three quarters within the top 5.
 */
class EvalCommandTest {
    static final int ITEMS = 48;

    @TempDir
    static Path dir;

    static Path qModel;
    static Path fModel;
    static Path prog;
    static Program program;
    static Path images;
    static Path labels;
    static Tensor batch;
    static int[] labelValues;
    /** ONNX Runtime's class order per item for the quantized model, best first (ties: lower index first). */
    static int[][] qOrder;
    static int[][] fOrder;

    @BeforeAll
    static void setUp() throws IOException {
        qModel = dir.resolve("q.onnx");
        fModel = dir.resolve("f.onnx");
        OnnxModels.save(qModel, EvalModels.quantized());
        OnnxModels.save(fModel, EvalModels.floating());
        prog = dir.resolve("q.cnnip");
        program = Compiler.compile(EvalModels.quantized(), "q", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        ProgramFile.write(prog, program);
        batch = EvalModels.images(ITEMS, 7);
        images = dir.resolve("images.npy");
        Npy.write(images, batch);
        qOrder = ortOrder(EvalModels.quantized());
        fOrder = ortOrder(EvalModels.floating());
        labelValues = new int[ITEMS];
        Tensor l = Tensor.zeros(DType.UINT8, ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            // ranks 0, 0, 4, 5: top-1 right for half the items, top-5 (just) for three quarters
            labelValues[i] = qOrder[i][new int[] {0, 0, 4, 5}[i % 4]];
            l.setLong(i, labelValues[i]);
        }
        labels = dir.resolve("labels.npy");
        Npy.write(labels, l);
    }

    private static int[][] ortOrder(ModelProto model) {
        int[][] order = new int[ITEMS][];
        try (OrtRunner ort = OrtRunner.create(model, OrtOptions.defaults())) {
            for (int i = 0; i < ITEMS; i++) {
                float[] y = ort.run(Map.of(EvalModels.INPUT, item(i))).get(EvalModels.OUTPUT).toFloatArray();
                order[i] = IntStream.range(0, y.length).boxed()
                        .sorted(Comparator.comparingDouble((Integer c) -> -y[c]).thenComparingInt(c -> c))
                        .mapToInt(Integer::intValue).toArray();
            }
        }
        return order;
    }

    private static Tensor item(int i) {
        int n = EvalModels.SIDE * EvalModels.SIDE * 4;
        return new Tensor(DType.FLOAT32, new int[] {1, 1, EvalModels.SIDE, EvalModels.SIDE},
                Arrays.copyOfRange(batch.data(), i * n, (i + 1) * n));
    }

    private static int rank(int[] order, int c) {
        for (int r = 0; r < order.length; r++) if (order[r] == c) return r;
        throw new AssertionError("class " + c + " not ranked");
    }

    private static int correct(int[][] order, int k, int items) {
        int n = 0;
        for (int i = 0; i < items; i++) if (rank(order[i], labelValues[i]) < k) n++;
        return n;
    }

    private static EvalBatch evalBatch() {
        return EvalBatch.of(images.toString(), batch, EvalModels.INPUT, DType.FLOAT32,
                new int[] {1, 1, EvalModels.SIDE, EvalModels.SIDE});
    }

    private static EvalLabels evalLabels() {
        return EvalLabels.of(labels.toString(), Tensor.ofLongs(DType.INT64, new int[] {ITEMS},
                Arrays.stream(labelValues).asLongStream().toArray()), ITEMS, images.toString());
    }

    @Test
    void printsTheExpectedAccuracyAndWritesJson() throws IOException {
        assertEquals(ITEMS / 2, correct(qOrder, 1, ITEMS), "labels as designed");
        assertEquals(ITEMS * 3 / 4, correct(qOrder, 5, ITEMS), "labels as designed");
        Path json = dir.resolve("out/eval.json");
        CliRunner r = CliRunner.run("eval", prog.toString(), "--input", "image=" + images, "--labels", labels.toString(),
                "--threads", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no progress bar without a console");
        String[] lines = r.out().split("\n");
        assertEquals(prog + " on " + images + ": 48 items, output 'logits' (10 classes)", lines[0]);
        assertEquals("  ISS            top-1  50.00 % (24/48)   top-5  75.00 % (36/48)", lines[1]);
        assertTrue(lines[2].matches("  throughput     ISS [0-9.]+ items/s on 2 threads \\([0-9.]+ s\\)"), lines[2]);
        assertTrue(lines[3].matches("  simulated      [0-9]+ cycles/item \\([0-9.]+ us at [0-9]+ MHz; min [0-9]+, max [0-9]+\\)"),
                lines[3]);
        assertEquals(4, lines.length, r.out());
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(48, j.get("items").asInt());
        assertEquals(10, j.get("classes").asInt());
        assertEquals(24, j.at("/iss/top1").asInt());
        assertEquals(36, j.at("/iss/top5").asInt());
        assertEquals(75.0, j.at("/iss/top5Percent").asDouble());
        assertTrue(j.at("/iss/cyclesPerItem").asDouble() > program.instructionCount(), "at least a cycle per instruction");
        assertEquals(program.hwConfig().clockMhz(), j.at("/iss/clockMhz").asDouble());
        assertTrue(j.at("/iss/itemsPerSecond").asDouble() > 0);
        assertFalse(j.has("reference"));
        try (var files = Files.list(json.getParent())) {
            assertEquals(List.of(json), files.toList(), "written atomically, no temporary file left");
        }
    }

    @Test
    void resultsAreTheSameWithOneAndTwoThreads() {
        Evaluator.Options opts = Evaluator.Options.defaults();
        Evaluation one = Evaluator.evaluate(program, prog.toString(), evalBatch(), evalLabels(),
                opts.withThreads(1), null);
        Evaluation two = Evaluator.evaluate(program, prog.toString(), evalBatch(), evalLabels(),
                opts.withThreads(2), null);
        assertEquals(1, one.threads());
        assertEquals(2, two.threads());
        List<Integer> expected = new ArrayList<>();
        for (int[] o : qOrder) expected.add(o[0]);
        assertEquals(expected, one.iss().predictions(), "the simulator's top-1 is ONNX Runtime's");
        assertEquals(one.iss().predictions(), two.iss().predictions());
        assertEquals(one.iss().top1(), two.iss().top1());
        assertEquals(one.iss().top5(), two.iss().top5());
        assertEquals(one.totalCycles(), two.totalCycles());
        assertEquals(one.minCycles(), two.minCycles());
        assertEquals(one.maxCycles(), two.maxCycles());
    }

    @Test
    void referenceModelsAreScoredAndCompared() throws IOException {
        CliRunner same = CliRunner.run("eval", prog.toString(), "--input", images.toString(), "--labels", labels.toString(),
                "--reference", qModel.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("  ONNX Runtime   top-1  50.00 % (24/48)   top-5  75.00 % (36/48)   " + qModel
                + ", output 'logits'\n"), same.out());
        assertTrue(same.out().contains("  agreement      100.00 % (48/48) of top-1 classes\n"), same.out());

        Path json = dir.resolve("float.json");
        CliRunner flt = CliRunner.run("eval", prog.toString(), "--input", images.toString(), "--labels", labels.toString(),
                "--reference", fModel.toString(), "--json", json.toString());
        assertEquals(0, flt.code(), flt.err());
        int agree = 0;
        for (int i = 0; i < ITEMS; i++) if (qOrder[i][0] == fOrder[i][0]) agree++;
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(fModel.toString(), j.at("/reference/model").asText());
        assertEquals(correct(fOrder, 1, ITEMS), j.at("/reference/top1").asInt());
        assertEquals(correct(fOrder, 5, ITEMS), j.at("/reference/top5").asInt());
        assertEquals(agree, j.at("/reference/agreeing").asInt());
        assertEquals(100.0 * agree / ITEMS, j.at("/reference/agreementPercent").asDouble(), 1e-9);
        assertEquals(24, j.at("/iss/top1").asInt(), "the reference does not change the simulator's figures");
    }

    @Test
    void limitEvaluatesTheFirstItems() {
        CliRunner r = CliRunner.run("eval", prog.toString(), "--input", images.toString(), "--labels", labels.toString(),
                "--limit", "10", "--threads", "3");
        assertEquals(0, r.code(), r.err());
        int top1 = correct(qOrder, 1, 10);
        int top5 = correct(qOrder, 5, 10);
        assertEquals(6, top1, "items 0, 1, 4, 5, 8, 9");
        assertTrue(r.out().contains(": 10 items,"), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "top-1 %6.2f %% (%d/10)   top-5 %6.2f %% (%d/10)",
                top1 * 10.0, top1, top5 * 10.0, top5)), r.out());
    }

    @Test
    void progressStepsOncePerItemOfEachPhase() {
        Map<String, AtomicInteger> steps = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
        EvalProgress counting = (name, items) -> {
            assertEquals(20, items);
            return new EvalProgress.Task() {
                @Override
                public void step() {
                    steps.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void close() {
                    closes.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                }
            };
        };
        try (OrtRunner ort = OrtRunner.create(qModel, OrtOptions.defaults())) {
            Evaluator.evaluate(program, "q", evalBatch(), evalLabels(),
                    Evaluator.Options.defaults().withLimit(20).withThreads(2).withProgress(counting),
                    new Evaluator.ReferenceModel("q.onnx", ort));
        }
        assertEquals(20, steps.get("ISS").get());
        assertEquals(20, steps.get("ONNX Runtime").get());
        assertEquals(1, closes.get("ISS").get());
        assertEquals(1, closes.get("ONNX Runtime").get());
    }

    @Test
    void helpDescribesTheCommand() {
        CliRunner r = CliRunner.run("eval", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: cnnip eval "), r.out());
        for (String option : List.of("--input", "--labels", "--reference", "--output", "--limit", "--threads", "--json")) {
            assertTrue(r.out().contains(option + "="), option + " in " + r.out());
        }
    }
}
