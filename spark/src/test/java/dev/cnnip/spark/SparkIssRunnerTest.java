package dev.cnnip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.EvalLabels;
import dev.cnnip.verify.Evaluation;
import dev.cnnip.verify.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark runner in local mode with two cores gives exactly the local evaluation's results on the same
 * items (every per-item class, score and cycle count), and both agree with ONNX Runtime, which runs the
 * same QOperator model bit-exactly like the simulator.
 */
class SparkIssRunnerTest {
    private static final int SIDE = 6;
    private static final int CLASSES = 10;
    private static final int ITEMS = 60;

    @TempDir
    Path dir;

    @Test
    void sparkLocalModeEqualsTheLocalEvaluation() throws Exception {
        ModelProto model = model();
        Program p = Compiler.compile(model, "tiny.onnx", CompileOptions.of(HwConfig.load("v3u-like"), Numerics.ORT));
        Path images = dir.resolve("images.npy");
        Npy.write(images, images(ITEMS, 7));
        Random rnd = new Random(3);
        Tensor lab = Tensor.zeros(DType.UINT8, ITEMS);
        for (int i = 0; i < ITEMS; i++) lab.setLong(i, rnd.nextInt(CLASSES));
        EvalBatch batch = EvalBatch.streamed(images, "image", DType.FLOAT32, new int[] {1, 1, SIDE, SIDE});
        EvalLabels labels = EvalLabels.of("labels", lab, ITEMS, images.toString());
        Evaluator.Options opts = Evaluator.Options.defaults().withThreads(2);

        Evaluation local;
        Evaluation spark;
        try (OrtRunner ort = OrtRunner.create(model, OrtOptions.defaults())) {
            Evaluator.ReferenceModel ref = new Evaluator.ReferenceModel("tiny.onnx", ort);
            local = Evaluator.evaluate(p, "tiny.cnnip", batch, labels, opts, ref);
            SparkSession s = SparkIssRunner.session("local[2]");
            try {
                spark = Evaluator.evaluate(p, "tiny.cnnip", batch, labels, opts, ref, new SparkIssRunner(s, 0));
            } finally {
                s.stop();
            }
        }
        assertEquals(local.iss().predictions(), spark.iss().predictions());
        assertEquals(local.iss().top1(), spark.iss().top1());
        assertEquals(local.iss().top5(), spark.iss().top5());
        assertEquals(local.totalCycles(), spark.totalCycles());
        assertEquals(local.minCycles(), spark.minCycles());
        assertEquals(local.maxCycles(), spark.maxCycles());
        assertEquals(ITEMS, spark.items());
        // Independent check: ONNX Runtime classifies every item as the simulator does.
        assertEquals(ITEMS, spark.reference().orElseThrow().agreeing());
        assertTrue(spark.iss().predictions().stream().distinct().count() > 1, "the items are not all one class");
    }

    /** QuantizeLinear → QLinearConv with a full-image kernel → DequantizeLinear: f32[1,1,6,6] → f32[1,10,1,1]. */
    private static ModelProto model() {
        Random rw = new Random(42);
        Tensor w = Tensor.zeros(DType.INT8, CLASSES, 1, SIDE, SIDE);
        for (int i = 0; i < w.size(); i++) w.setLong(i, rw.nextInt(255) - 127);
        Random rb = new Random(43);
        Tensor b = Tensor.zeros(DType.INT32, CLASSES);
        for (int i = 0; i < CLASSES; i++) b.setLong(i, rb.nextInt(2001) - 1000);
        return new OnnxBuilder("tiny").opset("", 13)
                .input("image", DType.FLOAT32, 1, 1, SIDE, SIDE)
                .initializer("xs", Tensor.ofFloats(new int[0], 1f / 255))
                .initializer("xz", Tensor.ofLongs(DType.UINT8, new int[0], 0))
                .initializer("w", w)
                .initializer("ws", Tensor.ofFloats(new int[0], 0.01f))
                .initializer("wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer("ys", Tensor.ofFloats(new int[0], 0.05f))
                .initializer("yz", Tensor.ofLongs(DType.UINT8, new int[0], 128))
                .initializer("b", b)
                .node("QuantizeLinear", List.of("image", "xs", "xz"), List.of("xq"))
                .node("QLinearConv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("yq"),
                        n -> n.ints("kernel_shape", SIDE, SIDE))
                .node("DequantizeLinear", List.of("yq", "ys", "yz"), List.of("logits"))
                .output("logits", DType.FLOAT32, 1, CLASSES, 1, 1)
                .build();
    }

    private static Tensor images(int items, long seed) {
        Random rnd = new Random(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, items, 1, SIDE, SIDE);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, rnd.nextFloat());
        return t;
    }
}
