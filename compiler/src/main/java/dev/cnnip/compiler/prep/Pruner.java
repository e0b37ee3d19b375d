package dev.cnnip.compiler.prep;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Magnitude pruning of the weights of Conv, Gemm and MatMul layers before quantization.
 * <ul>
 * <li>{@code UNSTRUCTURED}: per layer, the {@code ⌊s · n⌋} weights of smallest magnitude become 0
 *     (ties broken by position, so the result is deterministic);</li>
 * <li>{@code BLOCKS}: weights are grouped as the MAC array consumes them — per kernel tap, blocks of
 *     {@code blockOut} output channels × {@code blockIn} input channels — and the {@code ⌊s · blocks⌋}
 *     blocks of smallest L1 norm become 0, so that whole array passes can be skipped.</li>
 * </ul>
 * The sparsity per layer is the global value unless the layer (node name or output tensor name) has
 * its own.
 */
public final class Pruner {
    public enum Mode { UNSTRUCTURED, BLOCKS }

    /**
     * @param global   sparsity for every weighted layer, 0 (none) to below 1
     * @param perLayer sparsity of named layers
     */
    public record Spec(double global, Map<String, Double> perLayer, Mode mode, int blockOut, int blockIn) {
        public Spec {
            perLayer = Map.copyOf(perLayer);
            check(global, "global");
            perLayer.forEach((k, v) -> check(v, k));
            if (blockOut < 1 || blockIn < 1) throw new IllegalArgumentException("pruning blocks must be at least 1x1");
        }

        private static void check(double s, String what) {
            if (!(s >= 0 && s < 1)) throw new IllegalArgumentException("sparsity of " + what + " must be in [0, 1), not " + s);
        }

        public static Spec none() {
            return new Spec(0, Map.of(), Mode.UNSTRUCTURED, 1, 1);
        }

        public boolean active() {
            return global > 0 || perLayer.values().stream().anyMatch(v -> v > 0);
        }
    }

    private Pruner() {}

    /** Prunes in place; returns the sparsity reached per pruned layer (fraction of zero weights). */
    public static Map<String, Double> run(Graph g, Spec spec) {
        Map<String, Double> reached = new LinkedHashMap<>();
        Set<String> matched = new HashSet<>();
        for (Node n : g.nodes()) {
            if (!n.domain().isEmpty()) continue;
            String op = n.opType();
            if (!op.equals("Conv") && !op.equals("Gemm") && !op.equals("MatMul")) continue;
            Value wv = g.value(n.input(1));
            if (!wv.isConstant()) continue;
            double s = spec.global();
            for (String key : new String[] {n.name(), n.output(0)}) {
                if (spec.perLayer().containsKey(key)) {
                    s = spec.perLayer().get(key);
                    matched.add(key);
                }
            }
            if (s <= 0) continue;
            Tensor w = wv.constant().copy();
            View v = View.of(n, w);
            if (spec.mode() == Mode.UNSTRUCTURED) unstructured(w, s);
            else blocks(w, v, s, spec.blockOut(), spec.blockIn());
            String name = g.freshName(n.input(1) + "_pruned");
            g.add(Value.constant(name, w));
            n.inputs().set(1, name);
            long zeros = IntStream.range(0, w.size()).filter(i -> w.getFloat(i) == 0f).count();
            reached.put(n.name(), (double) zeros / w.size());
        }
        for (String k : spec.perLayer().keySet()) {
            if (!matched.contains(k)) throw new GraphException("--prune names '" + k + "', which is no Conv, Gemm or MatMul layer");
        }
        g.pruneUnusedValues();
        return reached;
    }

    private static void unstructured(Tensor w, double s) {
        int k = (int) Math.floor(s * w.size());
        Integer[] idx = new Integer[w.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> Math.abs(w.getFloat(i))).thenComparingInt(i -> i));
        for (int i = 0; i < k; i++) w.setDouble(idx[i], 0);
    }

    /** The weights as [out][in][taps] with strides, whatever the operator's layout. */
    private record View(int out, int in, int taps, int outStride, int inStride, int tapStride) {
        static View of(Node n, Tensor w) {
            int[] s = w.shape();
            if (n.opType().equals("Conv")) {
                int taps = s[2] * s[3];
                return new View(s[0], s[1], taps, s[1] * taps, taps, 1);
            }
            boolean transB = n.opType().equals("Gemm") && n.attrInt("transB", 0) != 0;
            if (s.length != 2) throw new GraphException(n, "only 2-D weights can be pruned");
            return transB ? new View(s[0], s[1], 1, s[1], 1, 1) : new View(s[1], s[0], 1, 1, s[1], 1);
        }

        int index(int o, int i, int t) {
            return o * outStride + i * inStride + t * tapStride;
        }
    }

    private static void blocks(Tensor w, View v, double s, int bo, int bi) {
        int nbo = (v.out() + bo - 1) / bo;
        int nbi = (v.in() + bi - 1) / bi;
        int count = nbo * nbi * v.taps();
        double[] norm = new double[count];
        for (int o = 0; o < v.out(); o++) {
            for (int i = 0; i < v.in(); i++) {
                for (int t = 0; t < v.taps(); t++) {
                    norm[((o / bo) * nbi + i / bi) * v.taps() + t] += Math.abs(w.getFloat(v.index(o, i, t)));
                }
            }
        }
        int k = (int) Math.floor(s * count);
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> norm[i]).thenComparingInt(i -> i));
        boolean[] drop = new boolean[count];
        for (int i = 0; i < k; i++) drop[idx[i]] = true;
        for (int o = 0; o < v.out(); o++) {
            for (int i = 0; i < v.in(); i++) {
                for (int t = 0; t < v.taps(); t++) {
                    if (drop[((o / bo) * nbi + i / bi) * v.taps() + t]) w.setDouble(v.index(o, i, t), 0);
                }
            }
        }
    }
}
