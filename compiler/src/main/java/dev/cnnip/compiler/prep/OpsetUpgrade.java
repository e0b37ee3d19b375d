package dev.cnnip.compiler.prep;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a graph from an older default-domain opset to opset 13 or later (needed for per-axis
 * DequantizeLinear): Clip's min/max attributes (before opset 11) and Squeeze/Unsqueeze's axes
 * attribute (before 13) become constant inputs; Softmax and Flatten-style axis semantics that changed
 * are checked.
 */
public final class OpsetUpgrade {
    private OpsetUpgrade() {}

    public static void run(Graph g, int target) {
        int from = g.opsets().getOrDefault("", 1);
        if (from >= target) return;
        for (Node n : new ArrayList<>(g.nodes())) {
            if (!n.domain().isEmpty()) continue;
            switch (n.opType()) {
                case "Clip" -> {
                    if (from < 11 && (n.has("min") || n.has("max"))) {
                        String min = constant(g, n.name() + "_min", n.attrFloat("min", -Float.MAX_VALUE));
                        String max = constant(g, n.name() + "_max", n.attrFloat("max", Float.MAX_VALUE));
                        replace(g, n, List.of(n.input(0), min, max));
                    }
                }
                case "Squeeze", "Unsqueeze" -> {
                    if (n.has("axes")) {
                        long[] axes = n.attrInts("axes", new long[0]);
                        String name = g.freshName(n.name() + "_axes");
                        g.add(Value.constant(name, Tensor.ofLongs(DType.INT64, new int[] {axes.length}, axes)));
                        Node m = new Node(n.name(), n.opType(), "", List.of(n.input(0), name), n.outputs(), java.util.Map.of());
                        g.nodes().set(g.nodes().indexOf(n), m);
                    }
                }
                case "Softmax", "LogSoftmax" -> {
                    int rank = g.value(n.input(0)).rank();
                    long axis = n.attrInt("axis", from < 13 ? 1 : -1);
                    if (axis < 0) axis += rank;
                    int[] shape = g.value(n.input(0)).shape();
                    long trailing = 1;
                    for (int i = (int) axis + 1; i < rank; i++) trailing *= shape[i];
                    // before opset 13 Softmax ran over the flattened axes [axis, rank); the same when the rest are 1
                    if (from < 13 && axis != rank - 1 && trailing != 1) {
                        throw new GraphException(n, "Softmax over axes " + axis + ".." + (rank - 1)
                                + " (opset " + from + " semantics) cannot be moved to opset " + target);
                    }
                    n.attrs().put("axis", axis);
                }
                case "Upsample" -> { // Upsample's index mapping is Resize's asymmetric one (nearest: floor)
                    String scales = n.inputs().size() > 1 ? n.input(1) : "";
                    if (scales.isEmpty()) {
                        float[] f = n.has("scales") ? floats(n.attrs().get("scales")) : null;
                        if (f == null) throw new GraphException(n, "Upsample without scales");
                        scales = g.freshName(n.name() + "_scales");
                        g.add(Value.constant(scales, Tensor.ofFloats(new int[] {f.length}, f)));
                    }
                    String mode = n.attrString("mode", "nearest");
                    java.util.Map<String, Object> attrs = new java.util.LinkedHashMap<>();
                    attrs.put("mode", mode);
                    attrs.put("coordinate_transformation_mode", "asymmetric");
                    if (mode.equals("nearest")) attrs.put("nearest_mode", "floor");
                    g.nodes().set(g.nodes().indexOf(n), new Node(n.name(), "Resize", "", List.of(n.input(0), "", scales),
                            n.outputs(), attrs));
                }
                default -> { }
            }
        }
        g.opsets().put("", target);
    }

    private static float[] floats(Object v) {
        if (v instanceof float[] f) return f;
        if (v instanceof List<?> l) {
            float[] f = new float[l.size()];
            for (int i = 0; i < f.length; i++) f[i] = ((Number) l.get(i)).floatValue();
            return f;
        }
        return null;
    }

    private static String constant(Graph g, String base, float v) {
        String name = g.freshName(base);
        g.add(Value.constant(name, Tensor.ofFloats(new int[0], v)));
        return name;
    }

    private static void replace(Graph g, Node n, List<String> inputs) {
        java.util.Map<String, Object> attrs = new java.util.LinkedHashMap<>(n.attrs());
        attrs.remove("min");
        attrs.remove("max");
        g.nodes().set(g.nodes().indexOf(n), new Node(n.name(), n.opType(), "", inputs, n.outputs(), attrs));
    }
}
