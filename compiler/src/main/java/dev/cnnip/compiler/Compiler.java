package dev.cnnip.compiler;

import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.lower.LayerBuilder;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Compiles a pre-quantized ONNX model (QOperator or QDQ form) to a program for the accelerator. */
public final class Compiler {
    /** Version written into programs and vector manifests. */
    public static final String TOOL_VERSION = "cnnip 0.1.0";

    private Compiler() {}

    /** Compiles {@code model}; errors are {@code GraphException}/{@code BackendException} naming the node or layer. */
    public static Program compile(ModelProto model, String modelName, CompileOptions opts) {
        Graph g = GraphImporter.importModel(freeze(model, opts.frozenInputs()), opts.inputShapes());
        Canonicalizer.Analysis a = Canonicalizer.analyze(g);
        if (!a.problems().isEmpty()) { // also the converted layers that would fail in lowering: every problem at once
            java.util.List<dev.cnnip.compiler.quant.UnsupportedNodesException.Problem> all = new java.util.ArrayList<>(a.problems());
            all.addAll(LayerBuilder.checkConverted(a.partial(), new ProgramBuilder(opts.hw(), opts.numerics(), TOOL_VERSION)));
            throw new dev.cnnip.compiler.quant.UnsupportedNodesException(all);
        }
        QGraph qg = a.graph();
        ProgramBuilder pb = new ProgramBuilder(opts.hw(), opts.numerics(), TOOL_VERSION).residency(opts.sramResidency())
                .keepInDram(opts.keepInDram());
        return LayerBuilder.build(qg, pb, modelName, sha256(OnnxModels.toBytes(model)));
    }

    /** The canonical quantized graph of a model (for inspection and tests). */
    public static QGraph canonicalize(ModelProto model, CompileOptions opts) {
        return Canonicalizer.run(GraphImporter.importModel(freeze(model, opts.frozenInputs()), opts.inputShapes()));
    }

    private static ModelProto freeze(ModelProto model, Map<String, Tensor> frozen) {
        if (frozen.isEmpty()) return model;
        ModelProto.Builder mb = model.toBuilder();
        var gb = mb.getGraphBuilder();
        for (Map.Entry<String, Tensor> e : frozen.entrySet()) {
            gb.addInitializer(dev.cnnip.onnx.TensorProtos.fromTensor(e.getKey(), e.getValue()));
        }
        for (int i = gb.getInputCount() - 1; i >= 0; i--) {
            if (frozen.containsKey(gb.getInput(i).getName())) gb.removeInput(i);
        }
        return mb.build();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
