package dev.cnnip.e2e;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What ONNX Runtime made of a model: it writes its optimised graph (the reference session options, with
 * an optimised-model file), and this reads which node produces each tensor there. A layer output made by
 * a {@code QuantizeLinear} means ONNX Runtime computed that layer in float between DQ and Q (the group
 * was not fused); any other producer is an integer kernel (QLinearConv, QGemm, QLinearAdd, MaxPool on
 * integers, …) whose result the {@code ort} numerics reproduce bit for bit.
 */
final class OrtFusion {
    private final Map<String, NodeProto> producers;

    private OrtFusion(Map<String, NodeProto> producers) {
        this.producers = producers;
    }

    /** Optimises {@code model} (with {@code outputs} exposed, as the layer comparison runs it) in ONNX Runtime. */
    static OrtFusion of(ModelProto model, List<String> outputs) {
        List<String> graphOutputs = model.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
        Set<String> produced = new HashSet<>();
        model.getGraph().getNodeList().forEach(n -> produced.addAll(n.getOutputList()));
        ModelProto probe = OnnxModels.withExtraOutputs(model, outputs.stream()
                .filter(o -> produced.contains(o) && !graphOutputs.contains(o)).distinct().toList());
        try {
            Path file = Files.createTempFile("cnnip-ort-optimised-", ".onnx");
            try {
                OrtRunner.create(probe, OrtOptions.defaults().withOptimizedModelPath(file)).close(); // writes the file
                Map<String, NodeProto> p = new HashMap<>();
                for (NodeProto n : OnnxModels.load(file).getGraph().getNodeList()) {
                    for (String o : n.getOutputList()) p.put(o, n);
                }
                return new OrtFusion(p);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The producer of {@code tensor} in the optimised graph, as {@code domain:OpType} ({@code OpType} for ai.onnx), or "input". */
    String producer(String tensor) {
        NodeProto n = producers.get(tensor);
        if (n == null) return "input";
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
    }

    /**
     * Whether ONNX Runtime ran an integer kernel for the layer that writes {@code tensor}: its producer is
     * not a QuantizeLinear, or the layer itself is a QuantizeLinear (a Quantize layer).
     */
    boolean integerKernel(String layerOp, String tensor) {
        return layerOp.equals("Quantize") || !producer(tensor).equals("QuantizeLinear");
    }
}
