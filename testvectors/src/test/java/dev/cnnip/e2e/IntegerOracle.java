package dev.cnnip.e2e;

import dev.cnnip.onnx.Attributes;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An independent evaluation of single output elements of a convolution or matrix-product layer, read
 * straight from the ONNX model (QLinearConv/QLinearMatMul, or the DQ → Conv/MatMul/Gemm → Q group) and
 * computed with DESIGN section 3's integer recipe:
 * {@code acc = Σ(x−xzp)(w−wzp[c]) + bias[c]}, {@code M = (xs·ws[c])/ys} in float32,
 * {@code v = clamp((float)acc·M, qmin−yzp, qmax−yzp)}, {@code q = rint(v) + yzp}. It shares no code with
 * the compiler or the simulator; it settles elements on which the simulator and ONNX Runtime disagree.
 * Relu/Clip are not applied: where ONNX Runtime runs the integer kernel it removed them as no-ops.
 */
final class IntegerOracle {
    private final boolean conv;
    private final Tensor x;
    private final int xzp;
    private final float xs;
    private final Tensor w;
    private final int[] wzp;
    private final float[] ws;
    private final int[] bias;
    private final float ys;
    private final int yzp;
    private final DType yType;
    private final int[] yShape;
    // convolution geometry
    private final int group;
    private final long[] pads;
    private final long[] strides;
    private final long[] dilations;
    // matrix product: B as [batch][K][N] (batch 1 when shared), or transposed [N][K]
    private final boolean transB;

    private IntegerOracle(boolean conv, Tensor x, int xzp, float xs, Tensor w, int[] wzp, float[] ws, int[] bias, float ys,
                          int yzp, DType yType, int[] yShape, int group, long[] pads, long[] strides, long[] dilations,
                          boolean transB) {
        this.conv = conv;
        this.x = x;
        this.xzp = xzp;
        this.xs = xs;
        this.w = w;
        this.wzp = wzp;
        this.ws = ws;
        this.bias = bias;
        this.ys = ys;
        this.yzp = yzp;
        this.yType = yType;
        this.yShape = yShape;
        this.group = group;
        this.pads = pads;
        this.strides = strides;
        this.dilations = dilations;
        this.transB = transB;
    }

    /**
     * The oracle of {@code layer}, or empty when the layer is not a convolution or matrix product.
     *
     * @param tensors the simulator's values of activation tensors (the layer's inputs)
     * @param yShape  the layer output's shape
     */
    static Optional<IntegerOracle> of(ModelProto model, LayerInfo layer, Function<String, Tensor> tensors, int[] yShape) {
        Index ix = new Index(model);
        NodeProto op = null;
        NodeProto q = null;
        for (String name : layer.nodes()) {
            NodeProto n = ix.byName.get(name);
            if (n == null) continue;
            switch (n.getOpType()) {
                case "QLinearConv", "QLinearMatMul", "Conv", "MatMul", "Gemm" -> op = n;
                case "QuantizeLinear" -> q = n;
                default -> { }
            }
        }
        if (op == null) return Optional.empty();
        String type = op.getOpType();
        boolean conv = type.endsWith("Conv");
        boolean qop = type.startsWith("QLinear");
        String xName;
        String wName;
        int xzp;
        float xs;
        Tensor wzpT;
        Tensor wsT;
        float ys;
        Tensor yzpT;
        Tensor b = null;
        if (qop) {
            xName = op.getInput(0);
            xs = ix.init(op.getInput(1)).getFloat(0);
            xzp = (int) ix.init(op.getInput(2)).getLong(0);
            wName = op.getInput(3);
            wsT = ix.init(op.getInput(4));
            wzpT = ix.init(op.getInput(5));
            ys = ix.init(op.getInput(6)).getFloat(0);
            yzpT = ix.init(op.getInput(7));
            if (conv && op.getInputCount() > 8 && !op.getInput(8).isEmpty()) b = ix.init(op.getInput(8));
        } else {
            if (q == null) return Optional.empty();
            NodeProto dqx = ix.producer.get(op.getInput(0));
            NodeProto dqw = ix.producer.get(op.getInput(1));
            xName = dqx.getInput(0);
            xs = ix.init(dqx.getInput(1)).getFloat(0);
            xzp = (int) ix.init(dqx.getInput(2)).getLong(0);
            wName = dqw.getInput(0);
            wsT = ix.init(dqw.getInput(1));
            wzpT = ix.init(dqw.getInput(2));
            ys = ix.init(q.getInput(1)).getFloat(0);
            yzpT = ix.init(q.getInput(2));
            if (op.getInputCount() > 2 && !op.getInput(2).isEmpty()) {
                NodeProto dqb = ix.producer.get(op.getInput(2));
                if (dqb == null || !dqb.getOpType().equals("DequantizeLinear")) return Optional.empty();
                b = ix.init(dqb.getInput(0));
            }
        }
        Tensor x = tensors.apply(xName);
        Tensor w = ix.inits.containsKey(wName) ? ix.init(wName) : tensors.apply(wName);
        int channels = conv ? w.dim(0) : yShape[yShape.length - 1];
        int[] wzp = new int[channels];
        float[] ws = new float[channels];
        int[] bias = new int[channels];
        for (int c = 0; c < channels; c++) {
            ws[c] = wsT.getFloat(wsT.size() == 1 ? 0 : c);
            wzp[c] = (int) wzpT.getLong(wzpT.size() == 1 ? 0 : c);
            bias[c] = b == null ? 0 : (int) b.getLong(c);
        }
        return Optional.of(new IntegerOracle(conv, x, xzp, xs, w, wzp, ws, bias, ys, (int) yzpT.getLong(0), yzpT.dtype(),
                yShape, (int) Attributes.getInt(op, "group", 1), Attributes.getInts(op, "pads", 0, 0, 0, 0),
                Attributes.getInts(op, "strides", 1, 1), Attributes.getInts(op, "dilations", 1, 1),
                Attributes.getInt(op, "transB", 0) != 0));
    }

    /** The output code of element {@code i} (row-major over the output shape). */
    long value(int i) {
        long acc;
        int c;
        if (conv) {
            int ow = yShape[3];
            int oh = yShape[2];
            int oc = yShape[1];
            int ox = i % ow;
            int oy = (i / ow) % oh;
            c = (i / ow / oh) % oc;
            int n = i / ow / oh / oc;
            int icg = w.dim(1);
            int kh = w.dim(2);
            int kw = w.dim(3);
            int g = c / (oc / group);
            int ih = x.dim(2);
            int iw = x.dim(3);
            acc = bias[c];
            for (int ci = 0; ci < icg; ci++) {
                for (int a = 0; a < kh; a++) {
                    for (int bb = 0; bb < kw; bb++) {
                        long iy = oy * strides[0] - pads[0] + a * dilations[0];
                        long ix = ox * strides[1] - pads[1] + bb * dilations[1];
                        long xv = iy < 0 || ix < 0 || iy >= ih || ix >= iw ? xzp
                                : x.getLong((int) ((((long) n * x.dim(1) + g * icg + ci) * ih + iy) * iw + ix));
                        acc += (xv - xzp) * (w.getLong(((c * icg + ci) * kh + a) * kw + bb) - wzp[c]);
                    }
                }
            }
        } else {
            int nCols = yShape[yShape.length - 1];
            int rows = yShape[yShape.length - 2];
            int k = x.dim(-1);
            c = i % nCols;
            int m = (i / nCols) % rows;
            int batch = i / nCols / rows;
            int bBatch = w.rank() == 3 ? batch : 0;
            acc = bias[c];
            for (int j = 0; j < k; j++) {
                long av = x.getLong((batch * rows + m) * k + j);
                long bv = transB ? w.getLong(c * k + j) : w.getLong((bBatch * k + j) * nCols + c);
                acc += (av - xzp) * (bv - wzp[c]);
            }
        }
        float mult = (xs * ws[c]) / ys;
        float v = (float) acc * mult;
        v = Math.max((float) (yType.min() - yzp), Math.min((float) (yType.max() - yzp), v));
        return (long) Math.rint(v) + yzp;
    }

    /**
     * Whether element {@code i} lies where ONNX Runtime 1.24.1's AMX u8 GEMM kernel (MLAS, fixed upstream in
     * microsoft/onnxruntime pull request 27671) writes wrong values: the last row of a 32-row block of the
     * GEMM ({@code row % 32 == 31}; rows are output pixels, or matrix rows counted across the batch when B
     * is shared) in a column tail of more than 16
     * columns ({@code N % 32 > 16}, column {@code ≥ 32·⌊N/32⌋ + 16}; N is the output channels per group).
     */
    boolean inAmxDefectPattern(int i) {
        int row;
        int col;
        int n;
        if (conv) {
            int pixels = yShape[2] * yShape[3];
            n = yShape[1] / group;
            row = i % pixels;
            col = (i / pixels) % yShape[1] % n;
        } else {
            // one GEMM over all batches' rows when B is shared, one per batch when B is batched
            n = yShape[yShape.length - 1];
            row = w.rank() == 3 ? (i / n) % yShape[yShape.length - 2] : i / n;
            col = i % n;
        }
        return row % 32 == 31 && n % 32 > 16 && col >= n / 32 * 32 + 16;
    }

    /** Initializers and producers of a model's main graph. */
    private static final class Index {
        final Map<String, TensorProto> inits = new HashMap<>();
        final Map<String, NodeProto> producer = new HashMap<>();
        final Map<String, NodeProto> byName = new HashMap<>();

        Index(ModelProto m) {
            m.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
            for (NodeProto n : m.getGraph().getNodeList()) {
                n.getOutputList().forEach(o -> producer.put(o, n));
                byName.put(n.getName(), n);
            }
        }

        Tensor init(String name) {
            TensorProto t = inits.get(name);
            if (t == null) throw new IllegalArgumentException("no initializer '" + name + "'");
            return TensorProtos.toTensor(t);
        }
    }
}
