package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
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
            check(name, onnxNodes, List.of(x, w), y);
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
            int[] xs = rank(this, in.get(0), 4, "input");
            int[] ws = rank(this, in.get(1), 4, "weights");
            int g = attrs.group();
            if (xs[1] != ws[1] * g) {
                throw error("input has " + xs[1] + " channels, weights [" + ws[1] + " per group x " + g + " groups] expect "
                        + ws[1] * g);
            }
            if (ws[0] % g != 0) throw error(ws[0] + " output channels do not divide into " + g + " groups");
            ConvGeometry geo = attrs.window().geometry(describe(), xs[2], xs[3], ws[2], ws[3], false);
            return new int[] {xs[0], ws[0], geo.oh(), geo.ow()};
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
            check(name, onnxNodes, List.of(a, b), y);
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
            int[] as = in.get(0);
            int[] bs = in.get(1);
            if (as.length < 2 || as.length > 4) throw error("MatMul input A must have rank 2 to 4, not " + as.length);
            if (bs.length < 2 || bs.length > 4 || transB && bs.length != 2) {
                throw error("B must have rank 2" + (transB ? "" : " to 4") + ", not " + bs.length);
            }
            int k = as[as.length - 1];
            int bk = transB ? bs[1] : bs[bs.length - 2];
            int n = transB ? bs[0] : bs[bs.length - 1];
            if (k != bk) throw error("A has " + k + " columns but B has " + bk + " rows");
            int[] out = as.length == 2 && bs.length > 2 ? java.util.Arrays.copyOf(bs, bs.length) : as.clone();
            if (as.length == 2 && bs.length > 2) out[out.length - 2] = as[0];
            out[out.length - 1] = n;
            return out;
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
            check(name, onnxNodes, List.of(x, w), y);
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
            int[] xs = rank(this, in.get(0), 4, "input");
            int[] ws = rank(this, in.get(1), 4, "weights");
            int g = attrs.group();
            if (xs[1] != ws[0]) throw error("input has " + xs[1] + " channels, weights expect " + ws[0]);
            if (ws[0] % g != 0) throw error(ws[0] + " input channels do not divide into " + g + " groups");
            int oh = attrs.outH(xs[2], ws[2]);
            int ow = attrs.outW(xs[3], ws[3]);
            if (oh < 1 || ow < 1) throw error("output would be empty (" + oh + "x" + ow + ")");
            return new int[] {xs[0], ws[1] * g, oh, ow};
        }
    }

    /** Quantized global average pooling, lowered as a depthwise convolution with a kernel of ones: [N, C, H, W] → [N, C, 1, 1]. */
    record QGlobalAveragePool(String name, List<String> onnxNodes, String x, String y, Clamp clamp) implements Unary {
        public QGlobalAveragePool {
            check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] xs = rank(this, in.get(0), 4, "input");
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
            check(name, onnxNodes, List.of(a, b), y);
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
            if (!java.util.Arrays.equals(in.get(0), in.get(1))) {
                throw error("inputs of shapes " + java.util.Arrays.toString(in.get(0)) + " and "
                        + java.util.Arrays.toString(in.get(1)) + " differ (broadcast Max is not supported)");
            }
            return in.get(0).clone();
        }
    }

    /**
     * Element-wise Min of two quantized tensors of the same shape, with shared parameters like {@link QMax}:
     * the minimum of the codes is the code of the minimum.
     */
    record QMin(String name, List<String> onnxNodes, String a, String b, String y) implements Layer {
        public QMin {
            check(name, onnxNodes, List.of(a, b), y);
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
            if (!java.util.Arrays.equals(in.get(0), in.get(1))) {
                throw error("inputs of shapes " + java.util.Arrays.toString(in.get(0)) + " and "
                        + java.util.Arrays.toString(in.get(1)) + " differ (broadcast Min is not supported)");
            }
            return in.get(0).clone();
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
            check(name, onnxNodes, List.of(x), y);
            if (!List.of("constant", "reflect", "edge").contains(mode)) {
                throw new GraphException("node '" + name + "' (" + DOMAIN + ".QPad): mode " + mode + " is not supported");
            }
            if (pads.length != 8 || Arrays.stream(pads).anyMatch(v -> v < 0)) {
                throw new GraphException("node '" + name + "' (" + DOMAIN + ".QPad): pads must be 8 values >= 0 (N, C, H, W begins, "
                        + "then ends), not " + Arrays.toString(pads));
            }
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
            int[] xs = in.get(0);
            if (xs.length != 4) throw error("only Pad of a rank-4 (NCHW) tensor is supported, not rank " + xs.length);
            int[] out = new int[4];
            for (int i = 0; i < 4; i++) {
                if (mode.equals("reflect") && (pads[i] >= xs[i] || pads[4 + i] >= xs[i]) && pads[i] + pads[4 + i] > 0) {
                    throw error("reflect pads " + pads[i] + "/" + pads[4 + i] + " must be smaller than the axis' " + xs[i]);
                }
                out[i] = xs[i] + pads[i] + pads[4 + i];
            }
            return out;
        }
    }

    /** Quantized addition with multidirectional (numpy) broadcasting of {@code a} and {@code b}. */
    record QAdd(String name, List<String> onnxNodes, String a, String b, String y, Clamp clamp) implements Layer {
        public QAdd {
            check(name, onnxNodes, List.of(a, b), y);
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
            return broadcast(this, in.get(0), in.get(1));
        }
    }

    /** Quantized multiplication with multidirectional (numpy) broadcasting of {@code a} and {@code b}. */
    record QMul(String name, List<String> onnxNodes, String a, String b, String y, Clamp clamp) implements Layer {
        public QMul {
            check(name, onnxNodes, List.of(a, b), y);
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
            return broadcast(this, in.get(0), in.get(1));
        }
    }

    /** QuantizeLinear of a float tensor; same shape. */
    record Quantize(String name, List<String> onnxNodes, String x, String y, AxisQuant quant) implements SameShape {
        public Quantize {
            check(name, onnxNodes, List.of(x), y);
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
            check(name, onnxNodes, List.of(x), y);
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
            check(name, onnxNodes, List.of(x), y);
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
            check(name, onnxNodes, List.of(x), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

    }

    /** Quantized softmax along {@code axis} (ONNX default -1); same shape. */
    record QSoftmax(String name, List<String> onnxNodes, String x, String y, int axis) implements Unary {
        public QSoftmax {
            check(name, onnxNodes, List.of(x), y);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            normalizeAxis(this, axis, in.get(0).length);
            return in.get(0).clone();
        }
    }

    /**
     * Quantized local response normalisation across the channels of [N, C, H, W] (ONNX LRN between
     * DequantizeLinear and QuantizeLinear, which ONNX Runtime runs in float); same shape.
     */
    record QLrn(String name, List<String> onnxNodes, String x, String y, LrnAttrs attrs) implements Unary {
        public QLrn {
            check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return rank(this, in.get(0), 4, "input").clone();
        }
    }

    // ---------------------------------------------------------------- pooling and data movement

    /** Max pooling of [N, C, H, W]; the values pass through, so input and output share their quantization. */
    record QMaxPool(String name, List<String> onnxNodes, String x, String y, PoolAttrs attrs) implements Unary {
        public QMaxPool {
            check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return pool(this, in.get(0), attrs);
        }
    }

    /** Quantized average pooling of [N, C, H, W] (ONNX Runtime's QLinearAveragePool recipe). */
    record QAveragePool(String name, List<String> onnxNodes, String x, String y, PoolAttrs attrs, Clamp clamp)
            implements Unary {
        public QAveragePool {
            check(name, onnxNodes, List.of(x), y);
            Objects.requireNonNull(attrs);
            Objects.requireNonNull(clamp);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            return pool(this, in.get(0), attrs);
        }
    }

    /**
     * Reshape, Flatten, Squeeze, Unsqueeze or Identity to {@code shape} (resolved by shape inference);
     * the element count is kept.
     */
    record QReshape(String name, List<String> onnxNodes, String x, String y, int[] shape) implements Unary {
        public QReshape {
            check(name, onnxNodes, List.of(x), y);
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
            if (Tensor.numElements(in.get(0)) != Tensor.numElements(shape)) {
                throw error("cannot reshape " + Arrays.toString(in.get(0)) + " (" + Tensor.numElements(in.get(0))
                        + " elements) to " + Arrays.toString(shape));
            }
            return shape.clone();
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
            check(name, onnxNodes, List.of(x), y);
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
            if (in.get(0).length != sizes.length) {
                throw error("output rank " + sizes.length + " differs from the input's " + in.get(0).length);
            }
            return sizes.clone();
        }
    }

    /** Transpose by {@code perm}, or reversing the axes when {@code perm} is null (ONNX default). */
    record QTranspose(String name, List<String> onnxNodes, String x, String y, int[] perm) implements Unary {
        public QTranspose {
            check(name, onnxNodes, List.of(x), y);
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
            int[] xs = in.get(0);
            int[] p = perm;
            if (p == null) {
                p = new int[xs.length];
                for (int i = 0; i < p.length; i++) p[i] = xs.length - 1 - i;
            }
            if (p.length != xs.length) throw error("perm " + Arrays.toString(p) + " does not fit rank " + xs.length);
            boolean[] seen = new boolean[p.length];
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                if (p[i] < 0 || p[i] >= p.length || seen[p[i]]) throw error("perm " + Arrays.toString(p) + " is not a permutation");
                seen[p[i]] = true;
                out[i] = xs[p[i]];
            }
            return out;
        }
    }

    /**
     * A strided window of any rank (Slice, one output of Split): values pass through, so input and output share
     * their quantization.
     */
    record QSlice(String name, List<String> onnxNodes, String x, String y, SliceAttrs slice) implements Unary {
        public QSlice {
            check(name, onnxNodes, List.of(x), y);
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
            check(name, onnxNodes, inputs, y);
            if (inputs.isEmpty()) throw new IllegalArgumentException("Concat needs inputs");
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] out = in.get(0).clone();
            int ax = normalizeAxis(this, axis, out.length);
            for (int k = 1; k < in.size(); k++) {
                int[] s = in.get(k);
                if (s.length != out.length) throw error("input " + k + " has rank " + s.length + ", not " + out.length);
                for (int i = 0; i < s.length; i++) {
                    if (i != ax && s[i] != out[i]) {
                        throw error("input " + k + " " + Arrays.toString(s) + " differs from " + Arrays.toString(in.get(0))
                                + " outside axis " + ax);
                    }
                }
                out[ax] += s[ax];
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- shared checks and relations

    /** Construction checks every record shares: a name, the ONNX node list, non-empty inputs and output. */
    private static void check(String name, List<String> onnxNodes, List<String> inputs, String y) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("layer name is missing");
        Objects.requireNonNull(onnxNodes, "onnxNodes");
        for (String in : inputs) {
            if (in == null || in.isEmpty()) throw new IllegalArgumentException("node '" + name + "': an input is missing");
        }
        if (y == null || y.isEmpty()) throw new IllegalArgumentException("node '" + name + "': the output is missing");
    }

    private static int[] rank(Layer l, int[] s, int rank, String what) {
        if (s.length != rank) throw l.error(what + " must have rank " + rank + ", not " + s.length + " " + Arrays.toString(s));
        return s;
    }

    private static int normalizeAxis(Layer l, int axis, int rank) {
        if (axis < -rank || axis >= rank) throw l.error("axis " + axis + " is out of range for rank " + rank);
        return axis < 0 ? axis + rank : axis;
    }

    private static int[] pool(Layer l, int[] xs, PoolAttrs p) {
        rank(l, xs, 4, "input");
        ConvGeometry geo = p.window().geometry(l.describe(), xs[2], xs[3], p.kh(), p.kw(), p.ceilMode());
        return new int[] {xs[0], xs[1], geo.oh(), geo.ow()};
    }

    /** Multidirectional (numpy) broadcast of two shapes. */
    static int[] broadcast(Layer l, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw l.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }
}
