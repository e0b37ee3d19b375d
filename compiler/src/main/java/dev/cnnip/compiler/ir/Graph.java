package dev.cnnip.compiler.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataflow graph: values by name, nodes in topological order, and the graph's inputs and outputs
 * (value names, in order). Passes rewrite it in place.
 */
public final class Graph {
    private final String name;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, Integer> opsets = new LinkedHashMap<>();

    public Graph(String name) {
        this.name = name;
    }

    public String name() { return name; }

    public Map<String, Integer> opsets() { return opsets; }

    public List<Node> nodes() { return nodes; }

    public List<String> inputs() { return inputs; }

    public List<String> outputs() { return outputs; }

    public Map<String, Value> values() { return values; }

    /** The value named {@code n}; throws naming it when unknown. */
    public Value value(String n) {
        Value v = values.get(n);
        if (v == null) throw new GraphException("tensor '" + n + "' is not defined");
        return v;
    }

    public boolean hasValue(String n) {
        return values.containsKey(n);
    }

    public Value add(Value v) {
        values.put(v.name(), v);
        return v;
    }

    /** The node producing {@code valueName}, or null for inputs and constants. */
    public Node producer(String valueName) {
        for (Node n : nodes) if (n.outputs().contains(valueName)) return n;
        return null;
    }

    /** Nodes reading {@code valueName}, in graph order. */
    public List<Node> consumers(String valueName) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) if (n.inputs().contains(valueName)) out.add(n);
        return out;
    }

    /** Map from value name to its consumers, for passes that query many. */
    public Map<String, List<Node>> consumerIndex() {
        Map<String, List<Node>> m = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) m.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        return m;
    }

    /** Whether the value is a graph output. */
    public boolean isOutput(String valueName) {
        return outputs.contains(valueName);
    }

    /** A fresh value name starting with {@code base}. */
    public String freshName(String base) {
        if (!values.containsKey(base)) return base;
        for (int i = 1; ; i++) {
            String n = base + "_" + i;
            if (!values.containsKey(n)) return n;
        }
    }

    /** Removes values no node, input or output refers to (constants left by folding). */
    public void pruneUnusedValues() {
        java.util.Set<String> used = new java.util.HashSet<>(inputs);
        used.addAll(outputs);
        for (Node n : nodes) {
            used.addAll(n.inputs());
            used.addAll(n.outputs());
        }
        values.keySet().retainAll(used);
    }
}
