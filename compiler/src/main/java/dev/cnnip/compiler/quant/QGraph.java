package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.layer.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph in the compiler's canonical quantized form: the typed {@link Layer}s in execution order, the
 * graph that holds their tensors (shapes, constants, inputs and outputs; its nodes mirror the layers'
 * topology in domain {@code cnnip}), and the quantization parameters of its integer tensors.
 */
public record QGraph(Graph graph, Map<String, QParams> params, List<Layer> layers) {
    public static final String DOMAIN = Layer.DOMAIN;

    public QGraph(Graph graph) {
        this(graph, new LinkedHashMap<>(), new ArrayList<>());
    }

    /** Parameters of tensor {@code name}; throws naming it when unknown. */
    public QParams paramsOf(String name) {
        QParams p = params.get(name);
        if (p == null) throw new GraphException("tensor '" + name + "' has no quantization parameters");
        return p;
    }

    /** Records {@code p} for {@code name}; conflicting parameters from two places are an error. */
    public void record(String name, QParams p) {
        QParams prev = params.putIfAbsent(name, p);
        if (prev != null && !prev.sameAs(p)) {
            throw new GraphException("tensor '" + name + "' is given two different quantizations: " + prev + " and " + p);
        }
    }
}
