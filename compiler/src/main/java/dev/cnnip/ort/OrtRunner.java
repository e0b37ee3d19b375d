package dev.cnnip.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an ONNX model in ONNX Runtime (CPU) in this process, with {@link Tensor}s in and out.
 *
 * <p>Every ONNX Runtime failure becomes an unchecked {@link OrtBridgeException} with a one-line
 * message. Inputs are checked first against the session's declared inputs (names, element types,
 * types the Java API can create) so that those errors name the input. {@link #run} may be called
 * from several threads; {@link #close()} frees the native session.
 */
public final class OrtRunner implements AutoCloseable {
    private final String source;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<OrtTensorInfo> inputs;
    private final List<OrtTensorInfo> outputs;

    private OrtRunner(String source, OrtEnvironment env, OrtSession session, Map<String, Integer> declared)
            throws OrtException {
        this.source = source;
        this.env = env;
        this.session = session;
        this.inputs = describe(session.getInputInfo(), declared);
        this.outputs = describe(session.getOutputInfo(), declared);
    }

    /** A session for serialized model bytes. */
    public static OrtRunner create(byte[] modelBytes, OrtOptions opts) {
        return create(modelBytes, opts, "model");
    }

    /** A session for a model message (serialized once for ONNX Runtime). */
    public static OrtRunner create(ModelProto model, OrtOptions opts) {
        String name = model.getGraph().getName();
        return create(OnnxModels.toBytes(model), opts, name.isEmpty() ? "model" : "model '" + name + "'");
    }

    /** A session for a model file; errors name the file. */
    public static OrtRunner create(Path modelFile, OrtOptions opts) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw new OrtBridgeException(modelFile + ": cannot read: " + e);
        }
        return create(bytes, opts, modelFile.toString());
    }

    private static OrtRunner create(byte[] bytes, OrtOptions opts, String source) {
        OrtEnvironment env = OrtNative.environment();
        OrtSession session = null;
        try (SessionOptions so = opts.toSessionOptions()) {
            session = env.createSession(bytes, so);
            return new OrtRunner(source, env, session, declaredTypes(bytes));
        } catch (OrtException e) {
            closeQuietly(session);
            throw new OrtBridgeException(source + ": ONNX Runtime cannot load it", e);
        }
    }

    /** Graph input names in graph order (initializers excluded, as ONNX Runtime reports them). */
    public List<String> inputNames() {
        return inputs.stream().map(OrtTensorInfo::name).toList();
    }

    /** Graph output names in graph order. */
    public List<String> outputNames() {
        return outputs.stream().map(OrtTensorInfo::name).toList();
    }

    public List<OrtTensorInfo> inputInfo() {
        return inputs;
    }

    public List<OrtTensorInfo> outputInfo() {
        return outputs;
    }

    /** Runs the model; returns every graph output, in graph order. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, outputNames());
    }

    /**
     * Runs the model and returns the named outputs in the order asked.
     *
     * @throws OrtBridgeException for an unknown or missing input, an input of the wrong element
     *     type or of a type the Java API cannot create, an unknown output, or any ONNX Runtime error
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> outputNames) {
        checkInputs(feeds);
        for (String name : outputNames) {
            if (find(outputs, name).isEmpty()) {
                throw new OrtBridgeException(source + " has no output '" + name + "' (outputs: "
                        + String.join(", ", outputNames()) + ")");
            }
        }
        Map<String, OnnxTensor> ortInputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                ortInputs.put(e.getKey(), OrtTensors.toOrt(env, e.getKey(), e.getValue()));
            }
            try (OrtSession.Result result = session.run(ortInputs, new LinkedHashSet<>(outputNames))) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : outputNames) {
                    OnnxValue v = result.get(name).orElseThrow(() ->
                            new OrtBridgeException(source + ": ONNX Runtime returned no value for output '" + name + "'"));
                    out.put(name, OrtTensors.fromOrt(name, v));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new OrtBridgeException(source + ": ONNX Runtime run failed", e);
        } finally {
            ortInputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private void checkInputs(Map<String, Tensor> feeds) {
        for (String name : feeds.keySet()) {
            if (find(inputs, name).isEmpty()) {
                throw new OrtBridgeException(source + " has no input '" + name + "' (inputs: "
                        + String.join(", ", inputNames()) + ")");
            }
        }
        for (OrtTensorInfo in : inputs) {
            Tensor t = feeds.get(in.name());
            if (t == null) throw new OrtBridgeException(source + ": input '" + in.name() + "' is missing");
            if (in.dtype().isEmpty() || OrtTensors.creatableType(in.dtype().get()) == null) {
                throw new OrtBridgeException(source + ": input '" + in.name() + "' has type " + in.typeName()
                        + ", which the ONNX Runtime Java API cannot create");
            }
            if (in.elemType() != t.dtype().onnxCode()) {
                throw new OrtBridgeException(source + ": input '" + in.name() + "' must be " + in.typeName()
                        + ", got " + t.dtype().shortName());
            }
        }
    }

    private static Optional<OrtTensorInfo> find(List<OrtTensorInfo> infos, String name) {
        return infos.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * Session inputs or outputs as ORT describes them. The Java binding knows no int4, uint4, int2,
     * uint2, float4 or float8e8m0 and reports them as undefined; the type the graph declares then
     * stands in, so that errors can name it.
     */
    private static List<OrtTensorInfo> describe(Map<String, NodeInfo> infos, Map<String, Integer> declared) {
        List<OrtTensorInfo> out = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (n.getInfo() instanceof TensorInfo ti) {
                int code = OrtTensors.onnxCode(ti.onnxType);
                if (code == 0) code = declared.getOrDefault(n.getName(), 0);
                out.add(new OrtTensorInfo(n.getName(), code, Arrays.stream(ti.getShape()).boxed().toList()));
            } else {
                out.add(new OrtTensorInfo(n.getName(), 0, List.of()));
            }
        }
        return List.copyOf(out);
    }

    /** Element types of the graph's inputs and outputs, by name; empty if the bytes do not parse. */
    private static Map<String, Integer> declaredTypes(byte[] modelBytes) {
        Map<String, Integer> types = new HashMap<>();
        try {
            GraphProto g = ModelProto.parseFrom(modelBytes).getGraph();
            for (ValueInfoProto vi : g.getInputList()) types.put(vi.getName(), vi.getType().getTensorType().getElemType());
            for (ValueInfoProto vi : g.getOutputList()) types.put(vi.getName(), vi.getType().getTensorType().getElemType());
        } catch (InvalidProtocolBufferException e) {
            // ORT parsed the bytes, so this does not happen; without the map errors say "undefined".
        }
        return types;
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) return;
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing to recover: the native session is gone or was never usable.
        }
    }
}
