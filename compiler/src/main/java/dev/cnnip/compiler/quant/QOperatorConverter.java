package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.layer.AxisQuant;
import dev.cnnip.compiler.layer.Clamp;
import dev.cnnip.compiler.layer.ConvAttrs;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.layer.PoolAttrs;
import dev.cnnip.compiler.layer.WeightQuant;
import dev.cnnip.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Canonicalizer}'s last pass: converts the nodes no QDQ group took, one at a time. These are the
 * QOperator ops (QLinearConv, QLinearMatMul and the com.microsoft QLinear and QGemm contrib ops, whose scales and zero
 * points are inputs), standalone QuantizeLinear/DequantizeLinear, and integer pass-through ops (MaxPool, Slice,
 * Resize, Transpose, Pad, Split, reshapes) on 8-bit codes. A float operator left here is an error naming the node.
 */
final class QOperatorConverter {
    private final Canonicalizer ctx;
    private final Graph g;
    private final QGraph q;
    private final MovementLayers moves;

    QOperatorConverter(Canonicalizer ctx, Graph g, QGraph q, MovementLayers moves) {
        this.ctx = ctx;
        this.g = g;
        this.q = q;
        this.moves = moves;
    }

    /** Converts {@code n} in place: replaces it in the graph by its canonical node(s), or leaves it (a weight). */
    void convert(Node n) {
        {
            String op = n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType();
            Node canon = switch (op) {
                case "QuantizeLinear" -> {
                    if (ctx.isConst(n.input(0))) yield null;
                    yield quantDequant(n, "Quantize");
                }
                case "DequantizeLinear" -> {
                    if (ctx.isConst(n.input(0))) {
                        // weights of a node no group took: that node is reported (not this dequantization)
                        if (g.consumers(n.output(0)).isEmpty()) g.nodes().remove(n);
                        yield null;
                    }
                    yield quantDequant(n, "Dequantize");
                }
                case "QLinearConv" -> qlinearConv(n);
                case "QLinearMatMul" -> qlinearMatMul(n);
                case "com.microsoft:QLinearAdd" -> qlinearBinary(n, true);
                case "com.microsoft:QLinearMul" -> qlinearBinary(n, false);
                case "com.microsoft:QLinearGlobalAveragePool" -> qlinearGap(n);
                case "com.microsoft:QLinearAveragePool" -> qlinearAveragePool(n);
                case "com.microsoft:QGemm" -> qgemm(n);
                case "com.microsoft:QLinearConcat" -> qlinearConcat(n);
                case "com.microsoft:QLinearSigmoid" -> qlinearLut(n, "Sigmoid");
                case "com.microsoft:QLinearLeakyRelu" -> qlinearLut(n, "LeakyRelu");
                case "com.microsoft:QLinearSoftmax" -> qlinearSoftmax(n);
                case "MaxPool" -> passThrough(n, true);
                case "Slice", "Resize", "Transpose", "Pad" -> passThrough(n, false);
                case "Split" -> {
                    integerSplit(n);
                    yield null;
                }
                default -> {
                    if (Canonicalizer.RESHAPES.contains(op)) yield passThrough(n, false);
                    throw new GraphException(n, isFloat(n) ? "float operator outside a QuantizeLinear/DequantizeLinear group; "
                            + "cnnip compiles quantized graphs (quantize the model first)" : "unsupported operator");
                }
            };
            if (canon != null) {
                int at = g.nodes().indexOf(n);
                g.nodes().set(at, canon);
            }
        }
    }

    private boolean isFloat(Node n) {
        for (String in : n.inputs()) {
            if (!in.isEmpty() && g.value(in).dtype() == DType.FLOAT32 && !ctx.isConst(in)) return true;
        }
        return false;
    }

    private Node quantDequant(Node n, String op) {
        AxisQuant aq = new AxisQuant(ctx.constOf(n, 1), n.input(2).isEmpty() ? null : ctx.constOf(n, 2), (int) n.attrInt("axis", 1),
                (int) n.attrInt("block_size", 0));
        boolean quant = op.equals("Quantize");
        String qt = quant ? n.output(0) : n.input(0);
        if (aq.blockSize() == 0) q.record(qt, quant ? ctx.qparamsOfQ(n) : ctx.qparamsOfDq(n));
        List<String> nodes = List.of(n.name());
        Layer l = quant ? new Layer.Quantize(n.name(), nodes, n.input(0), n.output(0), aq)
                : new Layer.Dequantize(n.name(), nodes, n.input(0), n.output(0), aq);
        return ctx.canonical(l, List.of(n.input(0)));
    }

    private Node qlinearConv(Node n) {
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        WeightQuant wq = new WeightQuant(ctx.constOf(n, 4), ctx.constOf(n, 5), 0);
        Layer l = new Layer.QConv(n.name(), List.of(n.name()), n.input(0), n.input(3), n.input(8), n.output(0), wq,
                ConvAttrs.of(n), clampOf(y));
        return ctx.canonical(l, List.of(n.input(0), n.input(3), n.input(8)));
    }

    private Node qlinearMatMul(Node n) {
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        if (!ctx.isConst(n.input(3))) q.record(n.input(3), ctx.params(n, 4, 5, g.value(n.input(3)).dtype()));
        QParams y = ctx.params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        WeightQuant wq = new WeightQuant(ctx.constOf(n, 4), ctx.constOf(n, 5), 1);
        Layer l = new Layer.QMatMul(n.name(), List.of(n.name()), n.input(0), n.input(3), "", n.output(0), wq, false, "MatMul",
                clampOf(y));
        return ctx.canonical(l, List.of(n.input(0), n.input(3), ""));
    }

    private Node qlinearBinary(Node n, boolean add) {
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        q.record(n.input(3), ctx.params(n, 4, 5, g.value(n.input(3)).dtype()));
        QParams y = ctx.params(n, 6, 7, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        List<String> nodes = List.of(n.name());
        Layer l = add ? new Layer.QAdd(n.name(), nodes, n.input(0), n.input(3), n.output(0), clampOf(y))
                : new Layer.QMul(n.name(), nodes, n.input(0), n.input(3), n.output(0), clampOf(y));
        return ctx.canonical(l, List.of(n.input(0), n.input(3)));
    }

    private Node qlinearGap(Node n) {
        if (n.attrInt("channels_last", 0) != 0) throw new GraphException(n, "channels_last = 1 is not supported");
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        return ctx.canonical(new Layer.QGlobalAveragePool(n.name(), List.of(n.name()), n.input(0), n.output(0), clampOf(y)),
                List.of(n.input(0)));
    }

    private Node qlinearAveragePool(Node n) {
        if (n.attrInt("channels_last", 0) != 0) throw new GraphException(n, "channels_last = 1 is not supported");
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        return ctx.canonical(new Layer.QAveragePool(n.name(), List.of(n.name()), n.input(0), n.output(0),
                PoolAttrs.of(n, "average"), clampOf(y)), List.of(n.input(0)));
    }

    /**
     * com.microsoft QGemm (what quantize_static emits for Gemm in QOperator form): A, a_scale, a_zp, B, b_scale,
     * b_zp, C (int32 bias, scale a_scale·b_scale), y_scale, y_zp; the product as a QMatMul with that bias.
     */
    private Node qgemm(Node n) {
        if (n.attrFloat("alpha", 1f) != 1f) throw new GraphException(n, "only QGemm with alpha = 1 is supported");
        if (n.inputs().size() < 8 || n.input(7).isEmpty()) throw new GraphException(n, "QGemm with a float output is not supported");
        if (!ctx.isConst(n.input(3))) throw new GraphException(n, "B must be a constant");
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 7, 8, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        boolean transB = n.attrInt("transB", 0) != 0;
        WeightQuant wq = new WeightQuant(ctx.constOf(n, 4), ctx.constOf(n, 5), transB ? 0 : 1);
        String bias = n.inputs().size() > 6 ? n.input(6) : "";
        if (!bias.isEmpty() && (!ctx.isConst(bias) || g.value(bias).constant().dtype() != DType.INT32)) {
            throw new GraphException(n, "C must be an int32 constant");
        }
        String a = n.input(0);
        if (n.attrInt("transA", 0) != 0) {
            a = ctx.transposedA(n, a, List.of(n.name()));
            g.nodes().add(g.nodes().indexOf(n), ctx.layersNode(a));
        }
        Layer l = new Layer.QMatMul(n.name(), List.of(n.name()), a, n.input(3), bias, n.output(0), wq, transB, "Gemm",
                clampOf(y));
        return ctx.canonical(l, List.of(a, n.input(3), bias));
    }

    /** com.microsoft QLinearConcat: y_scale, y_zp, then (x, x_scale, x_zp) per input. */
    private Node qlinearConcat(Node n) {
        QParams y = ctx.params(n, 0, 1, g.value(n.output(0)).dtype());
        List<String> ins = new ArrayList<>();
        for (int i = 2; i + 2 < n.inputs().size() + 1; i += 3) {
            q.record(n.input(i), ctx.params(n, i + 1, i + 2, g.value(n.input(i)).dtype()));
            ins.add(n.input(i));
        }
        q.record(n.output(0), y);
        return ctx.canonical(new Layer.QConcat(n.name(), List.of(n.name()), ins, n.output(0), (int) n.attrInt("axis", 0)), ins);
    }

    /**
     * com.microsoft QLinearSigmoid / QLinearLeakyRelu (X, X_scale, X_zp, Y_scale, Y_zp): ONNX Runtime fills a
     * 256-entry table from the float function, as cnnip's lookup-table layer does.
     */
    private Node qlinearLut(Node n, String floatOp) {
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        if (floatOp.equals("LeakyRelu")) attrs.put("alpha", n.attrFloat("alpha", 0.01f));
        Node function = new Node(n.name(), floatOp, "", List.of(n.input(0)), List.of(n.output(0)), attrs);
        return ctx.canonical(new Layer.QLut(n.name(), List.of(n.name()), n.input(0), n.output(0), function), List.of(n.input(0)));
    }

    /** com.microsoft QLinearSoftmax (X, X_scale, X_zp, Y_scale, Y_zp; axis, opset). */
    private Node qlinearSoftmax(Node n) {
        int rank = g.value(n.input(0)).rank();
        long opset = n.attrInt("opset", 13);
        int axis = (int) n.attrInt("axis", opset < 13 ? 1 : -1);
        if (axis < 0) axis += rank;
        if (opset < 13 && axis != rank - 1) {
            int[] s = g.value(n.input(0)).shape();
            for (int i = axis + 1; i < rank; i++) {
                if (s[i] != 1) throw new GraphException(n, "opset-" + opset + " Softmax over axes " + axis + ".." + (rank - 1));
            }
        }
        q.record(n.input(0), ctx.params(n, 1, 2, g.value(n.input(0)).dtype()));
        QParams y = ctx.params(n, 3, 4, g.value(n.output(0)).dtype());
        q.record(n.output(0), y);
        return ctx.canonical(new Layer.QSoftmax(n.name(), List.of(n.name()), n.input(0), n.output(0), axis), List.of(n.input(0)));
    }

    /** An integer Split outside any QDQ group (QOperator models): one QSlice per output, sharing the input's parameters. */
    private void integerSplit(Node n) {
        if (!g.value(n.input(0)).dtype().isInteger()) {
            throw new GraphException(n, "float operator outside a QuantizeLinear/DequantizeLinear group; "
                    + "cnnip compiles quantized graphs (quantize the model first)");
        }
        QParams p = q.params().get(n.input(0));
        if (p == null) throw new GraphException(n, "input '" + n.input(0) + "' has no known quantization");
        for (String o : n.outputs()) if (o.isEmpty()) throw new GraphException(n, "an output of Split is unnamed");
        List<Node> canon = moves.splitLayers(n, n.input(0), n.outputs(), null);
        int at = g.nodes().indexOf(n);
        g.nodes().remove(at);
        for (int i = 0; i < canon.size(); i++) {
            q.record(n.output(i), p);
            g.nodes().add(at + i, canon.get(i));
        }
    }

    /**
     * An integer MaxPool ({@code maxPool}), Slice, Resize, Transpose, Pad or reshape outside any QDQ group (QOperator
     * models run them on 8-bit codes); the output shares the input's parameters.
     */
    private Node passThrough(Node n, boolean maxPool) {
        Value in = g.value(n.input(0));
        if (!in.dtype().isInteger()) {
            throw new GraphException(n, "float operator outside a QuantizeLinear/DequantizeLinear group; "
                    + "cnnip compiles quantized graphs (quantize the model first)");
        }
        QParams p = q.params().get(n.input(0));
        if (p != null) {
            q.record(n.output(0), p);
        } else if (!maxPool) {
            throw new GraphException(n, "input '" + n.input(0) + "' has no known quantization");
        } // a max of integers needs no scale: a plain integer MaxPool stays exact
        String kind = maxPool ? "MaxPool" : Set.of("Slice", "Resize", "Transpose", "Pad").contains(n.opType()) ? n.opType() : "Reshape";
        Layer l = moves.passThroughLayer(n, kind, List.of(n.name()), n.input(0), n.output(0));
        if (l instanceof Layer.QResize r) { // ONNX Runtime's Resize on codes: its linear mode truncates
            l = new Layer.QResize(r.name(), r.onnxNodes(), r.x(), r.y(), r.sizes(), r.attrs(), true);
        }
        return ctx.canonical(l, n.inputs().stream().filter(i -> !i.isEmpty()).toList());
    }

    private static Clamp clampOf(QParams y) {
        return new Clamp(y.qmin(), y.qmax());
    }
}
