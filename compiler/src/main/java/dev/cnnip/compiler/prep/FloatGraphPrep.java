package dev.cnnip.compiler.prep;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a float graph into the shape the quantizer expects, keeping its float semantics:
 * <ul>
 * <li>BatchNormalization after a Conv is folded into the Conv's weights and bias:
 *     {@code k = γ / sqrt(var + ε)}, {@code W' = W·k[c]}, {@code b' = (b − mean)·k + β} (in double, stored as float);</li>
 * <li>an Add of a per-channel constant after a Conv becomes the Conv's bias, and after a 2-D MatMul with a
 *     constant B becomes a Gemm with that bias;</li>
 * <li>{@code x · HardSigmoid(x)} and {@code x · Clip(x + 3, 0, 6) / 6} become HardSwish(x);</li>
 * <li>a BatchNormalization that follows no Conv becomes a per-channel {@code Mul} by {@code k} and {@code Add}
 *     of {@code β − mean·k};</li>
 * <li>a two-input Sum becomes Add; Dropout and Identity are removed;</li>
 * <li>{@code Where(Less(x, c), c, x)} (max with a constant, as Clip's function expansion writes it) becomes
 *     {@code Clip(x, c, )}, {@code Where(Less(c, x), c, x)} becomes {@code Clip(x, , c)};</li>
 * <li>a Gemm with constant B and C gets {@code alpha = beta = 1}: {@code B' = alpha·B}, {@code C' = beta·C} (float
 *     products, as ONNX Runtime's {@code alpha·(A·B)} up to one rounding) and {@code transB = 1} applied to B (a Gemm
 *     that needs none of this is left unchanged);
 *     a C that broadcasts over the rows ({@code []}, {@code [1]}, {@code [N]}, {@code [1, N]}) becomes a bias of
 *     N values, a full {@code [M, N]} C an Add after the Gemm; {@code transA = 1} becomes a Transpose of A;</li>
 * <li>a Softmax over an axis other than the last runs over the last between two Transposes that swap them.</li>
 * </ul>
 */
public final class FloatGraphPrep {
    private FloatGraphPrep() {}

    public static void run(Graph g) {
        removeIdentities(g);
        whereLessToClip(g);
        normalizeGemm(g);
        softmaxToLastAxis(g);
        sumToAdd(g);
        foldBatchNorm(g);
        batchNormToScaleShift(g);
        fuseBias(g);
        recognizeHardSwish(g);
        g.pruneUnusedValues();
    }

    private static Node soleConsumer(Graph g, String t) {
        List<Node> c = g.consumers(t);
        return c.size() == 1 && !g.isOutput(t) ? c.get(0) : null;
    }

    private static void removeIdentities(Graph g) {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (!n.domain().isEmpty() || !(n.opType().equals("Identity") || n.opType().equals("Dropout"))) continue;
            if (n.outputs().size() > 1 && !n.output(1).isEmpty() && !g.consumers(n.output(1)).isEmpty()) continue;
            String in = n.input(0);
            String out = n.output(0);
            if (g.isOutput(out)) continue;
            for (Node c : g.consumers(out)) c.inputs().replaceAll(s -> s.equals(out) ? in : s);
            g.nodes().remove(n);
        }
    }

    private static void whereLessToClip(Graph g) {
        for (Node w : new ArrayList<>(g.nodes())) {
            if (!w.domain().isEmpty() || !w.opType().equals("Where")) continue;
            Node less = g.producer(w.input(0));
            if (less == null || !less.opType().equals("Less") || soleConsumer(g, less.output(0)) != w) continue;
            String c = w.input(1);
            String x = w.input(2);
            Tensor ct = constant(g, c);
            if (ct == null || ct.size() != 1 || constant(g, x) != null) continue;
            boolean max = less.input(0).equals(x) && less.input(1).equals(c); // x < c ? c : x
            boolean min = less.input(0).equals(c) && less.input(1).equals(x); // c < x ? c : x
            if (!max && !min) continue;
            String scalar = g.freshName(c + "_scalar");
            g.add(Value.constant(scalar, ct.reshape()));
            List<String> ins = max ? List.of(x, scalar) : List.of(x, "", scalar);
            g.nodes().set(g.nodes().indexOf(w), new Node(w.name(), "Clip", "", new ArrayList<>(ins), w.outputs(), Map.of()));
            g.nodes().remove(less);
        }
        // Clip(Clip(x, a, ), , b) = min(max(x, a), b) = Clip(x, a, b): one table, one rounding
        for (Node outer : new ArrayList<>(g.nodes())) {
            if (!outer.opType().equals("Clip") || outer.inputs().size() != 3 || !outer.input(1).isEmpty()) continue;
            Node inner = g.producer(outer.input(0));
            if (inner == null || !inner.opType().equals("Clip") || inner.inputs().size() != 2 || soleConsumer(g, inner.output(0)) != outer) {
                continue;
            }
            g.nodes().set(g.nodes().indexOf(outer), new Node(outer.name(), "Clip", "",
                    new ArrayList<>(List.of(inner.input(0), inner.input(1), outer.input(2))), outer.outputs(), Map.of()));
            g.nodes().remove(inner);
        }
    }

    private static void normalizeGemm(Graph g) {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (!n.domain().isEmpty() || !n.opType().equals("Gemm")) continue;
            Tensor b = constant(g, n.input(1));
            Tensor c = n.inputs().size() > 2 ? constant(g, n.input(2)) : null;
            boolean hasC = n.inputs().size() > 2 && !n.input(2).isEmpty();
            if (b == null || b.rank() != 2 || hasC && c == null) continue;
            int nOut = n.attrInt("transB", 0) != 0 ? b.dim(0) : b.dim(1);
            boolean plain = n.attrFloat("alpha", 1f) == 1f && n.attrFloat("beta", 1f) == 1f && n.attrInt("transA", 0) == 0
                    && (!hasC || c.rank() == 1 && c.size() == nOut);
            if (plain) continue; // already what the quantizer takes: leave it (and the model's bytes) unchanged
            String a = n.input(0);
            if (n.attrInt("transA", 0) != 0) { // A^T as a Transpose (a data copy on the accelerator)
                int[] as = g.value(a).shape();
                String at = g.freshName(a + "_transposed");
                g.add(new Value(at, DType.FLOAT32, new int[] {as[1], as[0]}, null));
                g.nodes().add(g.nodes().indexOf(n), new Node(n.name() + "_transA", "Transpose", "", new ArrayList<>(List.of(a)),
                        new ArrayList<>(List.of(at)), Map.of("perm", new long[] {1, 0})));
                a = at;
            }
            float alpha = n.attrFloat("alpha", 1f);
            float beta = n.attrFloat("beta", 1f);
            boolean transB = n.attrInt("transB", 0) != 0;
            int k = transB ? b.dim(1) : b.dim(0);
            int cols = transB ? b.dim(0) : b.dim(1);
            Tensor nb = Tensor.zeros(DType.FLOAT32, k, cols);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < cols; j++) nb.setDouble(i * cols + j, alpha * (transB ? b.getFloat(j * k + i) : b.getFloat(i * cols + j)));
            }
            String bName = g.freshName(n.input(1) + "_normalized");
            g.add(Value.constant(bName, nb));
            List<String> ins = new ArrayList<>(List.of(a, bName));
            Node add = null;
            if (hasC) {
                boolean rowBroadcast = c.size() == 1 || c.size() == cols && (c.rank() == 1 || c.dim(0) == 1);
                Tensor nc = Tensor.zeros(DType.FLOAT32, rowBroadcast ? new int[] {cols} : c.shape());
                for (int i = 0; i < nc.size(); i++) nc.setDouble(i, beta * c.getFloat(c.size() == 1 ? 0 : i));
                String cName = g.freshName(n.input(2) + "_normalized");
                g.add(Value.constant(cName, nc));
                if (rowBroadcast) {
                    ins.add(cName);
                } else {
                    String mid = g.freshName(n.name() + "_product");
                    g.add(new Value(mid, DType.FLOAT32, g.value(n.output(0)).shape(), null));
                    add = new Node(n.name() + "_c", "Add", "", List.of(mid, cName), List.of(n.output(0)), Map.of());
                }
            }
            String out = add == null ? n.output(0) : add.input(0);
            int at = g.nodes().indexOf(n);
            g.nodes().set(at, new Node(n.name(), "Gemm", "", ins, List.of(out), Map.of()));
            if (add != null) g.nodes().add(at + 1, add);
        }
    }

    /** Softmax over an axis other than the last: Transpose (swap it with the last), Softmax over the last, Transpose back. */
    private static void softmaxToLastAxis(Graph g) {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (!n.domain().isEmpty() || !n.opType().equals("Softmax")) continue;
            int[] s = g.value(n.input(0)).shape();
            int rank = s.length;
            long axis = n.attrInt("axis", -1);
            if (axis < 0) axis += rank;
            if (axis == rank - 1 || g.opsets().getOrDefault("", 13) < 13) continue;
            long[] perm = new long[rank];
            for (int i = 0; i < rank; i++) perm[i] = i;
            perm[(int) axis] = rank - 1;
            perm[rank - 1] = axis;
            int[] ts = s.clone();
            ts[(int) axis] = s[rank - 1];
            ts[rank - 1] = s[(int) axis];
            String in = g.freshName(n.input(0) + "_to_last");
            String mid = g.freshName(n.output(0) + "_last");
            g.add(new Value(in, DType.FLOAT32, ts, null));
            g.add(new Value(mid, DType.FLOAT32, ts, null));
            int at = g.nodes().indexOf(n);
            g.nodes().set(at, new Node(n.name() + "_to_last", "Transpose", "", new ArrayList<>(List.of(n.input(0))),
                    new ArrayList<>(List.of(in)), Map.of("perm", perm)));
            g.nodes().add(at + 1, new Node(n.name(), "Softmax", "", new ArrayList<>(List.of(in)), new ArrayList<>(List.of(mid)),
                    Map.of("axis", (long) (rank - 1))));
            g.nodes().add(at + 2, new Node(n.name() + "_back", "Transpose", "", new ArrayList<>(List.of(mid)),
                    new ArrayList<>(List.of(n.output(0))), Map.of("perm", perm.clone())));
        }
    }

    private static void sumToAdd(Graph g) {
        for (Node n : new ArrayList<>(g.nodes())) {
            if (n.domain().isEmpty() && n.opType().equals("Sum") && n.inputs().size() == 2) {
                g.nodes().set(g.nodes().indexOf(n), new Node(n.name(), "Add", "", n.inputs(), n.outputs(), Map.of()));
            }
        }
    }

    private static void batchNormToScaleShift(Graph g) {
        for (Node bn : new ArrayList<>(g.nodes())) {
            if (!bn.opType().equals("BatchNormalization") || !bn.domain().isEmpty()) continue;
            Tensor gamma = constant(g, bn.input(1));
            Tensor beta = constant(g, bn.input(2));
            Tensor mean = constant(g, bn.input(3));
            Tensor var = constant(g, bn.input(4));
            int[] xs = g.value(bn.input(0)).shape();
            if (gamma == null || beta == null || mean == null || var == null || xs.length != 4) continue;
            if (bn.outputs().size() > 1 && bn.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) continue;
            double eps = bn.attrFloat("epsilon", 1e-5f);
            int c = xs[1];
            Tensor k = Tensor.zeros(DType.FLOAT32, 1, c, 1, 1);
            Tensor b = Tensor.zeros(DType.FLOAT32, 1, c, 1, 1);
            for (int i = 0; i < c; i++) {
                double ki = gamma.getDouble(i) / Math.sqrt(var.getDouble(i) + eps);
                k.setDouble(i, ki);
                b.setDouble(i, beta.getDouble(i) - mean.getDouble(i) * ki);
            }
            String kn = g.freshName(bn.name() + "_scale");
            String bnn = g.freshName(bn.name() + "_shift");
            String mid = g.freshName(bn.name() + "_scaled");
            g.add(Value.constant(kn, k));
            g.add(Value.constant(bnn, b));
            g.add(new Value(mid, DType.FLOAT32, xs, null));
            int at = g.nodes().indexOf(bn);
            g.nodes().set(at, new Node(bn.name() + "_mul", "Mul", "", List.of(bn.input(0), kn), List.of(mid), Map.of()));
            g.nodes().add(at + 1, new Node(bn.name(), "Add", "", List.of(mid, bnn), List.of(bn.output(0)), Map.of()));
        }
    }

    private static void foldBatchNorm(Graph g) {
        for (Node bn : new ArrayList<>(g.nodes())) {
            if (!bn.opType().equals("BatchNormalization") || !bn.domain().isEmpty()) continue;
            Node conv = g.producer(bn.input(0));
            if (conv == null || !conv.opType().equals("Conv") || soleConsumer(g, conv.output(0)) != bn) continue;
            Tensor w = constant(g, conv.input(1));
            Tensor gamma = constant(g, bn.input(1));
            Tensor beta = constant(g, bn.input(2));
            Tensor mean = constant(g, bn.input(3));
            Tensor var = constant(g, bn.input(4));
            if (w == null || gamma == null || beta == null || mean == null || var == null) continue;
            if (bn.outputs().size() > 1 && bn.outputs().stream().skip(1).anyMatch(o -> !o.isEmpty())) continue;
            double eps = bn.attrFloat("epsilon", 1e-5f);
            int oc = w.dim(0);
            int per = w.size() / oc;
            Tensor b = conv.input(2).isEmpty() ? null : constant(g, conv.input(2));
            Tensor nw = Tensor.zeros(DType.FLOAT32, w.shape());
            Tensor nb = Tensor.zeros(DType.FLOAT32, oc);
            for (int c = 0; c < oc; c++) {
                double k = gamma.getDouble(c) / Math.sqrt(var.getDouble(c) + eps);
                for (int i = 0; i < per; i++) nw.setDouble(c * per + i, w.getDouble(c * per + i) * k);
                double bias = b == null ? 0 : b.getDouble(c);
                nb.setDouble(c, (bias - mean.getDouble(c)) * k + beta.getDouble(c));
            }
            String wName = g.freshName(conv.input(1) + "_bnfolded");
            String bName = g.freshName(conv.name() + "_bias_bnfolded");
            g.add(Value.constant(wName, nw));
            g.add(Value.constant(bName, nb));
            setInputs(conv, wName, bName);
            replaceOutput(g, conv, bn);
        }
    }

    private static void fuseBias(Graph g) {
        for (Node add : new ArrayList<>(g.nodes())) {
            if (!add.opType().equals("Add") || !add.domain().isEmpty()) continue;
            int ci = constant(g, add.input(1)) != null ? 1 : constant(g, add.input(0)) != null ? 0 : -1;
            if (ci < 0) continue;
            Node prod = g.producer(add.input(1 - ci));
            if (prod == null || soleConsumer(g, prod.output(0)) != add) continue;
            Tensor c = constant(g, add.input(ci));
            if (prod.opType().equals("Conv")) {
                int oc = g.value(prod.output(0)).shape()[1];
                if (!perChannel(c, oc, 4)) continue;
                Tensor old = prod.input(2).isEmpty() ? null : constant(g, prod.input(2));
                Tensor nb = Tensor.zeros(DType.FLOAT32, oc);
                for (int i = 0; i < oc; i++) nb.setDouble(i, (old == null ? 0f : old.getFloat(i)) + c.getFloat(i));
                String bName = g.freshName(prod.name() + "_bias");
                g.add(Value.constant(bName, nb));
                setInputs(prod, prod.input(1), bName);
                replaceOutput(g, prod, add);
            } else if (prod.opType().equals("MatMul") && constant(g, prod.input(1)) != null
                    && g.value(prod.input(0)).rank() == 2 && constant(g, prod.input(1)).rank() == 2) {
                int n = constant(g, prod.input(1)).dim(1);
                if (c.size() != n || (c.rank() == 2 && c.dim(0) != 1)) continue;
                String bName = g.freshName(prod.name() + "_bias");
                g.add(Value.constant(bName, c.reshape(n)));
                Node gemm = new Node(prod.name(), "Gemm", "", List.of(prod.input(0), prod.input(1), bName),
                        List.of(add.output(0)), Map.of());
                int at = g.nodes().indexOf(prod);
                g.nodes().set(at, gemm);
                g.nodes().remove(add);
            }
        }
    }

    private static void recognizeHardSwish(Graph g) {
        recognizeHardSwishChains(g);
        for (Node mul : new ArrayList<>(g.nodes())) {
            if (!mul.opType().equals("Mul") || !mul.domain().isEmpty() || mul.inputs().size() != 2) continue;
            for (int side = 0; side < 2; side++) {
                String x = mul.input(side);
                Node hs = g.producer(mul.input(1 - side));
                if (hs == null || !hs.opType().equals("HardSigmoid") || !hs.input(0).equals(x)) continue;
                if (Math.abs(hs.attrFloat("alpha", 0.2f) - 1f / 6) > 1e-6 || Math.abs(hs.attrFloat("beta", 0.5f) - 0.5f) > 1e-6) continue;
                if (g.consumers(hs.output(0)).size() != 1) continue;
                g.nodes().set(g.nodes().indexOf(mul), new Node(mul.name(), "HardSwish", "", List.of(x), mul.outputs(), Map.of()));
                g.nodes().remove(hs);
                break;
            }
        }
    }

    /**
     * {@code x · Clip(x + 3, 0, 6) / 6} as exporters write it: Div(Mul(x, C), 6), Mul(Mul(x, C), 1/6) or
     * Mul(x, Div(C, 6)), with C = Clip(Add(x, 3), 0, 6).
     */
    private static void recognizeHardSwishChains(Graph g) {
        for (Node outer : new ArrayList<>(g.nodes())) {
            if (!g.nodes().contains(outer) || !outer.domain().isEmpty()) continue;
            String op = outer.opType();
            if (!op.equals("Div") && !op.equals("Mul")) continue;
            for (int side = 0; side < 2; side++) {
                Node inner = g.producer(outer.input(side));
                Float k = scalar(g, outer.input(1 - side));
                if (inner == null || k == null) continue;
                boolean sixth = op.equals("Div") ? k == 6f : Math.abs(k - 1f / 6) < 1e-7;
                if (!sixth || !inner.opType().equals("Mul") || !single(g, inner, outer)) continue;
                for (int s2 = 0; s2 < 2; s2++) {
                    Node clip = g.producer(inner.input(s2));
                    String x = inner.input(1 - s2);
                    if (clip != null && isRelu6OfXPlus3(g, clip, x) && single(g, clip, inner)) {
                        Node add = g.producer(clip.input(0));
                        replaceChain(g, outer, x, List.of(inner, clip, add));
                        break;
                    }
                }
                break;
            }
            if (op.equals("Mul") && g.nodes().contains(outer)) {
                for (int side = 0; side < 2; side++) { // Mul(x, Div(Clip(x + 3), 6))
                    Node div = g.producer(outer.input(side));
                    String x = outer.input(1 - side);
                    if (div == null || !div.opType().equals("Div") || !single(g, div, outer)) continue;
                    Float k = scalar(g, div.input(1));
                    Node clip = g.producer(div.input(0));
                    if (k != null && k == 6f && clip != null && isRelu6OfXPlus3(g, clip, x) && single(g, clip, div)) {
                        replaceChain(g, outer, x, List.of(div, clip, g.producer(clip.input(0))));
                        break;
                    }
                }
            }
        }
    }

    private static boolean isRelu6OfXPlus3(Graph g, Node clip, String x) {
        if (!clip.opType().equals("Clip")) return false;
        Float lo = clip.inputs().size() > 1 && !clip.input(1).isEmpty() ? scalar(g, clip.input(1)) : (Float) clip.attrs().get("min");
        Float hi = clip.inputs().size() > 2 && !clip.input(2).isEmpty() ? scalar(g, clip.input(2)) : (Float) clip.attrs().get("max");
        if (lo == null || hi == null || lo != 0f || hi != 6f) return false;
        Node add = g.producer(clip.input(0));
        if (add == null || !add.opType().equals("Add") || !single(g, add, clip)) return false;
        for (int i = 0; i < 2; i++) {
            Float three = scalar(g, add.input(1 - i));
            if (add.input(i).equals(x) && three != null && three == 3f) return true;
        }
        return false;
    }

    private static void replaceChain(Graph g, Node outer, String x, List<Node> dead) {
        g.nodes().set(g.nodes().indexOf(outer), new Node(outer.name(), "HardSwish", "", List.of(x), outer.outputs(), Map.of()));
        g.nodes().removeAll(dead);
    }

    /** Whether {@code n}'s output is read only by {@code reader} (and is no graph output). */
    private static boolean single(Graph g, Node n, Node reader) {
        List<Node> c = g.consumers(n.output(0));
        return c.size() == 1 && c.get(0) == reader && !g.isOutput(n.output(0));
    }

    /** The value of a one-element float constant, or null. */
    private static Float scalar(Graph g, String name) {
        Tensor t = constant(g, name);
        return t != null && t.size() == 1 ? t.getFloat(0) : null;
    }

    /** Whether {@code c} holds one value per channel of a rank-{@code rank} NCHW tensor ([C,1,1], [1,C,1,1], [C]). */
    private static boolean perChannel(Tensor c, int channels, int rank) {
        if (c.size() != channels) return false;
        int[] s = c.shape();
        if (s.length > rank) return false;
        int chAxis = s.length - (rank - 1);
        for (int i = 0; i < s.length; i++) if (i != chAxis && s[i] != 1) return false;
        return chAxis >= 0 && s[chAxis] == channels;
    }

    private static Tensor constant(Graph g, String name) {
        if (name.isEmpty() || !g.hasValue(name)) return null;
        return g.value(name).constant();
    }

    private static void setInputs(Node conv, String w, String b) {
        List<String> ins = conv.inputs();
        ins.set(1, w);
        if (ins.size() > 2) ins.set(2, b);
        else ins.add(b);
    }

    /** {@code keep} takes over the output of {@code drop}, which leaves the graph. */
    private static void replaceOutput(Graph g, Node keep, Node drop) {
        String out = drop.output(0);
        keep.outputs().set(0, out);
        g.nodes().remove(drop);
    }
}
