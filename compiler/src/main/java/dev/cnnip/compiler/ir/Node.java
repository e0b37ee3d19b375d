package dev.cnnip.compiler.ir;

import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator of the graph: ONNX op type and domain, input and output value names (an empty input
 * name is an omitted optional input) and attributes. Attribute values are {@code Long}, {@code long[]},
 * {@code Float}, {@code float[]}, {@code String} or {@link Tensor}.
 */
public final class Node {
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Object> attrs;

    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Object> attrs) {
        this.name = name;
        this.opType = opType;
        this.domain = domain == null || domain.equals("ai.onnx") ? "" : domain;
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.attrs = new LinkedHashMap<>(attrs);
    }

    public String name() { return name; }

    public String opType() { return opType; }

    /** Domain; "" for the default ONNX domain. */
    public String domain() { return domain; }

    public List<String> inputs() { return inputs; }

    public List<String> outputs() { return outputs; }

    /** Input {@code i}, or "" when absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public String output(int i) {
        return outputs.get(i);
    }

    public Map<String, Object> attrs() { return attrs; }

    public boolean has(String attr) { return attrs.containsKey(attr); }

    public long attrInt(String key, long dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof Long l) return l;
        throw new GraphException(this, "attribute " + key + " is not an integer");
    }

    public float attrFloat(String key, float dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof Float f) return f;
        if (v instanceof Long l) return l;
        throw new GraphException(this, "attribute " + key + " is not a float");
    }

    public long[] attrInts(String key, long[] dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof long[] a) return a.clone();
        throw new GraphException(this, "attribute " + key + " is not a list of integers");
    }

    public String attrString(String key, String dflt) {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) return s;
        throw new GraphException(this, "attribute " + key + " is not a string");
    }

    public Tensor attrTensor(String key) {
        Object v = attrs.get(key);
        if (v instanceof Tensor t) return t;
        return null;
    }

    /** "name (OpType)" for messages. */
    public String describe() {
        return "node '" + name + "' (" + (domain.isEmpty() ? "" : domain + ".") + opType + ")";
    }

    @Override
    public String toString() {
        return describe() + " " + inputs + " -> " + outputs;
    }
}
