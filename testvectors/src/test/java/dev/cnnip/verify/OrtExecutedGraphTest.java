package dev.cnnip.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.numerics.Quantize;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link OrtExecutedGraph} on a hand-made int8-activation QDQ chain whose fate in ONNX Runtime (x86) follows
 * from its rules: {@code xq} and {@code y0q} have one consumer each, so their Q→DQ pairs become uint8 and
 * conv0 is fused into a QLinearConv; {@code y1q} feeds two DQ nodes, stays int8, and conv1 (uint8 in, int8
 * out), conv2 and conv3 (int8 in) run in float.
 */
class OrtExecutedGraphTest {
    private static final float XS = 0.05f;
    private static final int XZ = -3;
    private static final float WS = 0.02f;
    private static final float Y0S = 0.03f;
    private static final int Y0Z = 5;
    private static final int[][] W0 = {{20, -7}, {-30, 11}, {5, 40}};
    private static final int[] B0 = {100, -250, 37};

    private static ModelProto model;
    private static OrtExecutedGraph executed;
    private static Tensor x;

    @BeforeAll
    static void build() {
        OnnxBuilder b = new OnnxBuilder("s8chain").opset("", 13).input("x", DType.FLOAT32, 1, 2, 4, 4);
        qdq(b, "x", "xq", "xd", XS, XZ);
        conv(b, "conv0", "xd", W0, B0, XS, "y0");
        qdq(b, "y0", "y0q", "y0d", Y0S, Y0Z);
        conv(b, "conv1", "y0d", new int[][] {{9, 3, -4}, {-12, 8, 2}, {1, 1, 30}}, new int[] {5, -5, 0}, Y0S, "y1");
        b.initializer("y1_s", scalar(0.04f)).initializer("y1_z", Tensor.ofLongs(DType.INT8, new int[0], -2));
        b.node("QuantizeLinear", List.of("y1", "y1_s", "y1_z"), List.of("y1q"), n -> n.name("q_y1"));
        b.node("DequantizeLinear", List.of("y1q", "y1_s", "y1_z"), List.of("y1a"), n -> n.name("dq_y1a"));
        b.node("DequantizeLinear", List.of("y1q", "y1_s", "y1_z"), List.of("y1b"), n -> n.name("dq_y1b"));
        conv(b, "conv2", "y1a", new int[][] {{7, -7, 7}, {2, 4, 6}}, new int[] {0, 9}, 0.04f, "y2");
        conv(b, "conv3", "y1b", new int[][] {{-3, 5, 1}, {6, 0, -6}}, new int[] {-9, 0}, 0.04f, "y3");
        qdq(b, "y2", "y2q", "out2", 0.05f, 1);
        qdq(b, "y3", "y3q", "out3", 0.05f, -1);
        b.output("out2", DType.FLOAT32, 1, 2, 4, 4).output("out3", DType.FLOAT32, 1, 2, 4, 4);
        model = b.build();
        executed = OrtExecutedGraph.of(model, OrtOptions.defaults());
        x = Tensor.zeros(DType.FLOAT32, 1, 2, 4, 4);
        for (int i = 0; i < x.size(); i++) x.setDouble(i, XS * ((i * 37) % 41 - 17));
    }

    @Test
    void onnxRuntimeFusesOnlyTheGroupBetweenSingleConsumerPairs() {
        Map<String, Integer> ops = executed.opCounts();
        assertEquals(1, ops.get("QLinearConv"), ops.toString());
        assertEquals(3, ops.get("Conv"), ops.toString());
        assertTrue(executed.reproducesSession(Map.of("x", x)));
    }

    @Test
    void probesFindEachTensorAndHowItWasComputed() {
        assertProbe("xq", OrtExecutedGraph.Kernel.INTEGER, "QuantizeLinear", false);
        assertProbe("y0q", OrtExecutedGraph.Kernel.INTEGER, "QLinearConv", false);
        assertProbe("y1q", OrtExecutedGraph.Kernel.FLOAT, "Conv", true);
        assertProbe("y2q", OrtExecutedGraph.Kernel.FLOAT, "Conv", false);
        assertProbe("out3", OrtExecutedGraph.Kernel.INTEGER, "DequantizeLinear", true);
        assertTrue(executed.probe("no_such_tensor").isEmpty());
    }

    @Test
    void fusedOutputComesBackAsInt8CodesOfTheRecipe() {
        Map<String, Tensor> got = executed.run(Map.of("x", x), List.of("xq", "y0q", "y1q"));
        Tensor xq = got.get("xq");
        Tensor y0q = got.get("y0q");
        assertEquals(DType.INT8, xq.dtype());
        assertEquals(DType.INT8, y0q.dtype());
        assertEquals(DType.INT8, got.get("y1q").dtype());
        // QuantizeLinear of the input, then DESIGN section 3's QLinearConv recipe, computed here directly
        float m = (XS * WS) / Y0S;
        for (int i = 0; i < x.size(); i++) assertEquals(Quantize.quantize(x.getFloat(i), XS, XZ, -128, 127), xq.getLong(i));
        for (int o = 0; o < 3; o++) {
            for (int p = 0; p < 16; p++) {
                long acc = B0[o];
                for (int c = 0; c < 2; c++) acc += (xq.getLong(c * 16 + p) - XZ) * W0[o][c];
                float v = Math.min(Math.max((float) acc * m, -128 - Y0Z), 127 - Y0Z);
                assertEquals((long) Math.rint(v) + Y0Z, y0q.getLong(o * 16 + p), "y0q channel " + o + " pixel " + p);
            }
        }
    }

    @Test
    void probingTheModelItselfUnfusesConv0() {
        ModelProto probed = OnnxModels.withExtraOutputs(model, List.of("y0q"));
        assertEquals(null, OrtExecutedGraph.of(probed, OrtOptions.defaults()).opCounts().get("QLinearConv"));
    }

    private static void assertProbe(String tensor, OrtExecutedGraph.Kernel kernel, String op, boolean sameName) {
        OrtExecutedGraph.Probe p = executed.probe(tensor).orElseThrow();
        assertEquals(kernel, p.kernel(), tensor);
        assertEquals(op, p.op(), tensor);
        assertEquals(sameName, p.executedTensor().equals(tensor), tensor + " -> " + p.executedTensor());
    }

    private static void qdq(OnnxBuilder b, String in, String q, String dq, float s, int z) {
        b.initializer(q + "_s", scalar(s)).initializer(q + "_z", Tensor.ofLongs(DType.INT8, new int[0], z));
        b.node("QuantizeLinear", List.of(in, q + "_s", q + "_z"), List.of(q), n -> n.name("q_" + q));
        b.node("DequantizeLinear", List.of(q, q + "_s", q + "_z"), List.of(dq), n -> n.name("dq_" + q));
    }

    /** A 1×1 convolution with per-tensor int8 weights (scale WS) and an int32 bias of scale {@code xs·WS}. */
    private static void conv(OnnxBuilder b, String name, String in, int[][] w, int[] bias, float xs, String out) {
        long[] wv = new long[w.length * w[0].length];
        for (int o = 0; o < w.length; o++) for (int c = 0; c < w[0].length; c++) wv[o * w[0].length + c] = w[o][c];
        long[] bv = new long[bias.length];
        for (int o = 0; o < bias.length; o++) bv[o] = bias[o];
        b.initializer(name + "_wq", Tensor.ofLongs(DType.INT8, new int[] {w.length, w[0].length, 1, 1}, wv))
                .initializer(name + "_ws", scalar(WS)).initializer(name + "_wz", Tensor.ofLongs(DType.INT8, new int[0], 0))
                .initializer(name + "_bq", Tensor.ofLongs(DType.INT32, new int[] {bias.length}, bv))
                .initializer(name + "_bs", scalar(xs * WS)).initializer(name + "_bz", Tensor.ofLongs(DType.INT32, new int[0], 0));
        b.node("DequantizeLinear", List.of(name + "_wq", name + "_ws", name + "_wz"), List.of(name + "_w"), n -> n.name(name + "_dqw"));
        b.node("DequantizeLinear", List.of(name + "_bq", name + "_bs", name + "_bz"), List.of(name + "_b"), n -> n.name(name + "_dqb"));
        b.node("Conv", List.of(in, name + "_w", name + "_b"), List.of(out), n -> n.name(name).ints("kernel_shape", 1, 1));
    }

    private static Tensor scalar(float v) {
        return Tensor.ofFloats(new int[0], v);
    }
}
