package dev.cnnip.e2e;

import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small random float CNNs (Conv, Relu, MaxPool, residual Add, GlobalAveragePool, Flatten, Gemm), quantized
 * to QDQ by {@link QdqQuantizer} from random calibration inputs, so that the quantizer's output goes
 * through the same end-to-end checks as the hand-made models.
 */
final class FloatNets {
    private static final int CALIBRATION_ITEMS = 4;

    private FloatNets() {}

    static GeneratedModel quantized(String name, long seed, DType activations, String hw) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 1 + r.nextInt(4);
        int h = 12 + r.nextInt(21);
        int w = 12 + r.nextInt(21);
        int c1 = 4 + r.nextInt(13);
        int c2 = 4 + r.nextInt(13);
        int classes = 2 + r.nextInt(9);
        OnnxBuilder b = new OnnxBuilder(name).opset("", 13).input("x", DType.FLOAT32, 1, c, h, w);
        conv(b, r, "conv1", "x", c, c1, 3, 1);
        b.node("Relu", List.of("conv1"), List.of("relu1"));
        b.node("MaxPool", List.of("relu1"), List.of("pool1"), n -> n.ints("kernel_shape", 2, 2).ints("strides", 2, 2));
        conv(b, r, "conv2", "pool1", c1, c2, 3, 1);
        b.node("Relu", List.of("conv2"), List.of("relu2"));
        conv(b, r, "conv3", "relu2", c2, c2, 1, 0);
        b.node("Add", List.of("relu2", "conv3"), List.of("sum"));
        b.node("GlobalAveragePool", List.of("sum"), List.of("gap"));
        b.node("Flatten", List.of("gap"), List.of("flat"));
        b.initializer("fc_w", normal(r, 1.0 / Math.sqrt(c2), c2, classes));
        b.initializer("fc_b", normal(r, 0.1, classes));
        b.node("Gemm", List.of("flat", "fc_w", "fc_b"), List.of("logits"));
        b.output("logits", DType.FLOAT32, 1, classes);
        ModelProto f = b.build();
        InputSpec in = new InputSpec("x", DType.FLOAT32, new int[] {1, c, h, w}, 0.2, 1.0);
        List<Map<String, Tensor>> calib = new ArrayList<>();
        SplittableRandom cr = new SplittableRandom(seed + 7);
        for (int i = 0; i < CALIBRATION_ITEMS; i++) calib.add(Map.of("x", in.random(cr)));
        ModelProto q = QdqQuantizer.quantize(f, calib, QdqQuantizer.Options.defaults().withActivationType(activations), null).model();
        String desc = String.format("float net %dx%dx%d: conv %d relu, maxpool, conv %d relu, conv 1x1 + residual add, "
                + "gap, flatten, gemm %d; quantized %s per-channel from %d calibration inputs", c, h, w, c1, c2, classes,
                activations.shortName(), CALIBRATION_ITEMS);
        return new GeneratedModel(name, desc, ModelWriter.Form.QDQ, hw, q, List.of(in), r.nextLong());
    }

    private static void conv(OnnxBuilder b, SplittableRandom r, String name, String in, int ic, int oc, int k, int pad) {
        b.initializer(name + "_w", normal(r, Math.sqrt(2.0 / (ic * k * k)), oc, ic, k, k));
        b.initializer(name + "_b", normal(r, 0.1, oc));
        b.node("Conv", List.of(in, name + "_w", name + "_b"), List.of(name),
                n -> n.ints("kernel_shape", k, k).ints("pads", pad, pad, pad, pad));
    }

    private static Tensor normal(SplittableRandom r, double std, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, std * InputSpec.gaussian(r));
        return t;
    }
}
