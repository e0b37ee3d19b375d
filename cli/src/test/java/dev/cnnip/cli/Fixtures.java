package dev.cnnip.cli;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Random;

/** Small models built in code for the command-line tests. */
final class Fixtures {
    private Fixtures() {}

    /** One QLinearConv 3×3 pad 1 over u8 input x[1, ic, hw, hw] with seeded s8 weights. */
    static ModelProto qlinearConv(int ic, int oc, int hw) {
        Random rnd = new Random(ic * 31L + oc);
        Tensor w = Tensor.zeros(DType.INT8, oc, ic, 3, 3);
        for (int i = 0; i < w.size(); i++) w.setLong(i, rnd.nextInt(255) - 127);
        Tensor b = Tensor.zeros(DType.INT32, oc);
        for (int i = 0; i < oc; i++) b.setLong(i, rnd.nextInt(2000) - 1000);
        return new OnnxBuilder("qconv").opset("", 13)
                .input("x", DType.UINT8, 1, ic, hw, hw)
                .initializer("xs", Tensor.ofFloats(new int[0], 0.02f))
                .initializer("xz", Tensor.ofLongs(DType.UINT8, new int[0], 128))
                .initializer("w", w)
                .initializer("ws", Tensor.ofFloats(new int[0], 0.01f))
                .initializer("wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer("ys", Tensor.ofFloats(new int[0], 0.05f + ic * 0.01f))
                .initializer("yz", Tensor.ofLongs(DType.UINT8, new int[0], 120))
                .initializer("b", b)
                .node("QLinearConv", List.of("x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"), List.of("y"),
                        n -> n.ints("pads", 1, 1, 1, 1).ints("kernel_shape", 3, 3))
                .output("y", DType.UINT8, 1, oc, hw, hw)
                .build();
    }
}
