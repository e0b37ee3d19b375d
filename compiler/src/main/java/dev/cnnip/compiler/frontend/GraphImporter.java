package dev.cnnip.compiler.frontend;

import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.onnx.Attributes;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.OperatorSetIdProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the compiler's {@link Graph} from an ONNX model: initializers and {@code Constant} nodes
 * become constants, graph inputs take their declared types (symbolic dimensions from
 * {@code inputShapes}, else 1 for a leading batch dimension), then shapes are inferred.
 */
public final class GraphImporter {
    private GraphImporter() {}

    /**
     * @param inputShapes shapes for graph inputs with symbolic or missing dimensions (may be empty)
     */
    public static Graph importModel(ModelProto model, Map<String, int[]> inputShapes) {
        GraphProto gp = model.getGraph();
        Graph g = new Graph(gp.getName().isEmpty() ? "model" : gp.getName());
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String d = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            g.opsets().put(d, (int) o.getVersion());
        }
        Set<String> initNames = new HashSet<>();
        for (TensorProto t : gp.getInitializerList()) {
            g.add(Value.constant(t.getName(), TensorProtos.toTensor(t)));
            initNames.add(t.getName());
        }
        Map<String, ValueInfoProto> infos = new HashMap<>();
        for (ValueInfoProto vi : gp.getValueInfoList()) infos.put(vi.getName(), vi);
        for (ValueInfoProto vi : gp.getOutputList()) infos.put(vi.getName(), vi);
        for (ValueInfoProto vi : gp.getInputList()) {
            if (initNames.contains(vi.getName())) continue;
            int[] override = inputShapes.get(vi.getName());
            DType dt = elemType(vi, "graph input '" + vi.getName() + "'");
            int[] shape = override != null ? override.clone() : inputShape(vi);
            g.add(new Value(vi.getName(), dt, shape, null));
            g.inputs().add(vi.getName());
        }
        for (String name : inputShapes.keySet()) {
            if (!g.inputs().contains(name)) {
                throw new GraphException("--input-shape names '" + name + "', which is not a graph input (inputs: "
                        + String.join(", ", g.inputs()) + ")");
            }
        }
        List<String> names = nodeNames(gp);
        int counter = 0;
        for (NodeProto np : gp.getNodeList()) {
            String name = names.get(counter++);
            if (np.getOpType().equals("Constant") && np.getDomain().isEmpty()) {
                g.add(Value.constant(np.getOutput(0), constantValue(np, name)));
                continue;
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (AttributeProto a : np.getAttributeList()) attrs.put(a.getName(), attrValue(np, a));
            Node n = new Node(name, np.getOpType(), np.getDomain(), np.getInputList(), np.getOutputList(), attrs);
            g.nodes().add(n);
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) continue;
                ValueInfoProto vi = infos.get(out);
                DType dt = vi != null && vi.getType().hasTensorType() ? TensorProtos.dtype(vi.getType().getTensorType().getElemType()).orElse(null) : null;
                g.add(new Value(out, dt, null, null));
            }
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            if (!g.hasValue(vi.getName())) throw new GraphException("graph output '" + vi.getName() + "' is produced by no node");
            g.outputs().add(vi.getName());
        }
        checkTopological(g);
        ShapeInference.run(g);
        return g;
    }

    /** The compiler's name of each ONNX node, in order: its own, else {@code OpType_index}; repeated names get {@code _index}. */
    public static List<String> nodeNames(GraphProto gp) {
        List<String> out = new java.util.ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int counter = 0;
        for (NodeProto np : gp.getNodeList()) {
            String name = np.getName().isEmpty() ? np.getOpType() + "_" + counter : np.getName();
            if (seen.merge(name, 1, Integer::sum) > 1) name = name + "_" + counter;
            counter++;
            out.add(name);
        }
        return out;
    }

    private static DType elemType(ValueInfoProto vi, String what) {
        if (!vi.hasType() || !vi.getType().hasTensorType()) throw new GraphException(what + " is not a tensor");
        int code = vi.getType().getTensorType().getElemType();
        return TensorProtos.dtype(code).orElseThrow(() -> new GraphException(what + " has unsupported element type "
                + TensorProtos.typeName(code)));
    }

    private static int[] inputShape(ValueInfoProto vi) {
        TensorShapeProto sp = vi.getType().getTensorType().getShape();
        int[] shape = new int[sp.getDimCount()];
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = sp.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                shape[i] = (int) d.getDimValue();
            } else if (i == 0) {
                shape[i] = 1; // a symbolic batch dimension: one item unless --input-shape says otherwise
            } else {
                throw new GraphException("graph input '" + vi.getName() + "' has a symbolic dimension "
                        + (d.hasDimParam() ? "'" + d.getDimParam() + "' " : "") + "at axis " + i
                        + "; give its shape with --input-shape " + vi.getName() + "=…");
            }
        }
        return shape;
    }

    private static Tensor constantValue(NodeProto np, String name) {
        for (AttributeProto a : np.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return TensorProtos.toTensor(a.getT());
                case "value_float":
                    return Tensor.ofFloats(new int[0], a.getF());
                case "value_floats": {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                    return Tensor.ofFloats(new int[] {f.length}, f);
                }
                case "value_int":
                    return Tensor.ofLongs(DType.INT64, new int[0], a.getI());
                case "value_ints": {
                    long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    return Tensor.ofLongs(DType.INT64, new int[] {v.length}, v);
                }
                default:
                    break;
            }
        }
        throw new GraphException("node '" + name + "' (Constant) has no supported value attribute");
    }

    private static Object attrValue(NodeProto np, AttributeProto a) {
        return switch (Attributes.kindOf(a)) {
            case INT -> a.getI();
            case FLOAT -> a.getF();
            case STRING -> a.getS().toStringUtf8();
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                yield f;
            }
            case TENSOR -> TensorProtos.toTensor(a.getT());
            default -> a.getName(); // graphs and other kinds are kept by name only; ops that need them reject the node
        };
    }

    /** Node inputs must be produced earlier (ONNX requires topological order). */
    private static void checkTopological(Graph g) {
        Set<String> avail = new HashSet<>(g.inputs());
        for (Value v : g.values().values()) if (v.isConstant()) avail.add(v.name());
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !avail.contains(in)) {
                    throw new GraphException(n, "input '" + in + "' is not produced before this node"
                            + (g.hasValue(in) ? " (graph not in topological order)" : " (undefined tensor)"));
                }
            }
            avail.addAll(n.outputs());
        }
    }

    static String shapeText(int[] s) {
        return s == null ? "[?]" : Arrays.toString(s);
    }

    static List<String> nonEmpty(List<String> l) {
        return l.stream().filter(s -> !s.isEmpty()).toList();
    }
}
