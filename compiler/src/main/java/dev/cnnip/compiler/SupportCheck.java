package dev.cnnip.compiler;

import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.lower.LayerBuilder;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.UnsupportedNodesException;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compile --check}: whether each ONNX node of a quantized model compiles, with the layer it becomes or
 * the reason it does not, for every node at once. Canonicalization collects every failing node; when all
 * convert, every layer is lowered and each one that fails marks the ONNX nodes of its layer. No program is
 * written.
 */
public final class SupportCheck {
    /** One ONNX node: name (the compiler's, see {@link GraphImporter#nodeNames}), op type with domain, verdict. */
    public record NodeVerdict(String node, String opType, boolean supported, String detail) {}

    private SupportCheck() {}

    public static List<NodeVerdict> check(ModelProto model, CompileOptions opts) {
        Graph g = GraphImporter.importModel(model, opts.inputShapes());
        Canonicalizer.Analysis a = Canonicalizer.analyze(g);
        Map<String, String> unsupported = new HashMap<>();
        for (UnsupportedNodesException.Problem p : a.problems()) unsupported.put(p.node(), p.reason());
        Map<String, Layer> layerOf = new HashMap<>();
        for (Layer l : a.layers()) for (String n : l.onnxNodes()) layerOf.put(n, l);
        { // every layer that cannot be lowered marks the ONNX nodes it stands for (with failing nodes: those it can try)
            Map<String, Layer> byName = new HashMap<>();
            for (Layer l : a.partial().layers()) byName.put(l.name(), l);
            ProgramBuilder pb = new ProgramBuilder(opts.hw(), opts.numerics(), Compiler.TOOL_VERSION);
            List<UnsupportedNodesException.Problem> lowering = a.graph() != null ? LayerBuilder.check(a.graph(), pb)
                    : LayerBuilder.checkConverted(a.partial(), pb);
            for (UnsupportedNodesException.Problem p : lowering) {
                Layer bad = byName.get(p.node());
                for (String n : bad.onnxNodes()) unsupported.put(n, "lowering " + bad.kind() + ": " + p.reason());
            }
        }
        List<NodeVerdict> out = new ArrayList<>();
        List<String> names = GraphImporter.nodeNames(model.getGraph());
        for (int i = 0; i < names.size(); i++) {
            NodeProto np = model.getGraph().getNode(i);
            String op = np.getDomain().isEmpty() ? np.getOpType() : np.getDomain() + "." + np.getOpType();
            String name = names.get(i);
            if (unsupported.containsKey(name)) {
                out.add(new NodeVerdict(name, op, false, unsupported.get(name)));
            } else if (layerOf.containsKey(name)) {
                Layer l = layerOf.get(name);
                out.add(new NodeVerdict(name, op, true, Layer.DOMAIN + "." + l.kind() + " '" + l.name() + "'"));
            } else {
                Layer reader = readerLayer(model, np, names, layerOf);
                out.add(new NodeVerdict(name, op, true, reader != null
                        ? "part of " + Layer.DOMAIN + "." + reader.kind() + " '" + reader.name() + "' (its input's dequantization)"
                        : "folded at compile time (constant, or weight/bias dequantization)"));
            }
        }
        return out;
    }

    /** The layer of a node reading a DequantizeLinear's output (the group that absorbed it), or null. */
    private static Layer readerLayer(ModelProto model, NodeProto dq, List<String> names, Map<String, Layer> layerOf) {
        if (!dq.getDomain().isEmpty() || !dq.getOpType().equals("DequantizeLinear")) return null;
        String t = dq.getOutput(0);
        for (int i = 0; i < names.size(); i++) {
            if (model.getGraph().getNode(i).getInputList().contains(t) && layerOf.containsKey(names.get(i))) {
                return layerOf.get(names.get(i));
            }
        }
        return null;
    }
}
