package dev.cnnip.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.OperatorSetIdProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.TypeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Loading, saving and light editing of ONNX model files.
 *
 * <p>Parsing keeps fields this schema subset does not declare (protobuf unknown fields), so a model
 * loaded and saved again keeps them. Every failure is an {@link OnnxException} whose one-line
 * message starts with the file name.
 */
public final class OnnxModels {
    /** The ONNX default operator set domain; {@code "ai.onnx"} is an alias of it. */
    public static final String DEFAULT_DOMAIN = "";

    private OnnxModels() {}

    /**
     * Reads a model file. Rejects files that are not protobuf, are truncated, or hold no graph or
     * no IR version (which every ONNX model must have), with a message like
     * {@code "model.onnx: not a valid ONNX model: <reason>"}.
     */
    public static ModelProto load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OnnxException(file + ": no such file", e);
        } catch (IOException e) {
            throw new OnnxException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses model bytes; {@code source} names them in error messages (a file name, say). */
    public static ModelProto parse(byte[] bytes, String source) {
        String prefix = source + ": not a valid ONNX model: ";
        if (bytes.length == 0) throw new OnnxException(prefix + "the file is empty");
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(prefix + e.getMessage(), e);
        }
        if (!model.hasGraph()) throw new OnnxException(prefix + "it has no graph");
        if (model.getIrVersion() <= 0) throw new OnnxException(prefix + "it has no IR version");
        return model;
    }

    /** The serialized model (deterministic: the same message gives the same bytes). */
    public static byte[] toBytes(ModelProto model) {
        return model.toByteArray();
    }

    /** Writes the model atomically (a temporary sibling file, then a rename). */
    public static void save(Path file, ModelProto model) {
        try {
            AtomicFiles.write(file, toBytes(model));
        } catch (IOException e) {
            // AtomicFiles' errors already read "FILE: cannot write (why)"
            throw new OnnxException(e instanceof java.nio.file.FileSystemException ? e.getMessage()
                    : file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * The version of the operator set {@code domain} the model imports; {@code ""} and
     * {@code "ai.onnx"} both name the default domain. Empty when the model does not import it.
     */
    public static OptionalLong opsetVersion(ModelProto model, String domain) {
        String want = canonicalDomain(domain);
        for (OperatorSetIdProto op : model.getOpsetImportList()) {
            if (canonicalDomain(op.getDomain()).equals(want)) return OptionalLong.of(op.getVersion());
        }
        return OptionalLong.empty();
    }

    /**
     * A copy of the model whose graph also outputs the named tensors (probe points), appended after
     * the existing outputs in the given order; names already among the outputs are skipped.
     *
     * <p>Each appended output carries the tensor's type when the graph tells it: a
     * {@code value_info}, graph input or initializer of that name. Otherwise the output has a name
     * and no type at all; ONNX Runtime 1.24.1 accepts such outputs and fills in the type from its
     * own shape inference (checked by the tests). An output with only an element type and no shape
     * would work as well, but the element type is exactly what is unknown here.
     *
     * @throws OnnxException when a name is neither a graph input, an initializer nor the output of a
     *     node of the main graph (tensors inside subgraphs cannot be graph outputs)
     */
    public static ModelProto withExtraOutputs(ModelProto model, Collection<String> tensorNames) {
        GraphProto graph = model.getGraph();
        Map<String, ValueInfoProto> known = new HashMap<>();
        for (TensorProto init : graph.getInitializerList()) known.put(init.getName(), typeOf(init));
        for (ValueInfoProto vi : graph.getInputList()) known.put(vi.getName(), vi);
        for (ValueInfoProto vi : graph.getValueInfoList()) known.put(vi.getName(), vi);
        Set<String> produced = new HashSet<>(known.keySet());
        for (NodeProto n : graph.getNodeList()) produced.addAll(n.getOutputList());
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto vi : graph.getOutputList()) outputs.add(vi.getName());

        GraphProto.Builder g = graph.toBuilder();
        for (String name : tensorNames) {
            if (!outputs.add(name)) continue;
            if (name.isEmpty() || !produced.contains(name)) {
                throw new OnnxException("graph '" + graph.getName() + "' has no tensor named '" + name
                        + "' to expose as an output");
            }
            ValueInfoProto vi = known.get(name);
            g.addOutput(vi != null && vi.hasType() ? vi.toBuilder().clearDocString()
                    : ValueInfoProto.newBuilder().setName(name));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The value info (name, element type, shape) describing an initializer. */
    static ValueInfoProto typeOf(TensorProto init) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : init.getDimsList()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto.Tensor tt = TypeProto.Tensor.newBuilder().setElemType(init.getDataType()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(init.getName())
                .setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    static String canonicalDomain(String domain) {
        return domain.equals("ai.onnx") ? DEFAULT_DOMAIN : domain;
    }
}
