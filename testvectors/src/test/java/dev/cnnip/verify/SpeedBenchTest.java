package dev.cnnip.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The functional-only simulator mode against ONNX Runtime (bit-exact on a QOperator convolution with 40
 * output channels, so the vector kernel and its scalar remainder both run), and the benchmark's figures
 * are complete and positive. Speed targets live in {@code cnnip bench} and the JMH module, not here.
 */
class SpeedBenchTest {
    @Test
    void functionalOnlyRunsEqualOnnxRuntimeAndTheBenchReportsEveryEngine() {
        ModelProto model = model();
        Program p = Compiler.compile(model, "conv.onnx", CompileOptions.of(HwConfig.load("v3u-like"), Numerics.ORT));
        Random rnd = new Random(9);
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 8, 9, 9);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, rnd.nextFloat());
        try (OrtRunner ort = OrtRunner.create(model, OrtOptions.defaults())) {
            Tensor expected = ort.run(Map.of("x", x)).get("y");
            for (SimOptions o : List.of(SimOptions.defaults(), SimOptions.defaults().withTimed(false))) {
                Machine m = new Machine(p, o, "conv");
                m.writeInput("x", x);
                m.run();
                assertArrayEquals(expected.data(), m.outputs().get("y").data(), "timed = " + o.timed());
            }
            SpeedBench.Result r = SpeedBench.run(p, "conv", List.of(Map.of("x", x)), ort, new SpeedBench.Options(2, 2));
            assertEquals(2, r.inferencesPerRound());
            assertTrue(r.cycles() > 0);
            for (SpeedBench.Engine e : List.of(r.timed(), r.functional(), r.reference().orElseThrow())) {
                assertEquals(2, e.roundMs().length);
                assertTrue(e.msPerInference() > 0 && e.cpuMsPerInference() > 0 && e.peakHeapBytes() > 0, e.name());
            }
            assertTrue(r.timedRatio().orElseThrow() > 0);
        }
    }

    /** QuantizeLinear → 3×3 QLinearConv (8 → 40 channels, pad 1) → DequantizeLinear. */
    private static ModelProto model() {
        Random r = new Random(4);
        Tensor w = Tensor.zeros(DType.INT8, 40, 8, 3, 3);
        for (int i = 0; i < w.size(); i++) w.setLong(i, r.nextInt(255) - 127);
        Tensor b = Tensor.zeros(DType.INT32, 40);
        for (int i = 0; i < 40; i++) b.setLong(i, r.nextInt(2001) - 1000);
        return new OnnxBuilder("conv").opset("", 13)
                .input("x", DType.FLOAT32, 1, 8, 9, 9)
                .initializer("xs", Tensor.ofFloats(new int[0], 1f / 255))
                .initializer("xz", Tensor.ofLongs(DType.UINT8, new int[0], 3))
                .initializer("w", w)
                .initializer("ws", Tensor.ofFloats(new int[0], 0.01f))
                .initializer("wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer("ys", Tensor.ofFloats(new int[0], 0.05f))
                .initializer("yz", Tensor.ofLongs(DType.UINT8, new int[0], 128))
                .initializer("b", b)
                .node("QuantizeLinear", List.of("x", "xs", "xz"), List.of("xq"))
                .node("QLinearConv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("yq"),
                        n -> n.ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1))
                .node("DequantizeLinear", List.of("yq", "ys", "yz"), List.of("y"))
                .output("y", DType.FLOAT32, 1, 40, 9, 9)
                .build();
    }
}
