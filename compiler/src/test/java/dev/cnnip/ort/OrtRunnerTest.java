package dev.cnnip.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtRunnerTest {

    private static Tensor image(Tensor batch, int i) {
        int bytes = 28 * 28 * 4;
        return new Tensor(DType.FLOAT32, new int[] {1, 1, 28, 28}, Arrays.copyOfRange(batch.data(), i * bytes, (i + 1) * bytes));
    }

    private static int argmax(Tensor t) {
        int best = 0;
        for (int i = 1; i < t.size(); i++) {
            if (t.getFloat(i) > t.getFloat(best)) best = i;
        }
        return best;
    }

    @Test
    void mnistRecognisesRealDigits() throws Exception {
        Tensor images = Npy.read(TestData.require("digits/mnist-1000-images.npy"));
        Tensor labels = Npy.read(TestData.require("digits/mnist-1000-labels.npy"));
        try (OrtRunner r = OrtRunner.create(TestData.require("models/mnist-8.onnx"), OrtOptions.defaults())) {
            assertEquals(List.of("Input3"), r.inputNames());
            assertEquals(List.of("Plus214_Output_0"), r.outputNames());
            assertEquals("Input3:float32[1, 1, 28, 28]", r.inputInfo().get(0).toString());
            int correct = 0;
            for (int i = 0; i < 20; i++) {
                Map<String, Tensor> out = r.run(Map.of("Input3", image(images, i)));
                Tensor logits = out.get("Plus214_Output_0");
                assertArrayEquals(new int[] {1, 10}, logits.shape());
                if (argmax(logits) == labels.getLong(i)) correct++;
            }
            System.out.println("mnist-8: " + correct + " of 20 digits recognised");
            assertTrue(correct >= 19, correct + " of 20");
        }
    }

    /** Conv (3x3 ones, bias -2, pads 1) → Relu → MaxPool 2x2, worked out by hand. */
    @Test
    void builtConvReluMaxPoolMatchesHandComputation() {
        Tensor x = Tensor.ofFloats(new int[] {1, 1, 4, 4},
                1, 2, -1, 0,
                0, 1, 3, -2,
                -1, 0, 2, 1,
                2, -3, 0, 1);
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);
        ModelProto m = new OnnxBuilder("conv_relu_pool").opset("", 13)
                .input("x", DType.FLOAT32, 1, 1, 4, 4)
                .initializer("w", Tensor.ofFloats(new int[] {1, 1, 3, 3}, ones))
                .initializer("b", Tensor.ofFloats(new int[] {1}, -2f))
                .node("Conv", List.of("x", "w", "b"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1).ints("kernel_shape", 3, 3))
                .node("Relu", List.of("c"), List.of("r"))
                .node("MaxPool", List.of("r"), List.of("y"), n -> n.ints("kernel_shape", 2, 2).ints("strides", 2, 2))
                .output("y", DType.FLOAT32, 1, 1, 2, 2)
                .output("r", DType.FLOAT32)
                .build();
        try (OrtRunner r = OrtRunner.create(m, OrtOptions.defaults())) {
            Map<String, Tensor> out = r.run(Map.of("x", x));
            assertEquals(List.of("y", "r"), List.copyOf(out.keySet()));
            // 3x3 neighbourhood sums minus 2, negatives cut by Relu.
            assertArrayEquals(new float[] {
                    2, 4, 1, 0,
                    1, 5, 4, 1,
                    0, 2, 1, 3,
                    0, 0, 0, 2}, out.get("r").toFloatArray());
            assertArrayEquals(new float[] {5, 4, 2, 3}, out.get("y").toFloatArray());
            assertArrayEquals(new int[] {1, 1, 2, 2}, out.get("y").shape());
            // Asking for one output only, by name.
            assertEquals(List.of("r"), List.copyOf(r.run(Map.of("x", x), List.of("r")).keySet()));
        }
    }

    @Test
    void extraOutputsExposeIntermediateTensors() {
        ModelProto mnist = OnnxModels.load(TestData.require("models/mnist-8.onnx"));
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, (i % 29) / 28.0);
        Tensor reference;
        try (OrtRunner r = OrtRunner.create(mnist, OrtOptions.defaults())) {
            reference = r.run(Map.of("Input3", x)).get("Plus214_Output_0");
        }
        // mnist-8 lists value_info for its intermediates, so the probes are typed; without it
        // they have no type at all, which ONNX Runtime accepts as well.
        ModelProto untyped = mnist.toBuilder().setGraph(mnist.getGraph().toBuilder().clearValueInfo()).build();
        for (ModelProto base : List.of(mnist, untyped)) {
            ModelProto probed = OnnxModels.withExtraOutputs(base, List.of("Convolution28_Output_0", "Pooling66_Output_0"));
            try (OrtRunner r = OrtRunner.create(probed, OrtOptions.defaults())) {
                assertEquals(List.of("Plus214_Output_0", "Convolution28_Output_0", "Pooling66_Output_0"), r.outputNames());
                Map<String, Tensor> out = r.run(Map.of("Input3", x));
                assertArrayEquals(new int[] {1, 8, 28, 28}, out.get("Convolution28_Output_0").shape());
                assertArrayEquals(new int[] {1, 8, 14, 14}, out.get("Pooling66_Output_0").shape());
                assertEquals(DType.FLOAT32, out.get("Pooling66_Output_0").dtype());
                float[] logits = out.get("Plus214_Output_0").toFloatArray();
                float[] want = reference.toFloatArray();
                for (int i = 0; i < logits.length; i++) assertEquals(want[i], logits[i], 1e-4 * Math.abs(want[i]) + 1e-5);
            }
        }
    }

    /** QuantizeLinear: q = saturate(rint(x / scale) + zp), ties to even; DequantizeLinear: (q − zp) · scale. */
    @Test
    void quantizeDequantizeGivesTheExactIntegers() {
        float[] xs = {0.25f, 0.75f, -0.25f, 1.25f, -1.25f, 1000f, -1000f, 63.4f};
        ModelProto m = new OnnxBuilder("qdq").opset("", 13)
                .input("x", DType.FLOAT32, xs.length)
                .initializer("s", Tensor.ofFloats(new int[0], 0.5f))
                .initializer("zu", Tensor.ofLongs(DType.UINT8, new int[0], 128))
                .initializer("zi", Tensor.ofLongs(DType.INT8, new int[0], -3))
                .node("QuantizeLinear", List.of("x", "s", "zu"), List.of("qu"))
                .node("DequantizeLinear", List.of("qu", "s", "zu"), List.of("du"))
                .node("QuantizeLinear", List.of("x", "s", "zi"), List.of("qi"))
                .output("qu", DType.UINT8, xs.length)
                .output("qi", DType.INT8, xs.length)
                .output("du", DType.FLOAT32, xs.length)
                .build();
        try (OrtRunner r = OrtRunner.create(m, OrtOptions.defaults())) {
            Map<String, Tensor> out = r.run(Map.of("x", Tensor.ofFloats(new int[] {xs.length}, xs)));
            assertEquals(DType.UINT8, out.get("qu").dtype());
            assertEquals(DType.INT8, out.get("qi").dtype());
            // x/s = 0.5, 1.5, -0.5, 2.5, -2.5, 2000, -2000, 126.8
            assertArrayEquals(new long[] {128, 130, 128, 130, 126, 255, 0, 255}, out.get("qu").toLongArray());
            assertArrayEquals(new long[] {-3, -1, -3, -1, -5, 127, -128, 124}, out.get("qi").toLongArray());
            assertArrayEquals(new float[] {0, 1, 0, 1, -1, 63.5f, -64, 63.5f}, out.get("du").toFloatArray());
            for (int i = 0; i < xs.length; i++) {
                assertEquals(Math.max(0, Math.min(255, Math.rint(xs[i] / 0.5f) + 128)), out.get("qu").getLong(i));
                assertEquals(Math.max(-128, Math.min(127, Math.rint(xs[i] / 0.5f) - 3)), out.get("qi").getLong(i));
            }
        }
    }

    /** The Java API hands uint16 back as int16; the bridge returns UINT16 with the unsigned values. */
    @Test
    void uint16OutputsComeBackUnsigned() {
        ModelProto m = new OnnxBuilder("q16").opset("", 21)
                .input("x", DType.FLOAT32, 4)
                .initializer("s", Tensor.ofFloats(new int[0], 1f))
                .initializer("z", Tensor.ofLongs(DType.UINT16, new int[0], 40000))
                .node("QuantizeLinear", List.of("x", "s", "z"), List.of("q"))
                .output("q", DType.UINT16, 4)
                .build();
        try (OrtRunner r = OrtRunner.create(m, OrtOptions.defaults())) {
            assertEquals(DType.UINT16, r.outputInfo().get(0).dtype().orElseThrow());
            Tensor q = r.run(Map.of("x", Tensor.ofFloats(new int[] {4}, 0f, 100f, -40000.4f, 30000f))).get("q");
            assertEquals(DType.UINT16, q.dtype());
            assertArrayEquals(new long[] {40000, 40100, 0, 65535}, q.toLongArray());
        }
    }

    @Test
    void inputsTheJavaApiCannotCreateAreNamed() {
        ModelProto m = new OnnxBuilder("u16in").opset("", 13)
                .input("u", DType.UINT16, 2)
                .input("f", DType.FLOAT32, 2)
                .node("Cast", List.of("u"), List.of("uf"), n -> n.i("to", 1))
                .node("Add", List.of("uf", "f"), List.of("y"))
                .output("y", DType.FLOAT32, 2)
                .build();
        try (OrtRunner r = OrtRunner.create(m, OrtOptions.defaults())) {
            Tensor f = Tensor.ofFloats(new int[] {2}, 1, 2);
            Tensor u = Tensor.ofLongs(DType.UINT16, new int[] {2}, 1, 65535);
            assertEquals("model 'u16in': input 'u' has type uint16, which the ONNX Runtime Java API cannot create",
                    assertThrows(OrtBridgeException.class, () -> r.run(Map.of("u", u, "f", f))).getMessage());
            assertEquals("model 'u16in': input 'u' is missing", assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("f", f))).getMessage());
            assertEquals("model 'u16in' has no input 'g' (inputs: u, f)", assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("g", f))).getMessage());
        }
        ModelProto relu = new OnnxBuilder("relu").opset("", 13)
                .input("x", DType.FLOAT32, 2)
                .node("Relu", List.of("x"), List.of("y"))
                .output("y", DType.FLOAT32, 2)
                .build();
        try (OrtRunner r = OrtRunner.create(relu, OrtOptions.defaults())) {
            assertEquals("model 'relu': input 'x' must be float32, got int32", assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("x", Tensor.zeros(DType.INT32, 2)))).getMessage());
            assertEquals("model 'relu': input 'x' must be float32, got uint16", assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("x", Tensor.zeros(DType.UINT16, 2)))).getMessage());
            assertEquals("model 'relu' has no output 'z' (outputs: y)", assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("x", Tensor.zeros(DType.FLOAT32, 2)), List.of("z"))).getMessage());
        }
        // int4 inputs: the Java binding reports them as undefined; the declared type names them.
        ModelProto int8 = new OnnxBuilder("i4").opset("", 21)
                .input("q", DType.INT8, 2)
                .initializer("s", Tensor.ofFloats(new int[0], 1f))
                .node("DequantizeLinear", List.of("q", "s"), List.of("y"))
                .output("y", DType.FLOAT32, 2)
                .build();
        GraphProto.Builder g = int8.getGraph().toBuilder();
        g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(22); // INT4
        ModelProto int4 = int8.toBuilder().setGraph(g).build();
        try (OrtRunner r = OrtRunner.create(int4, OrtOptions.defaults())) {
            assertEquals("int4", r.inputInfo().get(0).typeName());
            assertEquals("model 'i4': input 'q' has type int4, which the ONNX Runtime Java API cannot create",
                    assertThrows(OrtBridgeException.class, () -> r.run(Map.of("q", Tensor.zeros(DType.INT8, 2)))).getMessage());
        }
    }

    @Test
    void ortErrorsAreOneClearLine() {
        try (OrtRunner r = OrtRunner.create(TestData.require("models/mnist-8.onnx"), OrtOptions.defaults())) {
            OrtBridgeException e = assertThrows(OrtBridgeException.class,
                    () -> r.run(Map.of("Input3", Tensor.zeros(DType.FLOAT32, 1, 1, 29, 28))));
            System.out.println("bad shape: " + e.getMessage());
            assertTrue(e.getMessage().startsWith(TestData.require("models/mnist-8.onnx")
                    + ": ONNX Runtime run failed: Got invalid dimensions for input: Input3"), e.getMessage());
            assertTrue(e.getMessage().contains("index: 2 Got: 29 Expected: 28"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertTrue(e.getCause() instanceof ai.onnxruntime.OrtException);
        }
        ModelProto unknownOp = new OnnxBuilder("bogus").opset("", 13)
                .input("x", DType.FLOAT32, 2)
                .node("NoSuchOp", List.of("x"), List.of("y"))
                .output("y", DType.FLOAT32, 2)
                .build();
        OrtBridgeException e = assertThrows(OrtBridgeException.class,
                () -> OrtRunner.create(unknownOp, OrtOptions.defaults()));
        System.out.println("unknown op: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("model 'bogus': ONNX Runtime cannot load it: "), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchOp"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void optionsWriteTheOptimizedModel(@TempDir Path dir) throws Exception {
        assertEquals(new OrtOptions(OrtOptions.OptLevel.EXTENDED, true, 1, 1, null), OrtOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> OrtOptions.defaults().withThreads(0, 1));
        Path optimized = dir.resolve("optimized.onnx");
        OrtOptions opts = OrtOptions.defaults().withOptLevel(OrtOptions.OptLevel.BASIC).withOptimizedModelPath(optimized);
        try (OrtRunner r = OrtRunner.create(TestData.require("models/mnist-8.onnx"), opts)) {
            assertEquals(1, r.outputNames().size());
        }
        assertTrue(Files.size(optimized) > 0);
        ModelProto m = OnnxModels.load(optimized);
        assertTrue(m.getGraph().getNodeCount() > 0);
        for (OrtOptions.OptLevel level : OrtOptions.OptLevel.values()) {
            try (OrtRunner r = OrtRunner.create(TestData.require("models/mnist-8.onnx"),
                    OrtOptions.defaults().withOptLevel(level).withX64QuantPrecision(false))) {
                assertEquals(10, r.run(Map.of("Input3", Tensor.zeros(DType.FLOAT32, 1, 1, 28, 28))).get("Plus214_Output_0").size());
            }
        }
    }
}
