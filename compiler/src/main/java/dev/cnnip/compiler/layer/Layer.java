package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import java.util.List;
import java.util.Objects;

/**
 * A layer of the canonical quantized graph: one record per layer kind, with typed tensors (value names of
 * the graph), quantization parameters and attributes, and one shape relation per kind. The canonicalizer
 * produces them; the lowering handles them through {@link Visitor}, which has one method per record, so
 * a new record does not compile until every visitor (the lowering first) handles it. (Java 17 has no
 * pattern {@code switch} over sealed types without preview features; the visitor is its exhaustive
 * equivalent.) Activation quantization (scale, zero point per tensor) lives with the
 * graph ({@code QGraph.paramsOf}); what is specific to one layer (weight scales, saturation range,
 * Quantize/Dequantize parameters) lives in its record.
 *
 * <p>Every record names the canonical node ({@link #name()}, the ONNX node it is anchored on) and the ONNX
 * nodes it stands for ({@link #onnxNodes()}). Tensor names are non-empty except an omitted optional input
 * (an absent bias), which is "".
 */
public sealed interface Layer {
    /** Domain of the canonical nodes in messages. */
    String DOMAIN = "cnnip";

    /** Name of the canonical node. */
    String name();

    /** The ONNX nodes this layer stands for, in graph order. */
    List<String> onnxNodes();

    /** The tensors the shape relation takes, in order (activations and constant operands). */
    List<String> inputs();

    /** The output tensor (every record's {@code y}). */
    String y();

    /** The output tensor. */
    default String output() {
        return y();
    }

    /** The kind's name: the record's simple name ({@code QConv}, {@code Quantize}, …). */
    default String kind() {
        return getClass().getSimpleName();
    }

    /**
     * The shape relation: the output shape from the shapes of {@link #inputs()} (same order); throws
     * {@link GraphException} naming the node when the inputs do not fit the layer.
     */
    int[] outputShape(List<int[]> inputShapes);

    /** Calls the visitor's method for this record. */
    <R> R accept(Visitor<R> v);

    /** A layer of one input tensor {@code x}. */
    sealed interface Unary extends Layer {
        String x();

        @Override
        default List<String> inputs() {
            return List.of(x());
        }
    }

    /** A layer of one input whose output has the input's shape. */
    sealed interface SameShape extends Unary {
        @Override
        default int[] outputShape(List<int[]> in) {
            return in.get(0).clone();
        }
    }

    /** One method per layer kind: adding a record adds a method here, which every visitor must implement. */
    interface Visitor<R> {
        R visit(QConv l);

        R visit(QMatMul l);

        R visit(QGlobalAveragePool l);

        R visit(QAdd l);

        R visit(QMul l);

        R visit(Quantize l);

        R visit(Dequantize l);

        R visit(QLut l);

        R visit(QRequant l);

        R visit(QSoftmax l);

        R visit(QMaxPool l);

        R visit(QAveragePool l);

        R visit(QReshape l);

        R visit(QResize l);

        R visit(QTranspose l);

        R visit(QConcat l);

        R visit(QMax l);

        R visit(QMin l);

        R visit(QPad l);

        R visit(QLrn l);

        R visit(QSlice l);

        R visit(QConvTranspose l);
    }

    /** "node 'name' (cnnip.Kind)" for messages. */
    default String describe() {
        return "node '" + name() + "' (" + DOMAIN + "." + kind() + ")";
    }

    /** An error naming this layer's node. */
    default GraphException error(String message) {
        return new GraphException(describe() + ": " + message);
    }

    // ---------------------------------------------------------------- convolution family

    /**
     * Quantized 2-D convolution: {@code x} [N, C, H, W], constant weights {@code w} [OC, C/group, KH, KW],
     * optional int32 {@code bias} [OC]; output [N, OC, OH, OW] with OH, OW from the window geometry.
     */
    record QConv(String name, List<String> onnxNodes, String x, String w, String bias, String y, WeightQuant weights,
                 ConvAttrs attrs, Clamp clamp) implements Layer {
        public QConv {
            LayerShapes.check(name, onnxNodes, List.of(x, w), y);
            Objects.requireNonNull(bias);
            Objects.requireNonNull(weights);
            Objects.requireNonNull(attrs);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(x, w);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.conv(this, in);
        }
    }

    /**
     * Quantized matrix product (MatMul, Gemm): {@code a} [..., M, K] (rank 2 to 4, leading axes batch), {@code b}
     * [K, N] (or [N, K] when {@code transB}; [..., K, N] for a product of two activations), optional int32
     * {@code bias} [N].
     *
     * @param onnxOp the ONNX operator reported for the layer ({@code MatMul} or {@code Gemm})
     */
    record QMatMul(String name, List<String> onnxNodes, String a, String b, String bias, String y, WeightQuant weights,
                   boolean transB, String onnxOp, Clamp clamp) implements Layer {
        public QMatMul {
            LayerShapes.check(name, onnxNodes, List.of(a, b), y);
            Objects.requireNonNull(bias);
            Objects.requireNonNull(weights);
            Objects.requireNonNull(onnxOp);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.matMul(this, in);
        }
    }

    /**
     * Quantized 2-D transposed convolution: {@code x} [N, C, H, W], constant weights {@code w} [C, OC/group, KH, KW]
     * (ONNX's ConvTranspose layout; per-channel weight quantization runs along axis 1), optional int32
     * {@code bias} [OC]; output [N, OC, OH, OW] with OH, OW from {@link ConvTransposeAttrs}.
     */
    record QConvTranspose(String name, List<String> onnxNodes, String x, String w, String bias, String y, WeightQuant weights,
                          ConvTransposeAttrs attrs, Clamp clamp) implements Layer {
        public QConvTranspose {
            LayerShapes.check(name, onnxNodes, List.of(x, w), y);
            Objects.requireNonNull(bias);
            Objects.requireNonNull(weights);
            Objects.requireNonNull(attrs);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(x, w);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.convTranspose(this, in);
        }
    }

    /** Quantized global average pooling, lowered as a depthwise convolution with a kernel of ones: [N, C, H, W] → [N, C, 1, 1]. */
    record QGlobalAveragePool(String name, List<String> onnxNodes, String x, String y, Clamp clamp) implements Unary {
        public QGlobalAveragePool {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] xs = LayerShapes.rank(this, in.get(0), 4, "input");
            return new int[] {xs[0], xs[1], 1, 1};
        }
    }

    // ---------------------------------------------------------------- element-wise

    /**
     * Element-wise Max of two quantized tensors of the same shape. The quantizer gives {@code a}, {@code b}
     * and {@code y} the same parameters (as for Concat), so the maximum of the codes is the code of the
     * maximum: no arithmetic, only a comparison.
     */
    record QMax(String name, List<String> onnxNodes, String a, String b, String y) implements Layer {
        public QMax {
            LayerShapes.check(name, onnxNodes, List.of(a, b), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.sameShapes(this, in, "Max");
        }
    }

    /**
     * Element-wise Min of two quantized tensors of the same shape, with shared parameters like {@link QMax}:
     * the minimum of the codes is the code of the minimum.
     */
    record QMin(String name, List<String> onnxNodes, String a, String b, String y) implements Layer {
        public QMin {
            LayerShapes.check(name, onnxNodes, List.of(a, b), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.sameShapes(this, in, "Min");
        }
    }

    /**
     * Pad of an NCHW tensor: {@code pads} = {n0, c0, h0, w0, n1, c1, h1, w1} (ONNX order: the begins, then the ends;
     * each ≥ 0). {@code mode} constant: padded elements hold {@code value} quantized with the output's parameters
     * (which equal the input's); reflect: the input mirrored without its border element; edge: the border repeated.
     */
    record QPad(String name, List<String> onnxNodes, String x, String y, int[] pads, float value, String mode) implements Unary {
        /** Constant-mode Pad. */
        public QPad(String name, List<String> onnxNodes, String x, String y, int[] pads, float value) {
            this(name, onnxNodes, x, y, pads, value, "constant");
        }

        public QPad {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            LayerShapes.checkPad(name, pads, mode);
            pads = pads.clone();
        }

        @Override
        public int[] pads() {
            return pads.clone();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.pad(this, in);
        }
    }

    /** Quantized addition with multidirectional (numpy) broadcasting of {@code a} and {@code b}. */
    record QAdd(String name, List<String> onnxNodes, String a, String b, String y, Clamp clamp) implements Layer {
        public QAdd {
            LayerShapes.check(name, onnxNodes, List.of(a, b), y);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.broadcast(this, in.get(0), in.get(1));
        }
    }

    /** Quantized multiplication with multidirectional (numpy) broadcasting of {@code a} and {@code b}. */
    record QMul(String name, List<String> onnxNodes, String a, String b, String y, Clamp clamp) implements Layer {
        public QMul {
            LayerShapes.check(name, onnxNodes, List.of(a, b), y);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public List<String> inputs() {
            return List.of(a, b);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.broadcast(this, in.get(0), in.get(1));
        }
    }

    /** QuantizeLinear of a float tensor; same shape. */
    record Quantize(String name, List<String> onnxNodes, String x, String y, AxisQuant quant) implements SameShape {
        public Quantize {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(quant);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

    }

    /** DequantizeLinear to float; same shape. */
    record Dequantize(String name, List<String> onnxNodes, String x, String y, AxisQuant quant) implements SameShape {
        public Dequantize {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(quant);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

    }

    /**
     * A unary operator computed by a table on quantized codes: {@code function} is the ONNX node of the
     * float operator (its op type, ONNX attributes and constant extra inputs), evaluated on every input
     * code. Same shape.
     */
    record QLut(String name, List<String> onnxNodes, String x, String y, Node function) implements SameShape {
        public QLut {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(function);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

    }

    /** Requantization between two quantizations of the same values (a DequantizeLinear → QuantizeLinear pair); same shape. */
    record QRequant(String name, List<String> onnxNodes, String x, String y) implements SameShape {
        public QRequant {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

    }

    /** Quantized softmax along {@code axis} (ONNX default -1); same shape. */
    record QSoftmax(String name, List<String> onnxNodes, String x, String y, int axis) implements Unary {
        public QSoftmax {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            LayerShapes.normalizeAxis(this, axis, in.get(0).length);
            return in.get(0).clone();
        }
    }

    /**
     * Quantized local response normalisation across the channels of [N, C, H, W] (ONNX LRN between
     * DequantizeLinear and QuantizeLinear, which ONNX Runtime runs in float); same shape.
     */
    record QLrn(String name, List<String> onnxNodes, String x, String y, LrnAttrs attrs) implements Unary {
        public QLrn {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.rank(this, in.get(0), 4, "input").clone();
        }
    }

    // ---------------------------------------------------------------- pooling and data movement

    /** Max pooling of [N, C, H, W]; the values pass through, so input and output share their quantization. */
    record QMaxPool(String name, List<String> onnxNodes, String x, String y, PoolAttrs attrs) implements Unary {
        public QMaxPool {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.pool(this, in.get(0), attrs);
        }
    }

    /** Quantized average pooling of [N, C, H, W] (ONNX Runtime's QLinearAveragePool recipe). */
    record QAveragePool(String name, List<String> onnxNodes, String x, String y, PoolAttrs attrs, Clamp clamp)
            implements Unary {
        public QAveragePool {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.pool(this, in.get(0), attrs);
        }
    }

    /**
     * Reshape, Flatten, Squeeze, Unsqueeze or Identity to {@code shape} (resolved by shape inference);
     * the element count is kept.
     */
    record QReshape(String name, List<String> onnxNodes, String x, String y, int[] shape) implements Unary {
        public QReshape {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(shape, "target shape");
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.reshape(this, in);
        }
    }

    /**
     * Resize of [N, C, H, W] to {@code sizes} (resolved by shape inference from its scales or sizes input);
     * {@code onCodes}: the ONNX Resize runs on 8-bit codes (a QOperator model), where ONNX Runtime's linear
     * interpolation truncates instead of rounding.
     */
    record QResize(String name, List<String> onnxNodes, String x, String y, int[] sizes, ResizeAttrs attrs, boolean onCodes)
            implements Unary {
        public QResize {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(sizes, "output sizes");
            Objects.requireNonNull(attrs);
            sizes = sizes.clone();
        }

        /** A Resize inside a QDQ group (ONNX Runtime interpolates dequantized values and quantizes the result). */
        public QResize(String name, List<String> onnxNodes, String x, String y, int[] sizes, ResizeAttrs attrs) {
            this(name, onnxNodes, x, y, sizes, attrs, false);
        }

        @Override
        public int[] sizes() {
            return sizes.clone();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.resize(this, in);
        }
    }

    /** Transpose by {@code perm}, or reversing the axes when {@code perm} is null (ONNX default). */
    record QTranspose(String name, List<String> onnxNodes, String x, String y, int[] perm) implements Unary {
        public QTranspose {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            perm = perm == null ? null : perm.clone();
        }

        @Override
        public int[] perm() {
            return perm == null ? null : perm.clone();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.transpose(this, in);
        }
    }

    /**
     * A strided window of any rank (Slice, one output of Split): values pass through, so input and output share
     * their quantization.
     */
    record QSlice(String name, List<String> onnxNodes, String x, String y, SliceAttrs slice) implements Unary {
        public QSlice {
            LayerShapes.check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(slice);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return slice.outputShape(in.get(0), describe());
        }
    }

    /** Concatenation of {@code inputs} along {@code axis}; the inputs may be requantized to the output's quantization. */
    record QConcat(String name, List<String> onnxNodes, List<String> inputs, String y, int axis) implements Layer {
        public QConcat {
            inputs = List.copyOf(inputs);
            LayerShapes.check(name, onnxNodes, inputs, y);
            if (inputs.isEmpty()) throw new IllegalArgumentException("Concat needs inputs");
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return LayerShapes.concat(this, in);
        }
    }
}
