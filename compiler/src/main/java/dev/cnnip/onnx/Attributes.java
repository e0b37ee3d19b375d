package dev.cnnip.onnx;

import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.AttributeProto.AttributeType;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Typed access to the attributes of a {@link NodeProto}.
 *
 * <p>Getters with a default return it when the attribute is absent; getters without one require
 * the attribute. An attribute of the wrong kind, or a missing required one, gives an
 * {@link OnnxException} naming the node (its name, or its op type when unnamed) and the attribute.
 * Attributes written before IR version 2, which lack the {@code type} field, are recognised by the
 * value field that is set.
 */
public final class Attributes {
    private Attributes() {}

    /** The attribute called {@code name}, if present. */
    public static Optional<AttributeProto> find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }

    public static boolean has(NodeProto node, String name) {
        return find(node, name).isPresent();
    }

    public static long getInt(NodeProto node, String name, long defaultValue) {
        return find(node, name).map(a -> checked(node, a, AttributeType.INT).getI()).orElse(defaultValue);
    }

    public static long getInt(NodeProto node, String name) {
        return checked(node, require(node, name), AttributeType.INT).getI();
    }

    /** The INTS attribute as an array; {@code defaultValue} (copied) when absent. */
    public static long[] getInts(NodeProto node, String name, long... defaultValue) {
        return find(node, name).map(a -> ints(checked(node, a, AttributeType.INTS)))
                .orElseGet(defaultValue::clone);
    }

    public static long[] getInts(NodeProto node, String name) {
        return ints(checked(node, require(node, name), AttributeType.INTS));
    }

    public static float getFloat(NodeProto node, String name, float defaultValue) {
        return find(node, name).map(a -> checked(node, a, AttributeType.FLOAT).getF()).orElse(defaultValue);
    }

    public static float getFloat(NodeProto node, String name) {
        return checked(node, require(node, name), AttributeType.FLOAT).getF();
    }

    /** The FLOATS attribute as an array; {@code defaultValue} (copied) when absent. */
    public static float[] getFloats(NodeProto node, String name, float... defaultValue) {
        return find(node, name).map(a -> floats(checked(node, a, AttributeType.FLOATS)))
                .orElseGet(defaultValue::clone);
    }

    /** The STRING attribute decoded as UTF-8. */
    public static String getString(NodeProto node, String name, String defaultValue) {
        return find(node, name).map(a -> checked(node, a, AttributeType.STRING).getS().toString(StandardCharsets.UTF_8))
                .orElse(defaultValue);
    }

    public static String getString(NodeProto node, String name) {
        return checked(node, require(node, name), AttributeType.STRING).getS().toString(StandardCharsets.UTF_8);
    }

    /** The TENSOR attribute converted by {@link TensorProtos#toTensor}. */
    public static Tensor getTensor(NodeProto node, String name) {
        AttributeProto a = checked(node, require(node, name), AttributeType.TENSOR);
        try {
            return TensorProtos.toTensor(a.getT());
        } catch (OnnxException e) {
            throw new OnnxException(describe(node) + ": attribute '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The kind of an attribute, inferred from its value field when {@code type} is not set. */
    public static AttributeType kindOf(AttributeProto a) {
        if (a.getType() != AttributeType.UNDEFINED) return a.getType();
        if (a.hasF()) return AttributeType.FLOAT;
        if (a.hasI()) return AttributeType.INT;
        if (a.hasS()) return AttributeType.STRING;
        if (a.hasT()) return AttributeType.TENSOR;
        if (a.hasG()) return AttributeType.GRAPH;
        if (a.getFloatsCount() > 0) return AttributeType.FLOATS;
        if (a.getIntsCount() > 0) return AttributeType.INTS;
        if (a.getStringsCount() > 0) return AttributeType.STRINGS;
        if (a.getTensorsCount() > 0) return AttributeType.TENSORS;
        if (a.getGraphsCount() > 0) return AttributeType.GRAPHS;
        return AttributeType.UNDEFINED;
    }

    /** How errors name a node: {@code Conv node 'conv1'}, or {@code Conv node (unnamed)}. */
    public static String describe(NodeProto node) {
        String op = node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + "." + node.getOpType();
        return op + " node " + (node.getName().isEmpty() ? "(unnamed)" : "'" + node.getName() + "'");
    }

    private static AttributeProto require(NodeProto node, String name) {
        return find(node, name).orElseThrow(() ->
                new OnnxException(describe(node) + ": required attribute '" + name + "' is missing"));
    }

    private static AttributeProto checked(NodeProto node, AttributeProto a, AttributeType want) {
        if (!a.getRefAttrName().isEmpty()) {
            throw new OnnxException(describe(node) + ": attribute '" + a.getName()
                    + "' refers to function attribute '" + a.getRefAttrName() + "' outside a function");
        }
        AttributeType kind = kindOf(a);
        if (kind != want) {
            throw new OnnxException(describe(node) + ": attribute '" + a.getName() + "' is " + kind
                    + ", expected " + want);
        }
        return a;
    }

    private static long[] ints(AttributeProto a) {
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(AttributeProto a) {
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) out[i] = a.getFloats(i);
        return out;
    }
}
