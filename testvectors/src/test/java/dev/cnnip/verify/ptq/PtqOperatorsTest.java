package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A float model using every operator the quantizer handles beyond the plain CNN (BatchNormalization,
 * HardSwish as a Clip/Div chain, Sigmoid, Tanh, LeakyRelu, Mul, Concat, Add of a constant, nearest
 * Resize, Clip(0,6)) is quantized, compiled and simulated; every layer must equal ONNX Runtime.
 */
class PtqOperatorsTest {
    private static Tensor random(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextGaussian() * scale);
        return t;
    }

    private static ModelProto model() {
        Random r = new Random(21);
        Tensor var = random(r, 1, 8);
        for (int i = 0; i < 8; i++) var.setDouble(i, Math.abs(var.getFloat(i)) + 0.5);
        OnnxBuilder b = new OnnxBuilder("ops").opset("", 13).input("x", DType.FLOAT32, 1, 3, 16, 16)
                .initializer("w1", random(r, 0.4, 8, 3, 3, 3)).initializer("g", random(r, 1, 8)).initializer("be", random(r, 0.5, 8))
                .initializer("mu", random(r, 0.5, 8)).initializer("var", var)
                .initializer("three", Tensor.ofFloats(new int[0], 3f)).initializer("zero", Tensor.ofFloats(new int[0], 0f))
                .initializer("six", Tensor.ofFloats(new int[0], 6f))
                .initializer("w2", random(r, 0.3, 8, 8, 1, 1)).initializer("w3", random(r, 0.3, 8, 8, 3, 3))
                .initializer("bias", random(r, 0.5, 1, 8, 1, 1))
                .initializer("scales", Tensor.ofFloats(new int[] {4}, 1f, 1f, 2f, 2f))
                .initializer("w4", random(r, 0.3, 4, 24, 1, 1));
        b.node("Conv", List.of("x", "w1"), List.of("c1"), n -> n.ints("pads", 1, 1, 1, 1).ints("strides", 2, 2));
        b.node("BatchNormalization", List.of("c1", "g", "be", "mu", "var"), List.of("bn"));
        b.node("Add", List.of("bn", "three"), List.of("p3"));
        b.node("Clip", List.of("p3", "zero", "six"), List.of("r6"));
        b.node("Mul", List.of("bn", "r6"), List.of("m6"));
        b.node("Div", List.of("m6", "six"), List.of("hswish"));
        b.node("Conv", List.of("hswish", "w2"), List.of("c2"));
        b.node("Sigmoid", List.of("c2"), List.of("sig"));
        b.node("Mul", List.of("hswish", "sig"), List.of("gated"));
        b.node("Conv", List.of("gated", "w3"), List.of("c3"), n -> n.ints("pads", 1, 1, 1, 1));
        b.node("Clip", List.of("c3", "zero", "six"), List.of("relu6"));
        b.node("Tanh", List.of("c2"), List.of("th"));
        b.node("LeakyRelu", List.of("gated"), List.of("lr"), n -> n.f("alpha", 0.1f));
        b.node("Add", List.of("lr", "bias"), List.of("lrb"));
        b.node("Concat", List.of("relu6", "th", "lrb"), List.of("cat"), n -> n.i("axis", 1));
        b.node("Conv", List.of("cat", "w4"), List.of("c4"));
        b.node("Resize", List.of("c4", "", "scales"), List.of("y"), n -> n.s("mode", "nearest")
                .s("coordinate_transformation_mode", "asymmetric").s("nearest_mode", "floor"));
        b.output("y", DType.FLOAT32, 1, 4, 16, 16);
        return b.build();
    }

    /** AveragePool (with and without counting padding, with ceil mode), a BatchNormalization after no Conv, Sum. */
    private static ModelProto poolModel() {
        Random r = new Random(31);
        Tensor var = random(r, 1, 6);
        for (int i = 0; i < 6; i++) var.setDouble(i, Math.abs(var.getFloat(i)) + 0.5);
        OnnxBuilder b = new OnnxBuilder("pools").opset("", 13).input("x", DType.FLOAT32, 1, 6, 15, 13)
                .initializer("w", random(r, 0.4, 6, 6, 3, 3)).initializer("g", random(r, 1, 6)).initializer("be", random(r, 0.5, 6))
                .initializer("mu", random(r, 0.5, 6)).initializer("var", var);
        b.node("AveragePool", List.of("x"), List.of("ap1"), n -> n.ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1));
        b.node("AveragePool", List.of("x"), List.of("ap2"), n -> n.ints("kernel_shape", 3, 3).ints("strides", 2, 2)
                .ints("pads", 1, 0, 1, 1).i("count_include_pad", 1).i("ceil_mode", 1));
        b.node("Conv", List.of("ap2", "w"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1).ints("strides", 2, 2));
        b.node("BatchNormalization", List.of("ap1", "g", "be", "mu", "var"), List.of("bn"));
        b.node("Conv", List.of("bn", "w"), List.of("c2"), n -> n.ints("pads", 1, 1, 1, 1).ints("strides", 4, 4));
        b.node("Sum", List.of("c", "c2"), List.of("y"));
        b.output("y", DType.FLOAT32, 1, 6, 4, 4);
        return b.build();
    }

    @Test
    void poolingAndStandaloneBatchNormMatchOnnxRuntimeBitForBit() {
        Random r = new Random(3);
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Map.of("x", random(r, 1, 1, 6, 15, 13)));
        QdqQuantizer.Result q = QdqQuantizer.quantize(poolModel(), calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), "pools", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Map<String, Tensor> x = Map.of("x", random(new Random(5), 1, 1, 6, 15, 13));
        Machine m = new Machine(p, SimOptions.defaults(), "pools");
        x.forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
        List<String> ops = layers.stream().map(LayerMatch::op).toList();
        assertEquals(2, ops.stream().filter(o -> o.equals("AveragePool")).count(), ops.toString());
        assertTrue(ops.contains("Mul") && ops.contains("Add"), ops.toString());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), "layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
    }

    @Test
    void softmaxOverManyClassesMatchesOnnxRuntimeQLinearSoftmax() {
        Random r = new Random(13);
        ModelProto f = new OnnxBuilder("sm").opset("", 13).input("x", DType.FLOAT32, 3, 64)
                .initializer("w", random(r, 0.5, 64, 100)).initializer("b", random(r, 0.5, 100))
                .node("Gemm", List.of("x", "w", "b"), List.of("logits"))
                .node("Softmax", List.of("logits"), List.of("p"), n -> n.i("axis", 1))
                .output("p", DType.FLOAT32, 3, 100).build();
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Map.of("x", random(r, 1, 3, 64)));
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults(), null);
        Program p = Compiler.compile(q.model(), "sm", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Map<String, Tensor> x = Map.of("x", random(new Random(17), 1, 3, 64));
        Machine m = new Machine(p, SimOptions.defaults(), "sm");
        x.forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
        assertTrue(layers.stream().anyMatch(l -> l.op().equals("Softmax")), layers.toString());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), "layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
    }

    @Test
    void everyOperatorMatchesOnnxRuntimeBitForBit() {
        Random r = new Random(8);
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("x", random(r, 1, 1, 3, 16, 16));
            calib.add(m);
        }
        QdqQuantizer.Result q = QdqQuantizer.quantize(model(), calib, QdqQuantizer.Options.defaults(), null);
        CompileOptions opts = CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT);
        QGraph qg = Compiler.canonicalize(q.model(), opts);
        List<String> ops = qg.layers().stream()
                .map(l -> l.kind() + (l instanceof Layer.QLut lut ? ":" + lut.function().opType() : "")).toList();
        System.out.println("canonical ops: " + ops);
        for (String expected : List.of("QLut:HardSwish", "QLut:Sigmoid", "QMul", "QLut:Tanh", "QLut:LeakyRelu", "QAdd", "QConcat",
                "QResize")) {
            assertTrue(ops.contains(expected), expected + " in " + ops);
        }
        Program p = Compiler.compile(q.model(), "ops", opts);
        Map<String, Tensor> x = Map.of("x", random(new Random(99), 1, 1, 3, 16, 16));
        Machine m = new Machine(p, SimOptions.defaults(), "ops");
        x.forEach(m::writeInput);
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), "layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
        System.out.println(layers.size() + " layers bit-exact: " + layers.stream().map(LayerMatch::op).toList());
    }

    /**
     * Element-wise Max and Min of two convolutions (odd sizes): the quantizer gives both inputs and the output one set
     * of parameters, the compiler stacks the inputs and max-pools them; the Max and Min layers must equal ONNX Runtime
     * in both numerics.
     */
    @Test
    void elementwiseMaxAndMinMatchOnnxRuntimeBitForBit() {
        Random r = new Random(41);
        ModelProto f = new OnnxBuilder("max").opset("", 13).input("x", DType.FLOAT32, 1, 3, 11, 9)
                .initializer("w1", random(r, 0.4, 5, 3, 3, 3)).initializer("w2", random(r, 0.4, 5, 3, 1, 1))
                .node("Conv", List.of("x", "w1"), List.of("c1"), n -> n.ints("pads", 1, 1, 1, 1))
                .node("Conv", List.of("x", "w2"), List.of("c2"))
                .node("Max", List.of("c1", "c2"), List.of("y"))
                .node("Min", List.of("c1", "c2"), List.of("z"))
                .output("y", DType.FLOAT32, 1, 5, 11, 9).output("z", DType.FLOAT32, 1, 5, 11, 9).build();
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Map.of("x", random(r, 1, 1, 3, 11, 9)));
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults(), null);
        for (Numerics num : List.of(Numerics.ORT, Numerics.HW)) {
            CompileOptions opts = CompileOptions.of(HwConfig.preset("tiny"), num);
            List<String> kinds = Compiler.canonicalize(q.model(), opts).layers().stream().map(Layer::kind).toList();
            assertTrue(kinds.contains("QMax") && kinds.contains("QMin"), kinds.toString());
            Program p = Compiler.compile(q.model(), "max", opts);
            Map<String, Tensor> x = Map.of("x", random(new Random(43), 1, 1, 3, 11, 9));
            Machine m = new Machine(p, SimOptions.defaults(), "max");
            x.forEach(m::writeInput);
            m.run();
            dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
            List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
            // the Max layer runs as stacking + max pooling, so the program labels its output layer MaxPool
            assertTrue(layers.stream().anyMatch(l -> l.tensor().equals("y_quantized")), layers.toString());
            assertTrue(layers.stream().anyMatch(l -> l.tensor().equals("z_quantized") && l.op().equals("Min")), layers.toString());
            for (LayerMatch l : layers) {
                assertEquals(0, l.mismatches(), num + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff "
                        + l.maxAbsDiff());
            }
        }
    }

    /**
     * Constant Pad on H and W (value 0, and a non-zero value on H only, and W only) after a convolution: two
     * Concats with constant pieces; every layer must equal ONNX Runtime.
     */
    @Test
    void constantPadMatchesOnnxRuntimeBitForBit() {
        Random r = new Random(51);
        ModelProto f = new OnnxBuilder("pad").opset("", 13).input("x", DType.FLOAT32, 1, 3, 7, 6)
                .initializer("w", random(r, 0.4, 4, 3, 3, 3))
                .initializer("hw", Tensor.ofLongs(DType.INT64, new int[] {8}, 0, 0, 1, 3, 0, 0, 2, 4))
                .initializer("h", Tensor.ofLongs(DType.INT64, new int[] {8}, 0, 0, 2, 0, 0, 0, 1, 0))
                .initializer("wo", Tensor.ofLongs(DType.INT64, new int[] {8}, 0, 0, 0, 1, 0, 0, 0, 2))
                .initializer("v", Tensor.ofFloats(new int[0], 0.5f))
                .node("Conv", List.of("x", "w"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1))
                .node("Pad", List.of("c", "hw"), List.of("y"))
                .node("Pad", List.of("c", "h", "v"), List.of("z"))
                .node("Pad", List.of("c", "wo"), List.of("u"))
                .output("y", DType.FLOAT32, 1, 4, 10, 13).output("z", DType.FLOAT32, 1, 4, 10, 6)
                .output("u", DType.FLOAT32, 1, 4, 7, 9).build();
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 4; i++) calib.add(Map.of("x", random(r, 1, 1, 3, 7, 6)));
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults(), null);
        CompileOptions opts = CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT);
        List<String> kinds = Compiler.canonicalize(q.model(), opts).layers().stream().map(Layer::kind).toList();
        assertEquals(3, kinds.stream().filter(k -> k.equals("QPad")).count(), kinds.toString());
        Program p = Compiler.compile(q.model(), "pad", opts);
        Map<String, Tensor> x = Map.of("x", random(new Random(53), 1, 1, 3, 7, 6));
        Machine m = new Machine(p, SimOptions.defaults(), "pad");
        x.forEach(m::writeInput);
        m.run();
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
        for (String t : List.of("y_quantized", "z_quantized", "u_quantized")) {
            assertTrue(layers.stream().anyMatch(l -> l.tensor().equals(t)), t + " in " + layers);
        }
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), "layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
    }
}
