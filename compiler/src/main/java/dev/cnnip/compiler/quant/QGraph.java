package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graph in the compiler's canonical quantized form (domain {@code cnnip}: Quantize, Dequantize,
 * QConv, QMatMul, QAdd, QMaxPool, QReshape) with the quantization parameters of its integer tensors.
 */
public record QGraph(Graph graph, Map<String, QParams> params) {
    public static final String DOMAIN = "cnnip";

    public QGraph(Graph graph) {
        this(graph, new LinkedHashMap<>());
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
