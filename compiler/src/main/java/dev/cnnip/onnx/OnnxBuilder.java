package dev.cnnip.onnx;

import com.google.protobuf.ByteString;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.AttributeProto.AttributeType;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.OperatorSetIdProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.TypeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds ONNX models in code (test fixtures, quantized models written by the compiler).
 *
 * <pre>{@code
 * ModelProto m = new OnnxBuilder("conv")
 *         .opset("", 13)
 *         .input("x", DType.FLOAT32, 1, 3, 32, 32)
 *         .initializer("w", w)
 *         .node("Conv", List.of("x", "w"), List.of("y"), n -> n.ints("pads", 1, 1, 1, 1).i("group", 1))
 *         .output("y", DType.FLOAT32, 1, 8, 32, 32)
 *         .build();
 * }</pre>
 *
 * <p>Nodes are kept in call order, which must be topological. A node without an explicit name is
 * called {@code <opType>_<k>}, k counting nodes of that op type from 0. A negative dimension in a
 * shape is an unknown dimension. The IR version follows the highest default-domain opset
 * ({@link #irVersionFor}) unless set with {@link #irVersion}. {@link #build()} checks that every
 * node input is defined before use and that every graph output is produced. The same calls give
 * the same serialized bytes.
 */
public final class OnnxBuilder {
    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> nodeCounters = new HashMap<>();
    private long irVersion = -1;
    private String producerName = "cnnip";
    private String producerVersion = "";
    private String docString = "";

    public OnnxBuilder(String graphName) {
        this.graphName = graphName;
        graph.setName(graphName);
    }

    /** Imports operator set {@code domain} ({@code ""} = ai.onnx) at {@code version}; later calls override. */
    public OnnxBuilder opset(String domain, long version) {
        opsets.put(OnnxModels.canonicalDomain(domain), version);
        return this;
    }

    /** Fixes the IR version instead of deriving it from the opsets. */
    public OnnxBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    public OnnxBuilder producer(String name, String version) {
        this.producerName = name;
        this.producerVersion = version;
        return this;
    }

    public OnnxBuilder doc(String doc) {
        this.docString = doc;
        return this;
    }

    /** A graph input of a tensor type; negative dimensions are unknown. */
    public OnnxBuilder input(String name, DType dtype, int... shape) {
        graph.addInput(tensorInfo(name, dtype, shape));
        return this;
    }

    /** A constant tensor (graph initializer). */
    public OnnxBuilder initializer(String name, Tensor value) {
        graph.addInitializer(TensorProtos.fromTensor(name, value));
        return this;
    }

    /** A node of the default domain without attributes. */
    public OnnxBuilder node(String opType, List<String> inputs, List<String> outputs) {
        return node(opType, inputs, outputs, n -> { });
    }

    /** A node; {@code spec} sets attributes and, if wanted, the node's name and domain. */
    public OnnxBuilder node(String opType, List<String> inputs, List<String> outputs, Consumer<Node> spec) {
        Node n = new Node(opType, inputs, outputs);
        spec.accept(n);
        if (n.node.getName().isEmpty()) {
            int k = nodeCounters.merge(opType, 1, Integer::sum) - 1;
            n.node.setName(opType + "_" + k);
        }
        graph.addNode(n.node);
        return this;
    }

    /** A graph output with a known shape (negative dimensions are unknown). */
    public OnnxBuilder output(String name, DType dtype, int... shape) {
        graph.addOutput(tensorInfo(name, dtype, shape));
        return this;
    }

    /** A graph output of a known element type and unknown shape (not even the rank is known). */
    public OnnxBuilder output(String name, DType dtype) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()))));
        return this;
    }

    /** Type and shape of an intermediate tensor ({@code graph.value_info}). */
    public OnnxBuilder valueInfo(String name, DType dtype, int... shape) {
        graph.addValueInfo(tensorInfo(name, dtype, shape));
        return this;
    }

    /**
     * The model.
     *
     * @throws IllegalStateException when no opset is imported, a node reads a tensor not defined
     *     before it, or an output is never produced
     */
    public ModelProto build() {
        if (opsets.isEmpty()) throw new IllegalStateException(graphName + ": no opset imported");
        checkDataflow();
        long ir = irVersion > 0 ? irVersion : irVersionFor(opsets.getOrDefault("", 0L));
        GraphProto.Builder g = graph.clone();
        if (ir < 4) {
            // Before IR 4 every initializer had to be listed among the graph inputs too.
            Set<String> inputs = new HashSet<>();
            g.getInputList().forEach(v -> inputs.add(v.getName()));
            g.getInitializerList().stream().filter(t -> !inputs.contains(t.getName()))
                    .forEach(t -> g.addInput(OnnxModels.typeOf(t)));
        }
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(ir)
                .setProducerName(producerName)
                .setGraph(g);
        if (!producerVersion.isEmpty()) m.setProducerVersion(producerVersion);
        if (!docString.isEmpty()) m.setDocString(docString);
        opsets.forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        return m.build();
    }

    /**
     * The IR version written for a default-domain opset: the one of the ONNX release that introduced
     * the opset (onnx.helper's VERSION_TABLE), except that opsets 13 and 14 get IR 8 (ONNX 1.10,
     * what current exporters write; every ONNX Runtime since 1.10 reads it) instead of 7. Opset 0
     * (only custom domains) gets 8, and opsets newer than 25 the latest known, 13.
     */
    public static long irVersionFor(long defaultOpset) {
        if (defaultOpset <= 0) return 8;
        if (defaultOpset <= 8) return 3;
        if (defaultOpset <= 12) return defaultOpset - 5; // 9→4, 10→5, 11→6, 12→7
        if (defaultOpset <= 18) return 8;
        if (defaultOpset <= 20) return 9;
        if (defaultOpset <= 22) return 10;
        if (defaultOpset == 23) return 11;
        if (defaultOpset == 24) return 12;
        return 13;
    }

    private void checkDataflow() {
        Set<String> defined = new HashSet<>();
        defined.add("");
        graph.getInputList().forEach(v -> defined.add(v.getName()));
        graph.getInitializerList().forEach(t -> defined.add(t.getName()));
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!defined.contains(in)) {
                    throw new IllegalStateException(graphName + ": " + Attributes.describe(n)
                            + " reads '" + in + "', which no input, initializer or earlier node defines");
                }
            }
            defined.addAll(n.getOutputList());
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            if (!defined.contains(out.getName())) {
                throw new IllegalStateException(graphName + ": output '" + out.getName() + "' is never produced");
            }
        }
    }

    private static ValueInfoProto tensorInfo(String name, DType dtype, int... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d >= 0) dim.setDimValue(d);
            s.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(s))).build();
    }

    /** Attributes, name and domain of one node, set inside {@link OnnxBuilder#node}. */
    public static final class Node {
        private final NodeProto.Builder node;

        Node(String opType, List<String> inputs, List<String> outputs) {
            node = NodeProto.newBuilder().setOpType(opType).addAllInput(inputs).addAllOutput(outputs);
        }

        public Node name(String name) {
            node.setName(name);
            return this;
        }

        /** The operator set domain, e.g. {@code com.microsoft}; default: ai.onnx. */
        public Node domain(String domain) {
            node.setDomain(OnnxModels.canonicalDomain(domain));
            return this;
        }

        public Node i(String name, long value) {
            return add(attr(name, AttributeType.INT).setI(value));
        }

        public Node ints(String name, long... values) {
            AttributeProto.Builder a = attr(name, AttributeType.INTS);
            for (long v : values) a.addInts(v);
            return add(a);
        }

        public Node f(String name, float value) {
            return add(attr(name, AttributeType.FLOAT).setF(value));
        }

        public Node floats(String name, float... values) {
            AttributeProto.Builder a = attr(name, AttributeType.FLOATS);
            for (float v : values) a.addFloats(v);
            return add(a);
        }

        public Node s(String name, String value) {
            return add(attr(name, AttributeType.STRING).setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
        }

        public Node strings(String name, String... values) {
            AttributeProto.Builder a = attr(name, AttributeType.STRINGS);
            for (String v : values) a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
            return add(a);
        }

        /** A TENSOR attribute (e.g. Constant's {@code value}); the tensor proto is named after the attribute. */
        public Node t(String name, Tensor value) {
            return add(attr(name, AttributeType.TENSOR).setT(TensorProtos.fromTensor(name, value)));
        }

        private static AttributeProto.Builder attr(String name, AttributeType type) {
            return AttributeProto.newBuilder().setName(name).setType(type);
        }

        private Node add(AttributeProto.Builder a) {
            for (AttributeProto existing : node.getAttributeList()) {
                if (existing.getName().equals(a.getName())) {
                    throw new IllegalStateException(Attributes.describe(node.build()) + ": attribute '"
                            + a.getName() + "' set twice");
                }
            }
            node.addAttribute(a);
            return this;
        }
    }
}
