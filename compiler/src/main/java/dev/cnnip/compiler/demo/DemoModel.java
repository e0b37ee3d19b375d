package dev.cnnip.compiler.demo;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The embedded default network of {@code cnnip demo}: a small residual CNN built in code with seeded
 * weights (He-style initialisation), float32, opset 13:
 * <pre>
 * image [1,3,64,64]
 *  conv1 3→16 3×3 pad 1, Relu          [1,16,64,64]   1.77 M MACs
 *  pool1 MaxPool 2×2                   [1,16,32,32]
 *  conv2 16→32 3×3 pad 1, Relu         [1,32,32,32]   4.72 M MACs
 *  conv3 32→32 3×3 pad 1, Relu         [1,32,32,32]   9.44 M MACs
 *  add   conv2 + conv3 (residual)      [1,32,32,32]
 *  pool2 MaxPool 2×2                   [1,32,16,16]
 *  conv4 32→64 3×3 stride 2 pad 1, Relu [1,64,8,8]    1.18 M MACs
 *  gap   GlobalAveragePool, Flatten    [1,64]
 *  fc    Gemm 64→10                    [1,10] logits
 * </pre>
 * 17.1 M multiply-accumulates in all.
 */
public final class DemoModel {
    public static final String INPUT = "image";
    public static final String OUTPUT = "logits";
    public static final int[] INPUT_SHAPE = {1, 3, 64, 64};

    private DemoModel() {}

    public static ModelProto build(long seed) {
        Random rnd = new Random(seed);
        OnnxBuilder b = new OnnxBuilder("cnnip_demo").opset("", 13).producer("cnnip", "0.1.0");
        b.input(INPUT, DType.FLOAT32, INPUT_SHAPE);
        conv(b, rnd, "conv1", INPUT, 3, 16, 1);
        b.node("Relu", List.of("conv1"), List.of("relu1"), n -> n.name("relu1"));
        b.node("MaxPool", List.of("relu1"), List.of("pool1"), n -> n.name("pool1").ints("kernel_shape", 2, 2).ints("strides", 2, 2));
        conv(b, rnd, "conv2", "pool1", 16, 32, 1);
        b.node("Relu", List.of("conv2"), List.of("relu2"), n -> n.name("relu2"));
        conv(b, rnd, "conv3", "relu2", 32, 32, 1);
        b.node("Relu", List.of("conv3"), List.of("relu3"), n -> n.name("relu3"));
        b.node("Add", List.of("relu2", "relu3"), List.of("add"), n -> n.name("add"));
        b.node("MaxPool", List.of("add"), List.of("pool2"), n -> n.name("pool2").ints("kernel_shape", 2, 2).ints("strides", 2, 2));
        conv(b, rnd, "conv4", "pool2", 32, 64, 2);
        b.node("Relu", List.of("conv4"), List.of("relu4"), n -> n.name("relu4"));
        b.node("GlobalAveragePool", List.of("relu4"), List.of("gap"), n -> n.name("gap"));
        b.node("Flatten", List.of("gap"), List.of("flat"), n -> n.name("flatten"));
        b.initializer("fc.weight", random(rnd, new int[] {64, 10}, Math.sqrt(2.0 / 64)));
        b.initializer("fc.bias", random(rnd, new int[] {10}, 0.1));
        b.node("Gemm", List.of("flat", "fc.weight", "fc.bias"), List.of(OUTPUT), n -> n.name("fc"));
        b.output(OUTPUT, DType.FLOAT32, 1, 10);
        return b.build();
    }

    private static void conv(OnnxBuilder b, Random rnd, String name, String in, int ic, int oc, int stride) {
        b.initializer(name + ".weight", random(rnd, new int[] {oc, ic, 3, 3}, Math.sqrt(2.0 / (ic * 9))));
        b.initializer(name + ".bias", random(rnd, new int[] {oc}, 0.05));
        b.node("Conv", List.of(in, name + ".weight", name + ".bias"), List.of(name),
                n -> n.name(name).ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).ints("strides", stride, stride));
    }

    private static Tensor random(Random rnd, int[] shape, double std) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, (float) (rnd.nextGaussian() * std));
        return t;
    }

    /**
     * Generated input images: smooth random colour fields in [0, 1] (sums of a few low-frequency
     * waves per channel), so that activations look like natural images rather than white noise.
     */
    public static List<Map<String, Tensor>> inputs(long seed, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Tensor t = Tensor.zeros(DType.FLOAT32, INPUT_SHAPE);
            int h = INPUT_SHAPE[2];
            int w = INPUT_SHAPE[3];
            for (int c = 0; c < 3; c++) {
                double[] fx = {rnd.nextDouble(0.5, 4), rnd.nextDouble(0.5, 4)};
                double[] fy = {rnd.nextDouble(0.5, 4), rnd.nextDouble(0.5, 4)};
                double[] ph = {rnd.nextDouble(0, 6.28), rnd.nextDouble(0, 6.28)};
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double v = 0.5 + 0.25 * Math.sin(fx[0] * x / w * 6.28 + fy[0] * y / h * 6.28 + ph[0])
                                + 0.2 * Math.cos(fx[1] * x / w * 6.28 - fy[1] * y / h * 6.28 + ph[1]);
                        t.setDouble((c * h + y) * w + x, Math.max(0, Math.min(1, v)));
                    }
                }
            }
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(INPUT, t);
            out.add(m);
        }
        return out;
    }
}
