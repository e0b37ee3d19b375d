package dev.cnnip.compiler.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The typed layer records: attribute defaults (ONNX's, from the operator specification), the shape
 * relations (checked against published layer shapes and the ONNX specification's own examples), and
 * validation errors that name the node.
 */
class LayerTest {
    private static final List<String> NODES = List.of("n");
    private static final WeightQuant WQ = new WeightQuant(Tensor.ofFloats(new int[0], 0.02f), null, 0);
    private static final Clamp CLAMP = new Clamp(0, 255);

    private static Node onnx(String op, Map<String, Object> attrs) {
        return new Node("conv1", op, "", List.of("x", "w"), List.of("y"), attrs);
    }

    private static Layer.QConv conv(ConvAttrs attrs) {
        return new Layer.QConv("conv1", List.of("conv1", "q1"), "x", "w", "", "y", WQ, attrs, CLAMP);
    }

    private static int[] s(int... d) {
        return d;
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void convAttributesDefaultToOnnxs() {
        ConvAttrs a = ConvAttrs.of(onnx("Conv", Map.of()));
        Window2d w = a.window();
        assertEquals(1, a.group());
        assertEquals(List.of(1, 1, 1, 1), List.of(w.sh(), w.sw(), w.dh(), w.dw()));
        assertEquals("NOTSET", w.autoPad());
        assertArrayEquals(new int[4], w.pads());
        assertEquals(ConvAttrs.DEFAULT.group(), a.group());
        assertArrayEquals(ConvAttrs.DEFAULT.window().pads(), w.pads());
    }

    @Test
    void convAttributesAreReadFromTheNode() {
        ConvAttrs a = ConvAttrs.of(onnx("Conv", Map.of("strides", new long[] {2, 1}, "dilations", new long[] {1, 3},
                "pads", new long[] {1, 2, 3, 4}, "group", 8L)));
        assertEquals(8, a.group());
        assertEquals(List.of(2, 1, 1, 3), List.of(a.window().sh(), a.window().sw(), a.window().dh(), a.window().dw()));
        assertArrayEquals(new int[] {1, 2, 3, 4}, a.window().pads());
    }

    @Test
    void poolAndResizeAttributesDefaultToOnnxs() {
        PoolAttrs p = PoolAttrs.of(onnx("MaxPool", Map.of("kernel_shape", new long[] {3, 2})), "max");
        assertEquals(3, p.kh());
        assertEquals(2, p.kw());
        assertFalse(p.ceilMode());
        assertFalse(p.countIncludePad());
        assertEquals(1, p.window().sh());
        ResizeAttrs r = ResizeAttrs.of(onnx("Resize", Map.of()));
        assertEquals(new ResizeAttrs("nearest", "half_pixel", "round_prefer_floor"), r);
        assertEquals(ResizeAttrs.DEFAULT, r);
    }

    // ---------------------------------------------------------------- shape relations

    @Test
    void convolutionShapesMatchMobileNetV2() {
        // MobileNetV2's first layer: 3x3 stride 2 pad 1 on 224x224 -> 32x112x112; its first depthwise layer keeps the size
        Window2d s2 = new Window2d(2, 2, 1, 1, "NOTSET", new int[] {1, 1, 1, 1});
        assertArrayEquals(s(1, 32, 112, 112), conv(new ConvAttrs(s2, 1)).outputShape(List.of(s(1, 3, 224, 224), s(32, 3, 3, 3))));
        Window2d p1 = new Window2d(1, 1, 1, 1, "NOTSET", new int[] {1, 1, 1, 1});
        assertArrayEquals(s(1, 32, 112, 112),
                conv(new ConvAttrs(p1, 32)).outputShape(List.of(s(1, 32, 112, 112), s(32, 1, 3, 3))));
    }

    @Test
    void samePaddingGivesTheCeilingOfInputOverStride() {
        // ONNX: SAME_* pads so that out = ceil(in / stride)
        Window2d same = new Window2d(2, 2, 1, 1, "SAME_UPPER", new int[4]);
        assertArrayEquals(s(1, 4, 4, 3), conv(new ConvAttrs(same, 1)).outputShape(List.of(s(1, 2, 7, 5), s(4, 2, 3, 3))));
        Window2d valid = new Window2d(1, 1, 2, 2, "VALID", new int[4]);
        // dilation 2 makes a 3x3 kernel span 5: 7 - 5 + 1 = 3
        assertArrayEquals(s(1, 4, 3, 3), conv(new ConvAttrs(valid, 1)).outputShape(List.of(s(1, 2, 7, 7), s(4, 2, 3, 3))));
    }

    @Test
    void poolingShapesFollowTheOnnxExamples() {
        // ONNX MaxPool example "maxpool_2d_ceil": 4x4 input, kernel 3, stride 2, ceil_mode -> 2x2 (floor would give 1x1)
        Window2d s2 = new Window2d(2, 2, 1, 1, "NOTSET", new int[4]);
        Layer.QMaxPool ceil = new Layer.QMaxPool("p", NODES, "x", "y", new PoolAttrs(3, 3, s2, true, false));
        assertArrayEquals(s(1, 1, 2, 2), ceil.outputShape(List.of(s(1, 1, 4, 4))));
        Layer.QMaxPool floor = new Layer.QMaxPool("p", NODES, "x", "y", new PoolAttrs(3, 3, s2, false, false));
        assertArrayEquals(s(1, 1, 1, 1), floor.outputShape(List.of(s(1, 1, 4, 4))));
        Layer.QGlobalAveragePool gap = new Layer.QGlobalAveragePool("g", NODES, "x", "y", CLAMP);
        assertArrayEquals(s(1, 1280, 1, 1), gap.outputShape(List.of(s(1, 1280, 7, 7))));
    }

    @Test
    void matrixProductShapes() {
        Layer.QMatMul mm = new Layer.QMatMul("fc", NODES, "a", "b", "", "y", WQ, false, "MatMul", CLAMP);
        assertArrayEquals(s(1, 1000), mm.outputShape(List.of(s(1, 1280), s(1280, 1000))));
        assertArrayEquals(s(2, 4, 5), mm.outputShape(List.of(s(2, 4, 8), s(2, 8, 5))));
        Layer.QMatMul gemm = new Layer.QMatMul("fc", NODES, "a", "b", "", "y", WQ, true, "Gemm", CLAMP);
        assertArrayEquals(s(1, 1000), gemm.outputShape(List.of(s(1, 1280), s(1000, 1280))));
    }

    @Test
    void elementwiseAndMovementShapes() {
        Layer.QAdd add = new Layer.QAdd("add", NODES, "a", "b", "y", CLAMP);
        assertArrayEquals(s(1, 32, 8, 8), add.outputShape(List.of(s(1, 32, 8, 8), s(32, 1, 1))));
        assertArrayEquals(s(2, 3, 4), add.outputShape(List.of(s(1, 3, 1), s(2, 1, 4))));
        Layer.QConcat cat = new Layer.QConcat("cat", NODES, List.of("a", "b"), "y", -3);
        assertArrayEquals(s(1, 24, 8, 8), cat.outputShape(List.of(s(1, 16, 8, 8), s(1, 8, 8, 8))));
        Layer.QTranspose rev = new Layer.QTranspose("t", NODES, "x", "y", null);
        assertArrayEquals(s(4, 3, 2), rev.outputShape(List.of(s(2, 3, 4))));
        Layer.QTranspose nhwc = new Layer.QTranspose("t", NODES, "x", "y", s(0, 2, 3, 1));
        assertArrayEquals(s(1, 8, 9, 3), nhwc.outputShape(List.of(s(1, 3, 8, 9))));
        Layer.QReshape flat = new Layer.QReshape("r", NODES, "x", "y", s(1, 1280));
        assertArrayEquals(s(1, 1280), flat.outputShape(List.of(s(1, 1280, 1, 1))));
        Layer.QSoftmax sm = new Layer.QSoftmax("sm", NODES, "x", "y", -1);
        assertArrayEquals(s(1, 10), sm.outputShape(List.of(s(1, 10))));
    }

    // ---------------------------------------------------------------- validation names the node

    @Test
    void convolutionChannelMismatchNamesTheNode() {
        GraphException e = assertThrows(GraphException.class,
                () -> conv(ConvAttrs.DEFAULT).outputShape(List.of(s(1, 4, 8, 8), s(16, 3, 3, 3))));
        assertEquals("node 'conv1' (cnnip.QConv): input has 4 channels, weights [3 per group x 1 groups] expect 3",
                e.getMessage());
        GraphException groups = assertThrows(GraphException.class,
                () -> conv(new ConvAttrs(Window2d.DEFAULT, 2)).outputShape(List.of(s(1, 4, 8, 8), s(5, 2, 3, 3))));
        assertEquals("node 'conv1' (cnnip.QConv): 5 output channels do not divide into 2 groups", groups.getMessage());
    }

    @Test
    void otherShapeErrorsNameTheNode() {
        Layer.QMatMul mm = new Layer.QMatMul("fc", NODES, "a", "b", "", "y", WQ, false, "MatMul", CLAMP);
        assertEquals("node 'fc' (cnnip.QMatMul): A has 1280 columns but B has 1024 rows", assertThrows(GraphException.class,
                () -> mm.outputShape(List.of(s(1, 1280), s(1024, 1000)))).getMessage());
        Layer.QConcat cat = new Layer.QConcat("cat", NODES, List.of("a", "b"), "y", 1);
        assertEquals("node 'cat' (cnnip.QConcat): input 1 [1, 8, 4, 8] differs from [1, 16, 8, 8] outside axis 1",
                assertThrows(GraphException.class, () -> cat.outputShape(List.of(s(1, 16, 8, 8), s(1, 8, 4, 8)))).getMessage());
        Layer.QAdd add = new Layer.QAdd("add", NODES, "a", "b", "y", CLAMP);
        assertEquals("node 'add' (cnnip.QAdd): shapes [1, 3, 4] and [2, 4] do not broadcast",
                assertThrows(GraphException.class, () -> add.outputShape(List.of(s(1, 3, 4), s(2, 4)))).getMessage());
        Layer.QMax max = new Layer.QMax("max", NODES, "a", "b", "y");
        assertArrayEquals(s(1, 5, 11, 9), max.outputShape(List.of(s(1, 5, 11, 9), s(1, 5, 11, 9))));
        assertEquals(List.of("a", "b"), max.inputs());
        assertEquals("node 'max' (cnnip.QMax): inputs of shapes [1, 5, 11, 9] and [1, 5, 1, 1] differ (broadcast Max is not supported)",
                assertThrows(GraphException.class, () -> max.outputShape(List.of(s(1, 5, 11, 9), s(1, 5, 1, 1)))).getMessage());
        Layer.QReshape r = new Layer.QReshape("r", NODES, "x", "y", s(1, 1000));
        assertEquals("node 'r' (cnnip.QReshape): cannot reshape [1, 1280] (1280 elements) to [1, 1000]",
                assertThrows(GraphException.class, () -> r.outputShape(List.of(s(1, 1280)))).getMessage());
        Layer.QSoftmax sm = new Layer.QSoftmax("sm", NODES, "x", "y", 2);
        assertEquals("node 'sm' (cnnip.QSoftmax): axis 2 is out of range for rank 2",
                assertThrows(GraphException.class, () -> sm.outputShape(List.of(s(1, 10)))).getMessage());
        Layer.QTranspose t = new Layer.QTranspose("t", NODES, "x", "y", s(0, 0, 1));
        assertEquals("node 't' (cnnip.QTranspose): perm [0, 0, 1] is not a permutation",
                assertThrows(GraphException.class, () -> t.outputShape(List.of(s(1, 2, 3)))).getMessage());
    }

    @Test
    void lrnAttributesDefaultToOnnxsAndKeepTheShape() {
        // ONNX LRN: alpha = 0.0001, beta = 0.75, bias = 1.0 by default; size is required
        Node n = new Node("norm1", "LRN", "", List.of("x"), List.of("y"), Map.of("size", 5L));
        LrnAttrs a = LrnAttrs.of(n);
        assertEquals(new LrnAttrs(5, 1e-4f, 0.75f, 1f), a);
        assertEquals(1e-4f / 5f, a.alphaOverSize());
        LrnAttrs given = LrnAttrs.of(new Node("norm1", "LRN", "", List.of("x"), List.of("y"),
                Map.of("size", 3L, "alpha", 2e-5f, "beta", 0.5f, "bias", 2f)));
        assertEquals(new LrnAttrs(3, 2e-5f, 0.5f, 2f), given);
        Layer.QLrn l = new Layer.QLrn("norm1", NODES, "x", "y", a);
        // AlexNet's norm1: [1, 96, 55, 55] in and out
        assertArrayEquals(s(1, 96, 55, 55), l.outputShape(List.of(s(1, 96, 55, 55))));
        assertEquals(List.of("x"), l.inputs());
        assertEquals("node 'norm1' (cnnip.QLrn): input must have rank 4, not 3 [96, 55, 55]",
                assertThrows(GraphException.class, () -> l.outputShape(List.of(s(96, 55, 55)))).getMessage());
        assertEquals("node 'norm1' (LRN): LRN needs the attribute size", assertThrows(GraphException.class,
                () -> LrnAttrs.of(new Node("norm1", "LRN", "", List.of("x"), List.of("y"), Map.of()))).getMessage());
        assertEquals("node 'norm1' (LRN): LRN size must be odd and at least 1, not 4", assertThrows(GraphException.class,
                () -> LrnAttrs.of(new Node("norm1", "LRN", "", List.of("x"), List.of("y"), Map.of("size", 4L)))).getMessage());
    }

    @Test
    void badOnnxAttributesNameTheOnnxNode() {
        assertEquals("node 'conv1' (Conv): group must be >= 1, not 0", assertThrows(GraphException.class,
                () -> ConvAttrs.of(onnx("Conv", Map.of("group", 0L)))).getMessage());
        assertEquals("node 'conv1' (Conv): only 2-D convolution and pooling are supported", assertThrows(GraphException.class,
                () -> ConvAttrs.of(onnx("Conv", Map.of("strides", new long[] {1, 1, 1})))).getMessage());
        assertEquals("node 'conv1' (MaxPool): only 2-D max pooling is supported", assertThrows(GraphException.class,
                () -> PoolAttrs.of(onnx("MaxPool", Map.of("kernel_shape", new long[] {3})), "max")).getMessage());
        assertEquals("node 'conv1' (cnnip.QConv): unknown auto_pad 'SAME'", assertThrows(GraphException.class,
                () -> conv(new ConvAttrs(new Window2d(1, 1, 1, 1, "SAME", new int[4]), 1))
                        .outputShape(List.of(s(1, 3, 8, 8), s(4, 3, 3, 3)))).getMessage());
    }

    @Test
    void recordsRejectMissingTensorsAndBadAttributes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Layer.QAdd("add7", NODES, "a", "", "y", CLAMP));
        assertEquals("node 'add7': an input is missing", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvAttrs(Window2d.DEFAULT, 0));
        assertThrows(IllegalArgumentException.class, () -> new Window2d(0, 1, 1, 1, "NOTSET", new int[4]));
        assertThrows(IllegalArgumentException.class, () -> new Window2d(1, 1, 1, 1, "NOTSET", new int[3]));
        assertThrows(IllegalArgumentException.class, () -> PoolAttrs.kernel(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new AxisQuant(Tensor.ofFloats(new int[0], 1f), null, 1, -1));
    }

    @Test
    void weightQuantizationExpandsPerChannelAndNamesTheLayer() {
        Layer.QConv c = conv(ConvAttrs.DEFAULT);
        WeightQuant perChannel = new WeightQuant(Tensor.ofFloats(new int[] {2}, 0.5f, 0.25f),
                Tensor.ofLongs(DType.INT8, new int[] {2}, 3, -4), 0);
        assertArrayEquals(new float[] {0.5f, 0.25f}, perChannel.scales(c, 2, "weight scale"));
        assertArrayEquals(new int[] {3, -4}, perChannel.zeroPoints(c, 2));
        assertArrayEquals(new float[] {0.02f, 0.02f, 0.02f}, WQ.scales(c, 3, "weight scale"));
        assertArrayEquals(new int[3], WQ.zeroPoints(c, 3));
        assertEquals("node 'conv1' (cnnip.QConv): weight scale has 2 values for 3 channels",
                assertThrows(GraphException.class, () -> perChannel.scales(c, 3, "weight scale")).getMessage());
    }

    @Test
    void arraysAreCopiedIn() {
        int[] perm = {1, 0};
        Layer.QTranspose t = new Layer.QTranspose("t", NODES, "x", "y", perm);
        perm[0] = 0;
        assertArrayEquals(s(1, 0), t.perm());
        assertNull(new Layer.QTranspose("t", NODES, "x", "y", null).perm());
    }

    // ---------------------------------------------------------------- exhaustiveness

    @Test
    void theVisitorHasOneMethodPerRecord() {
        Set<Class<?>> records = permittedLeaves(Layer.class);
        Set<Class<?>> visited = Arrays.stream(Layer.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0])
                .collect(Collectors.toSet());
        assertEquals(22, records.size());
        assertEquals(records, visited);
        for (Class<?> r : records) assertTrue(r.isRecord(), r + " is a record");
    }

    /** The classes at the leaves of a sealed hierarchy (through sealed sub-interfaces such as {@code Unary}). */
    private static Set<Class<?>> permittedLeaves(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(c -> c.isSealed() ? permittedLeaves(c).stream() : java.util.stream.Stream.of(c))
                .collect(Collectors.toSet());
    }

    // ---------------------------------------------------------------- the canonicalizer checks every layer

    @Test
    void canonicalizerChecksEachLayerAgainstItsShapeRelation() {
        Graph g = new Graph("t");
        g.add(new Value("x", DType.FLOAT32, s(1, 4), null));
        g.inputs().add("x");
        g.add(Value.constant("s", Tensor.ofFloats(new int[0], 0.1f)));
        g.add(Value.constant("z", Tensor.ofLongs(DType.UINT8, new int[0], 128)));
        g.add(Value.constant("shape", Tensor.ofLongs(DType.INT64, new int[] {2}, 1, 3)));
        g.add(new Value("xq", DType.UINT8, s(1, 4), null));
        g.add(new Value("y", DType.UINT8, s(1, 3), null)); // wrong: 4 elements cannot become 3
        g.outputs().add("y");
        g.nodes().add(new Node("quant", "QuantizeLinear", "", List.of("x", "s", "z"), List.of("xq"), Map.of()));
        g.nodes().add(new Node("flatten", "Reshape", "", List.of("xq", "shape"), List.of("y"), Map.of()));
        GraphException e = assertThrows(GraphException.class, () -> Canonicalizer.run(g));
        assertEquals("node 'flatten' (cnnip.QReshape): cannot reshape [1, 4] (4 elements) to [1, 3]", e.getMessage());
    }

    @Test
    void canonicalizerProducesTypedLayers() {
        Graph g = new Graph("t");
        g.add(new Value("x", DType.FLOAT32, s(1, 4), null));
        g.inputs().add("x");
        g.add(Value.constant("s", Tensor.ofFloats(new int[0], 0.1f)));
        g.add(Value.constant("z", Tensor.ofLongs(DType.UINT8, new int[0], 128)));
        g.add(new Value("xq", DType.UINT8, s(1, 4), null));
        g.add(new Value("y", DType.FLOAT32, s(1, 4), null));
        g.outputs().add("y");
        g.nodes().add(new Node("quant", "QuantizeLinear", "", List.of("x", "s", "z"), List.of("xq"), Map.of()));
        g.nodes().add(new Node("dequant", "DequantizeLinear", "", List.of("xq", "s", "z"), List.of("y"), Map.of()));
        QGraph q = Canonicalizer.run(g);
        assertEquals(List.of("Quantize", "Dequantize"), q.layers().stream().map(Layer::kind).toList());
        Layer.Quantize quant = (Layer.Quantize) q.layers().get(0);
        assertEquals(List.of("x", "xq", "quant"), List.of(quant.x(), quant.y(), quant.name()));
        assertEquals(1, quant.quant().axis(), "ONNX's default axis");
        assertEquals(0, quant.quant().blockSize());
        assertEquals("dequant", q.layers().get(1).name());
        assertEquals(128, q.paramsOf("xq").zp0());
    }

    // ---------------------------------------------------------------- Slice, Split, ConvTranspose, Resize (issue 11)

    @Test
    void sliceFollowsOnnxClampingAndNegativeSteps() {
        // ONNX Slice specification example: data [2, 4], starts [1, 0], ends [2, 3], steps [1, 2] -> [[5, 7]]
        Node n = new Node("sl", "Slice", "", List.of("x", "s", "e", "a", "p"), List.of("y"), Map.of());
        Map<Integer, Tensor> in = Map.of(1, Tensor.ofLongs(DType.INT64, new int[] {2}, 1, 0),
                2, Tensor.ofLongs(DType.INT64, new int[] {2}, 2, 3), 3, Tensor.ofLongs(DType.INT64, new int[] {2}, 0, 1),
                4, Tensor.ofLongs(DType.INT64, new int[] {2}, 1, 2));
        SliceAttrs a = SliceAttrs.of(n, s(2, 4), in::get);
        assertArrayEquals(s(1, 0), a.starts());
        assertArrayEquals(s(1, 2), a.steps());
        assertArrayEquals(s(1, 2), a.sizes());
        // reversing with start -1, end -100 (clamped to -1), step -1: the whole axis backwards
        Map<Integer, Tensor> rev = Map.of(1, Tensor.ofLongs(DType.INT64, new int[] {1}, -1),
                2, Tensor.ofLongs(DType.INT64, new int[] {1}, -100), 3, Tensor.ofLongs(DType.INT64, new int[] {1}, 3),
                4, Tensor.ofLongs(DType.INT64, new int[] {1}, -1));
        SliceAttrs r = SliceAttrs.of(n, s(1, 4, 8, 8), rev::get);
        assertArrayEquals(s(0, 0, 0, 7), r.starts());
        assertArrayEquals(s(1, 1, 1, -1), r.steps());
        assertArrayEquals(s(1, 4, 8, 8), r.sizes());
        Layer.QSlice l = new Layer.QSlice("sl", NODES, "x", "y", r);
        assertArrayEquals(s(1, 4, 8, 8), l.outputShape(List.of(s(1, 4, 8, 8))));
        GraphException e = assertThrows(GraphException.class, () -> l.outputShape(List.of(s(1, 4, 8, 4))));
        assertTrue(e.getMessage().startsWith("node 'sl' (cnnip.QSlice): slice on axis 3"), e.getMessage());
        GraphException c = assertThrows(GraphException.class, () -> SliceAttrs.of(n, s(2, 4), i -> i == 1 ? in.get(1) : null));
        assertTrue(c.getMessage().contains("ends must be a constant"), c.getMessage());
    }

    @Test
    void convTransposeOutputSizeFollowsTheOnnxFormula() {
        // out = s(in - 1) + output_padding + (k - 1)d + 1 - pads: 2*(8-1) + 1 + 3 - 2 = 16
        Node n = new Node("dc", "ConvTranspose", "", List.of("x", "w"), List.of("y"),
                Map.of("strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1}, "output_padding", new long[] {1, 1}));
        ConvTransposeAttrs a = ConvTransposeAttrs.of(n, 8, 8, 3, 3);
        Layer.QConvTranspose l = new Layer.QConvTranspose("dc", NODES, "x", "w", "", "y", WQ, a, CLAMP);
        assertArrayEquals(s(1, 5, 16, 16), l.outputShape(List.of(s(1, 6, 8, 8), s(6, 5, 3, 3))));
        // output_shape gives the padding (ONNX: the larger half at the beginning unless SAME_UPPER): total 2*7+3-15 = 2
        Node o = new Node("dc", "ConvTranspose", "", List.of("x", "w"), List.of("y"),
                Map.of("strides", new long[] {2, 2}, "output_shape", new long[] {15, 15}));
        assertArrayEquals(s(1, 1, 1, 1), ConvTransposeAttrs.of(o, 8, 8, 3, 3).pads());
        // grouped: weights [C, OC/group, k, k], output channels OC/group x group
        ConvTransposeAttrs g2 = new ConvTransposeAttrs(2, 2, 1, 1, new int[4], new int[2], 2);
        Layer.QConvTranspose lg = new Layer.QConvTranspose("dc", NODES, "x", "w", "", "y", WQ, g2, CLAMP);
        assertArrayEquals(s(1, 4, 16, 16), lg.outputShape(List.of(s(1, 6, 8, 8), s(6, 2, 2, 2))));
        GraphException e = assertThrows(GraphException.class, () -> l.outputShape(List.of(s(1, 4, 8, 8), s(6, 5, 3, 3))));
        assertTrue(e.getMessage().startsWith("node 'dc' (cnnip.QConvTranspose): input has 4 channels"), e.getMessage());
    }

    @Test
    void nearestIndicesFollowOnnxRuntime() {
        // ONNX test_resize_downsample_scales_nearest: 4 columns, scale 0.6 -> 2 outputs at columns 0 and 2 (half_pixel,
        // round_prefer_floor: (0.5/0.6 - 0.5) = 0.33 -> 0, (1.5/0.6 - 0.5) = 2.0 -> 2)
        ResizeAttrs d = new ResizeAttrs("nearest", "half_pixel", "round_prefer_floor", new float[] {1, 1, 0.6f, 0.6f});
        assertArrayEquals(s(0, 2), d.nearestIndices(4, 2, d.scale(3, 4, 2)));
        // test_resize_upsample_sizes_nearest: 2 -> 7 rows (scale 3.5): 0 0 0 0 1 1 1 (row 3 maps to 0.5: prefer floor)
        ResizeAttrs u = ResizeAttrs.DEFAULT;
        assertArrayEquals(s(0, 0, 0, 0, 1, 1, 1), u.nearestIndices(2, 7, u.scale(2, 2, 7)));
        // asymmetric floor by 2: plain repetition
        ResizeAttrs a = new ResizeAttrs("nearest", "asymmetric", "floor");
        assertArrayEquals(s(0, 0, 1, 1, 2, 2), a.nearestIndices(3, 6, 2f));
    }

    @Test
    void padGrowsEveryAxisAndReflectNeedsSmallerPads() {
        // pads {n0, c0, h0, w0, n1, c1, h1, w1}: [1, 3, 8, 8] -> [1, 3+1+2, 8+1, 8+1]
        Layer.QPad c = new Layer.QPad("p", NODES, "x", "y", new int[] {0, 1, 1, 0, 0, 2, 0, 1}, 0f);
        assertEquals("constant", c.mode());
        assertArrayEquals(s(1, 6, 9, 9), c.outputShape(List.of(s(1, 3, 8, 8))));
        // reflect mirrors without the border element, so a pad must be smaller than its axis (ONNX)
        Layer.QPad r = new Layer.QPad("p", NODES, "x", "y", new int[] {0, 0, 2, 1, 0, 0, 1, 3}, 0f, "reflect");
        assertArrayEquals(s(1, 3, 11, 12), r.outputShape(List.of(s(1, 3, 8, 8))));
        GraphException e = assertThrows(GraphException.class, () -> r.outputShape(List.of(s(1, 3, 8, 3))));
        assertTrue(e.getMessage().startsWith("node 'p' (cnnip.QPad): reflect pads 1/3 must be smaller"), e.getMessage());
        assertThrows(GraphException.class, () -> new Layer.QPad("p", NODES, "x", "y", new int[8], 0f, "wrap"));
    }
}
