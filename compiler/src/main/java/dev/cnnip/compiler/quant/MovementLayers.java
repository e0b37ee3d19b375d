package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.layer.PoolAttrs;
import dev.cnnip.compiler.layer.ResizeAttrs;
import dev.cnnip.compiler.layer.SliceAttrs;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the layers of operators that move quantized values without computing on them: MaxPool, Slice, Resize,
 * Transpose, Pad, reshapes ({@link #passThroughLayer}) and Split, one QSlice per output ({@link #splitLayers}),
 * including the parsing of their attributes and constant inputs. Shared by the {@link Canonicalizer}'s QDQ groups
 * and by {@link QOperatorConverter}'s integer ops; whether the quantization parameters allow the move is decided
 * by the caller.
 */
final class MovementLayers {
    private final Canonicalizer ctx;
    private final Graph g;
    private final QGraph q;

    MovementLayers(Canonicalizer ctx, Graph g, QGraph q) {
        this.ctx = ctx;
        this.g = g;
        this.q = q;
    }

    /** Constant-mode Pad with pads (input 1 or the opset < 11 attribute), optional axes (input 3) on H and W only. */
    private Layer padLayer(Node x, List<String> nodes, String in, String y) {
        String mode = x.attrString("mode", "constant");
        if (!List.of("constant", "reflect", "edge").contains(mode)) {
            throw new GraphException(x, "only constant, reflect and edge Pad are supported, not " + mode);
        }
        int rank = g.value(in).rank();
        long[] pads;
        if (x.inputs().size() > 1 && !x.input(1).isEmpty()) {
            if (!ctx.isConst(x.input(1))) throw new GraphException(x, "pads must be a constant");
            pads = g.value(x.input(1)).constant().toLongArray();
        } else {
            pads = x.attrInts("pads", new long[0]);
        }
        float value = x.attrFloat("value", 0f);
        boolean hasValue = x.inputs().size() > 2 && !x.input(2).isEmpty();
        if (hasValue) {
            if (!ctx.isConst(x.input(2))) throw new GraphException(x, "the pad value must be a constant");
            value = g.value(x.input(2)).constant().getFloat(0);
        }
        if (g.value(in).dtype().isInteger() && g.value(x.input(0)).dtype().isInteger()) {
            // a Pad on codes (QOperator models): the value is a code (0 when absent); as a real value it is
            // (code - zp) * scale, which quantizes back to the code
            QParams p = q.params().get(in);
            if (p == null) throw new GraphException(x, "input '" + in + "' has no known quantization");
            long code = hasValue ? g.value(x.input(2)).constant().getLong(0) : 0;
            value = (float) (code - p.zp0()) * p.scale0();
        }
        int[] axes = java.util.stream.IntStream.range(0, rank).toArray();
        if (x.inputs().size() > 3 && !x.input(3).isEmpty()) {
            if (!ctx.isConst(x.input(3))) throw new GraphException(x, "axes must be a constant");
            axes = Arrays.stream(g.value(x.input(3)).constant().toLongArray()).mapToInt(a -> (int) (a < 0 ? a + rank : a)).toArray();
        }
        if (rank != 4 || pads.length != 2 * axes.length) {
            throw new GraphException(x, "only Pad of a rank-4 tensor with one begin and end per axis is supported");
        }
        long[] full = new long[8];
        for (int i = 0; i < axes.length; i++) {
            full[axes[i]] = pads[i];
            full[4 + axes[i]] = pads[axes.length + i];
        }
        for (long v : full) if (v < 0) throw new GraphException(x, "negative pads (cropping) are not supported: " + Arrays.toString(pads));
        if (!mode.equals("constant") && (full[0] | full[1] | full[4] | full[5]) != 0) {
            throw new GraphException(x, mode + " Pad on N or C is not supported (pads " + Arrays.toString(pads) + ")");
        }
        return new Layer.QPad(x.name(), nodes, in, y, Arrays.stream(full).mapToInt(v -> (int) v).toArray(), value, mode);
    }

    /**
     * The layer of an operator that passes values through unchanged: MaxPool, Resize, Transpose or a
     * reshape ({@code op} is the ONNX op type).
     */
    Layer passThroughLayer(Node x, String op, List<String> nodes, String in, String y) {
        return switch (op) {
            case "MaxPool" -> new Layer.QMaxPool(x.name(), nodes, in, y, PoolAttrs.of(x, "max"));
            case "Pad" -> padLayer(x, nodes, in, y);
            case "Slice" -> new Layer.QSlice(x.name(), nodes, in, y, sliceOf(x, in));
            case "Resize" -> {
                Tensor scales = x.inputs().size() > 2 && ctx.isConst(x.input(2)) ? g.value(x.input(2)).constant() : null;
                yield new Layer.QResize(x.name(), nodes, in, y, ctx.knownShape(x, y), ResizeAttrs.of(x, scales));
            }
            case "Transpose" -> {
                long[] perm = x.attrInts("perm", null);
                yield new Layer.QTranspose(x.name(), nodes, in, y, perm == null ? null
                        : Arrays.stream(perm).mapToInt(v -> (int) v).toArray());
            }
            default -> new Layer.QReshape(x.name(), nodes, in, y, ctx.knownShape(x, y));
        };
    }

    private SliceAttrs sliceOf(Node x, String in) {
        return SliceAttrs.of(x, ctx.knownShape(x, in), i -> ctx.isConst(x.input(i)) ? g.value(x.input(i)).constant() : null);
    }

    /** One QSlice node per output of Split {@code x} over {@code in}; {@code quants} (or null) are the absorbed Qs. */
    List<Node> splitLayers(Node x, String in, List<String> outs, List<Node> quants) {
        int[] shape = ctx.knownShape(x, in);
        int axis = dev.cnnip.compiler.frontend.ShapeInference.splitAxis(x, shape.length);
        int[] sizes = dev.cnnip.compiler.frontend.ShapeInference.splitSizes(g, x, shape);
        SliceAttrs whole = SliceAttrs.whole(shape);
        List<Node> canon = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < outs.size(); i++) {
            List<String> nodes = quants == null ? List.of(x.name()) : List.of(x.name(), quants.get(i).name());
            String name = i == 0 ? x.name() : x.name() + "#" + i;
            canon.add(ctx.canonical(new Layer.QSlice(name, nodes, in, outs.get(i), whole.along(axis, start, sizes[i])), List.of(in)));
            start += sizes[i];
        }
        return canon;
    }
}
