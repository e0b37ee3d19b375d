package dev.cnnip.compiler.frontend;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates shape-computing subgraphs at compile time: {@code Shape} of a tensor with a known shape,
 * and {@code Gather}, {@code Unsqueeze}, {@code Squeeze}, {@code Concat}, {@code Cast}, {@code Identity},
 * {@code Reshape}, {@code Slice}, {@code ConstantOfShape} and integer or float {@code Add}/{@code Sub}/
 * {@code Mul}/{@code Div} on constants (the Shape → Gather → Unsqueeze → Concat → Reshape chains
 * exporters emit). Folded nodes leave the graph and their outputs become constants.
 */
public final class ConstantFolder {
    private static final Set<String> FOLDABLE = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast",
            "Identity", "Reshape", "Slice", "ConstantOfShape", "Add", "Sub", "Mul", "Div");

    private ConstantFolder() {}

    /** Folds {@code n} when possible (its outputs must already have inferred types); returns whether it did. */
    static boolean tryFold(Graph g, Node n) {
        if (!n.domain().isEmpty() || !FOLDABLE.contains(n.opType()) || n.outputs().size() != 1) return false;
        boolean shapeOnly = n.opType().equals("Shape");
        for (String in : n.inputs()) {
            if (!in.isEmpty() && !shapeOnly && !g.value(in).isConstant()) return false;
        }
        Tensor t = evaluate(g, n);
        if (t == null) return false;
        g.value(n.output(0)).setConstant(t);
        return true;
    }

    /** Removes nodes whose outputs nobody reads (repeatedly). */
    static void removeDeadNodes(Graph g) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<String> used = new HashSet<>(g.outputs());
            for (Node n : g.nodes()) used.addAll(n.inputs());
            List<Node> dead = new ArrayList<>();
            for (Node n : g.nodes()) {
                if (n.outputs().stream().noneMatch(used::contains)) dead.add(n);
            }
            changed = g.nodes().removeAll(dead) && !dead.isEmpty();
        }
        g.pruneUnusedValues();
    }

    private static Tensor evaluate(Graph g, Node n) {
        Value out = g.value(n.output(0));
        int[] shape = out.shape();
        switch (n.opType()) {
            case "Shape": {
                int[] s = g.value(n.input(0)).shape();
                int start = (int) n.attrInt("start", 0);
                int end = (int) n.attrInt("end", s.length);
                if (start < 0) start += s.length;
                if (end < 0) end += s.length;
                start = Math.max(0, Math.min(s.length, start));
                end = Math.max(start, Math.min(s.length, end));
                long[] v = new long[end - start];
                for (int i = start; i < end; i++) v[i - start] = s[i];
                return Tensor.ofLongs(DType.INT64, new int[] {v.length}, v);
            }
            case "Cast": {
                Tensor in = c(g, n, 0);
                Tensor r = Tensor.zeros(out.dtype(), shape);
                for (int i = 0; i < r.size(); i++) {
                    if (out.dtype().isInteger()) r.setLong(i, in.dtype().isInteger() ? in.getLong(i) : (long) in.getDouble(i));
                    else r.setDouble(i, in.getDouble(i));
                }
                return r;
            }
            case "Identity", "Reshape", "Unsqueeze", "Squeeze":
                return new Tensor(out.dtype(), shape, c(g, n, 0).data().clone());
            case "Gather":
                return gather(g, n, shape);
            case "Concat":
                return concat(g, n, shape);
            case "Slice":
                return slice(g, n, shape);
            case "ConstantOfShape": {
                Tensor v = n.attrTensor("value");
                Tensor r = Tensor.zeros(v == null ? DType.FLOAT32 : v.dtype(), shape);
                if (v != null) for (int i = 0; i < r.size(); i++) r.setDouble(i, v.getDouble(0));
                return r;
            }
            default:
                return arithmetic(g, n, shape);
        }
    }

    private static Tensor c(Graph g, Node n, int i) {
        return g.value(n.input(i)).constant();
    }

    private static Tensor gather(Graph g, Node n, int[] shape) {
        Tensor data = c(g, n, 0);
        Tensor idx = c(g, n, 1);
        int[] ds = data.shape();
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += ds.length;
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= ds[i];
        int inner = 1;
        for (int i = axis + 1; i < ds.length; i++) inner *= ds[i];
        Tensor r = Tensor.zeros(data.dtype(), shape);
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.size(); j++) {
                long ix = idx.getLong(j);
                if (ix < 0) ix += ds[axis];
                if (ix < 0 || ix >= ds[axis]) throw new GraphException(n, "index " + idx.getLong(j) + " out of range");
                for (int i = 0; i < inner; i++) {
                    r.setDouble(k, data.getDouble((int) ((o * ds[axis] + ix) * inner + i)));
                    if (data.dtype().isInteger()) r.setLong(k, data.getLong((int) ((o * ds[axis] + ix) * inner + i)));
                    k++;
                }
            }
        }
        return r;
    }

    private static Tensor concat(Graph g, Node n, int[] shape) {
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += shape.length;
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        Tensor first = c(g, n, 0);
        Tensor r = Tensor.zeros(first.dtype(), shape);
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n.inputs().size(); j++) {
                Tensor t = c(g, n, j);
                int chunk = t.size() / outer;
                for (int i = 0; i < chunk; i++) copy(t, o * chunk + i, r, k++);
            }
        }
        return r;
    }

    private static Tensor slice(Graph g, Node n, int[] shape) {
        Tensor data = c(g, n, 0);
        if (data.rank() != 1) return null;
        long start = c(g, n, 1).getLong(0);
        long end = c(g, n, 2).getLong(0);
        long step = n.input(4).isEmpty() ? 1 : c(g, n, 4).getLong(0);
        int len = data.size();
        if (start < 0) start += len;
        if (end < 0) end += len;
        start = Math.max(0, Math.min(len, start));
        end = Math.max(-1, Math.min(len, end));
        List<Integer> idx = new ArrayList<>();
        for (long i = start; step > 0 ? i < end : i > end; i += step) idx.add((int) i);
        Tensor r = Tensor.zeros(data.dtype(), idx.size());
        for (int i = 0; i < idx.size(); i++) copy(data, idx.get(i), r, i);
        return r;
    }

    private static Tensor arithmetic(Graph g, Node n, int[] shape) {
        Tensor a = c(g, n, 0);
        Tensor b = c(g, n, 1);
        if (a.size() != 1 && b.size() != 1 && a.size() != b.size()) return null; // general broadcasting is not needed here
        Tensor r = Tensor.zeros(g.value(n.output(0)).dtype(), shape);
        for (int i = 0; i < r.size(); i++) {
            int ia = a.size() == 1 ? 0 : i;
            int ib = b.size() == 1 ? 0 : i;
            if (r.dtype().isInteger()) {
                long x = a.getLong(ia);
                long y = b.getLong(ib);
                r.setLong(i, switch (n.opType()) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> {
                        if (y == 0) throw new GraphException(n, "integer division by zero");
                        yield Math.floorDiv(x, y);
                    }
                });
            } else {
                float x = a.getFloat(ia);
                float y = b.getFloat(ib);
                r.setDouble(i, switch (n.opType()) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                });
            }
        }
        return r;
    }

    private static void copy(Tensor from, int i, Tensor to, int j) {
        if (from.dtype().isInteger()) to.setLong(j, from.getLong(i));
        else to.setDouble(j, from.getDouble(i));
    }
}
