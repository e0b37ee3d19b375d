package dev.cnnip.vectors;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A QOperator model of two convolutions (3×3 pad 1, then 3×3 stride 2 pad 1) compiled for the 64 KiB
 * {@code tiny} machine, where the first layer's accumulators (32·32·16 int32 = 64 KiB) cannot fit and are
 * tiled: the vectors must trace accumulators through several pp.requant and st tiles.
 */
final class TwoConvs {
    static final int IC = 8;
    static final int MID = 16;
    static final int OC = 8;
    static final int HW = 32;
    static final int XZP = 128;
    static final int MZP = 120;

    private TwoConvs() {}

    static Tensor weights(int oc, int ic, long seed) {
        Random rnd = new Random(seed);
        Tensor w = Tensor.zeros(DType.INT8, oc, ic, 3, 3);
        for (int i = 0; i < w.size(); i++) w.setLong(i, rnd.nextInt(255) - 127);
        return w;
    }

    static Tensor bias(int oc, long seed) {
        Random rnd = new Random(seed);
        Tensor b = Tensor.zeros(DType.INT32, oc);
        for (int i = 0; i < oc; i++) b.setLong(i, rnd.nextInt(2000) - 1000);
        return b;
    }

    static ModelProto model() {
        return new OnnxBuilder("two_convs").opset("", 13)
                .input("x", DType.UINT8, 1, IC, HW, HW)
                .initializer("xs", Tensor.ofFloats(new int[0], 0.02f))
                .initializer("xz", Tensor.ofLongs(DType.UINT8, new int[0], XZP))
                .initializer("w1", weights(MID, IC, 1))
                .initializer("w2", weights(OC, MID, 2))
                .initializer("ws", Tensor.ofFloats(new int[0], 0.01f))
                .initializer("wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer("ms", Tensor.ofFloats(new int[0], 0.3f))
                .initializer("mz", Tensor.ofLongs(DType.UINT8, new int[0], MZP))
                .initializer("ys", Tensor.ofFloats(new int[0], 0.5f))
                .initializer("yz", Tensor.ofLongs(DType.UINT8, new int[0], 100))
                .initializer("b1", bias(MID, 3))
                .initializer("b2", bias(OC, 4))
                .node("QLinearConv", List.of("x", "xs", "xz", "w1", "ws", "wz", "ms", "mz", "b1"), List.of("m"),
                        n -> n.ints("pads", 1, 1, 1, 1).ints("kernel_shape", 3, 3))
                .node("QLinearConv", List.of("m", "ms", "mz", "w2", "ws", "wz", "ys", "yz", "b2"), List.of("y"),
                        n -> n.ints("pads", 1, 1, 1, 1).ints("kernel_shape", 3, 3).ints("strides", 2, 2))
                .output("y", DType.UINT8, 1, OC, HW / 2, HW / 2)
                .build();
    }

    static Program program() {
        return Compiler.compile(model(), "two_convs.onnx", CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
    }

    static Tensor input(long seed) {
        Random rnd = new Random(seed);
        Tensor x = Tensor.zeros(DType.UINT8, 1, IC, HW, HW);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        return x;
    }

    static VectorExporter.InputSet inputs() {
        return new VectorExporter.InputSet(Map.of("x", input(7)), Map.of("x", "seeded test input"));
    }

    /**
     * Accumulators of a 3×3 convolution with padding 1 and the given stride, computed directly (no
     * simulator): {@code Σ (x − xzp)·w} over taps inside the input, NCHW.
     */
    static long[] directAcc(Tensor x, int xzp, Tensor w, int stride) {
        int ic = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int oc = w.dim(0);
        int oh = (h + 2 - 3) / stride + 1;
        int ow = (wd + 2 - 3) / stride + 1;
        long[] acc = new long[oc * oh * ow];
        for (int o = 0; o < oc; o++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    long s = 0;
                    for (int c = 0; c < ic; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = y * stride - 1 + ky;
                                int ix = xx * stride - 1 + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                s += (x.getLong((c * h + iy) * wd + ix) - xzp) * w.getLong(((o * ic + c) * 3 + ky) * 3 + kx);
                            }
                        }
                    }
                    acc[(o * oh + y) * ow + xx] = s;
                }
            }
        }
        return acc;
    }
}
