package dev.cnnip.compiler.backend;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small single-layer QOperator models (uint8 activations, int8 weights, per-tensor quantization) for the
 * code-generator tests: shapes chosen so that the {@code tiny} preset (64 KiB SRAM) must tile them.
 * Weights and biases come from a fixed seed, so the same call writes the same bytes. Output scales
 * put about 50 codes on one standard deviation of the accumulator for uniform uint8 inputs around 128
 * and uniform int8 weights in [-20, 20] (input codes: σ ≈ 74; weights: σ ≈ 11.8).
 */
final class CodegenModels {
    private CodegenModels() {}

    /** 3×3 convolution, pad 1, stride 1: [1, ic, h, w] → [1, oc, h, w]. */
    static ModelProto conv(String name, int ic, int oc, int h, int w, int k, int group) {
        int pad = k / 2;
        int icg = ic / group;
        int fan = icg * k * k;
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        long[] wv = new long[oc * fan];
        for (int i = 0; i < wv.length; i++) wv[i] = rnd.nextInt(41) - 20;
        long[] bias = new long[oc];
        for (int i = 0; i < oc; i++) bias[i] = rnd.nextInt(4001) - 2000;
        float xs = 0.02f;
        float ws = 0.01f;
        float ys = (float) (Math.sqrt(fan) * 74 * 11.8 * xs * ws / 50);
        OnnxBuilder b = new OnnxBuilder(name).opset("", 13);
        b.input("x", DType.UINT8, 1, ic, h, w);
        b.initializer("x_s", scalar(xs)).initializer("x_zp", zp(DType.UINT8, 128));
        b.initializer("w", Tensor.ofLongs(DType.INT8, new int[] {oc, icg, k, k}, wv));
        b.initializer("w_s", scalar(ws)).initializer("w_zp", zp(DType.INT8, 0));
        b.initializer("y_s", scalar(ys)).initializer("y_zp", zp(DType.UINT8, 128));
        b.initializer("b", Tensor.ofLongs(DType.INT32, new int[] {oc}, bias));
        b.node("QLinearConv", List.of("x", "x_s", "x_zp", "w", "w_s", "w_zp", "y_s", "y_zp", "b"), List.of("y"),
                n -> n.ints("kernel_shape", k, k).ints("strides", 1, 1).ints("dilations", 1, 1)
                        .ints("pads", pad, pad, pad, pad).i("group", group));
        b.output("y", DType.UINT8, 1, oc, h, w);
        return b.build();
    }

    /** 2×2 max pooling, stride 2, of a uint8 [1, c, h, w] tensor. */
    static ModelProto maxPool(String name, int c, int h, int w) {
        OnnxBuilder b = new OnnxBuilder(name).opset("", 13);
        b.input("x", DType.UINT8, 1, c, h, w);
        b.node("MaxPool", List.of("x"), List.of("y"), n -> n.ints("kernel_shape", 2, 2).ints("strides", 2, 2));
        b.output("y", DType.UINT8, 1, c, h / 2, w / 2);
        return b.build();
    }

    /** QLinearAdd (com.microsoft) of two uint8 tensors of the same shape. */
    static ModelProto add(String name, int... shape) {
        OnnxBuilder b = new OnnxBuilder(name).opset("", 13).opset("com.microsoft", 1);
        b.input("a", DType.UINT8, shape).input("c", DType.UINT8, shape);
        b.initializer("a_s", scalar(0.02f)).initializer("a_zp", zp(DType.UINT8, 128));
        b.initializer("c_s", scalar(0.03f)).initializer("c_zp", zp(DType.UINT8, 120));
        b.initializer("y_s", scalar(0.04f)).initializer("y_zp", zp(DType.UINT8, 128));
        b.node("QLinearAdd", List.of("a", "a_s", "a_zp", "c", "c_s", "c_zp", "y_s", "y_zp"), List.of("y"),
                n -> n.domain("com.microsoft"));
        b.output("y", DType.UINT8, shape);
        return b.build();
    }

    private static Tensor scalar(float v) {
        return Tensor.ofFloats(new int[0], v);
    }

    private static Tensor zp(DType t, int v) {
        return Tensor.ofLongs(t, new int[0], v);
    }
}
