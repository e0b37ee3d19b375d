package dev.cnnip.compiler.frontend;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.OperatorSetIdProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.TypeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Graph} back to an ONNX model: graph inputs and outputs with their types and shapes,
 * every constant a node reads as an initializer, nodes with their attributes. Deterministic: the same
 * graph gives the same bytes.
 */
public final class GraphExporter {
    private GraphExporter() {}

    /**
     * @param irVersion ONNX IR version to declare
     * @param opsets    opset per domain ("" for the default domain)
     */
    public static ModelProto export(Graph g, long irVersion, Map<String, Integer> opsets, String producer) {
        GraphProto.Builder gb = GraphProto.newBuilder().setName(g.name());
        for (String in : g.inputs()) gb.addInput(valueInfo(g.value(in)));
        for (String out : g.outputs()) gb.addOutput(valueInfo(g.value(out)));
        Set<String> consts = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) if (!in.isEmpty() && g.value(in).isConstant()) consts.add(in);
        }
        for (String out : g.outputs()) if (g.value(out).isConstant()) consts.add(out);
        for (String c : consts) gb.addInitializer(TensorProtos.fromTensor(c, g.value(c).constant()));
        for (Node n : g.nodes()) gb.addNode(node(n));
        ModelProto.Builder mb = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producer).setGraph(gb);
        for (Map.Entry<String, Integer> e : opsets.entrySet()) {
            mb.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        return mb.build();
    }

    private static ValueInfoProto valueInfo(Value v) {
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode());
        if (v.hasShape()) {
            TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
            for (int d : v.shape()) sb.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            tt.setShape(sb);
        }
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    private static NodeProto node(Node n) {
        NodeProto.Builder nb = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType()).addAllInput(n.inputs())
                .addAllOutput(n.outputs());
        if (!n.domain().isEmpty()) nb.setDomain(n.domain());
        for (Map.Entry<String, Object> a : n.attrs().entrySet()) nb.addAttribute(attribute(n, a.getKey(), a.getValue()));
        return nb.build();
    }

    private static AttributeProto attribute(Node n, String name, Object v) {
        AttributeProto.Builder ab = AttributeProto.newBuilder().setName(name);
        if (v instanceof Long l) {
            ab.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (v instanceof Float f) {
            ab.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof String s) {
            ab.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] a) {
            ab.setType(AttributeProto.AttributeType.INTS);
            for (long x : a) ab.addInts(x);
        } else if (v instanceof float[] a) {
            ab.setType(AttributeProto.AttributeType.FLOATS);
            for (float x : a) ab.addFloats(x);
        } else if (v instanceof Tensor t) {
            ab.setType(AttributeProto.AttributeType.TENSOR).setT(TensorProtos.fromTensor(name, t));
        } else {
            throw new GraphException(n, "attribute " + name + " cannot be exported");
        }
        return ab.build();
    }
}
