package dev.cnnip.program;

import java.util.List;

/**
 * One layer of the compiled graph, as the debugger and reports name it.
 *
 * @param index   position in {@link Program#layers()}, {@code >= 0}
 * @param name    layer name, non-empty, one line
 * @param op      operation, e.g. {@code Conv}, {@code QLinearConv}, non-empty
 * @param nodes   names of the ONNX nodes fused into this layer
 * @param inputs  tensor names the layer reads
 * @param outputs tensor names the layer writes
 * @param macs    multiply-accumulates the layer performs, {@code >= 0}
 */
public record LayerInfo(int index, String name, String op, List<String> nodes, List<String> inputs,
                        List<String> outputs, long macs) {
    public LayerInfo {
        Checks.nonNegative(index, "layer index");
        Checks.name(name, "layer " + index + " name");
        Checks.name(op, "layer " + index + " op");
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Checks.nonNegative(macs, "layer '" + name + "' macs");
    }
}
