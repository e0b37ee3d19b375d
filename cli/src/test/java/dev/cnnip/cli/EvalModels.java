package dev.cnnip.cli;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * A tiny image "classifier" for the eval tests, in two forms with the same seeded weights:
 * <ul>
 * <li>{@link #quantized}: QuantizeLinear (u8) → QLinearConv with a full-image kernel (s8 weights, int32
 * bias) → DequantizeLinear: image f32[1, 1, 6, 6] in 0..1 → logits f32[1, 10, 1, 1];</li>
 * <li>{@link #floating}: the float Conv with the dequantized weights and bias, same input and output.</li>
 * </ul>
 * ONNX Runtime runs the QOperator form bit-exactly like the simulator, so its arg-max is the expected
 * prediction of the compiled program.
 */
final class EvalModels {
    static final String INPUT = "image";
    static final String OUTPUT = "logits";
    static final int SIDE = 6;
    static final int CLASSES = 10;
    static final float X_SCALE = 1f / 255;
    static final float W_SCALE = 0.01f;
    static final float Y_SCALE = 0.05f;
    static final int Y_ZERO = 128;

    private EvalModels() {}

    static ModelProto quantized() {
        return new OnnxBuilder("eval_q").opset("", 13)
                .input(INPUT, DType.FLOAT32, 1, 1, SIDE, SIDE)
                .initializer("xs", Tensor.ofFloats(new int[0], X_SCALE))
                .initializer("xz", Tensor.ofLongs(DType.UINT8, new int[0], 0))
                .initializer("w", weights())
                .initializer("ws", Tensor.ofFloats(new int[0], W_SCALE))
                .initializer("wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer("ys", Tensor.ofFloats(new int[0], Y_SCALE))
                .initializer("yz", Tensor.ofLongs(DType.UINT8, new int[0], Y_ZERO))
                .initializer("b", bias())
                .node("QuantizeLinear", List.of(INPUT, "xs", "xz"), List.of("xq"))
                .node("QLinearConv", List.of("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("yq"),
                        n -> n.ints("kernel_shape", SIDE, SIDE))
                .node("DequantizeLinear", List.of("yq", "ys", "yz"), List.of(OUTPUT))
                .output(OUTPUT, DType.FLOAT32, 1, CLASSES, 1, 1)
                .build();
    }

    static ModelProto floating() {
        Tensor wq = weights();
        Tensor w = Tensor.zeros(DType.FLOAT32, wq.shape());
        for (int i = 0; i < w.size(); i++) w.setDouble(i, wq.getLong(i) * W_SCALE);
        Tensor bq = bias();
        Tensor b = Tensor.zeros(DType.FLOAT32, CLASSES);
        for (int i = 0; i < CLASSES; i++) b.setDouble(i, bq.getLong(i) * (double) X_SCALE * W_SCALE);
        return new OnnxBuilder("eval_f").opset("", 13)
                .input(INPUT, DType.FLOAT32, 1, 1, SIDE, SIDE)
                .initializer("w", w)
                .initializer("b", b)
                .node("Conv", List.of(INPUT, "w", "b"), List.of(OUTPUT), n -> n.ints("kernel_shape", SIDE, SIDE))
                .output(OUTPUT, DType.FLOAT32, 1, CLASSES, 1, 1)
                .build();
    }

    /** Seeded images in [0, 1): {@code items} of them as one f32[items, 1, 6, 6] batch. */
    static Tensor images(int items, long seed) {
        Random rnd = new Random(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, items, 1, SIDE, SIDE);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, rnd.nextFloat());
        return t;
    }

    private static Tensor weights() {
        Random rnd = new Random(42);
        Tensor w = Tensor.zeros(DType.INT8, CLASSES, 1, SIDE, SIDE);
        for (int i = 0; i < w.size(); i++) w.setLong(i, rnd.nextInt(255) - 127);
        return w;
    }

    private static Tensor bias() {
        Random rnd = new Random(43);
        Tensor b = Tensor.zeros(DType.INT32, CLASSES);
        for (int i = 0; i < CLASSES; i++) b.setLong(i, rnd.nextInt(2001) - 1000);
        return b;
    }
}
