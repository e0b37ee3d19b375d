package dev.cnnip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.AttributeProto.AttributeType;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesTest {
    private static final NodeProto CONV = new OnnxBuilder("g").opset("", 13)
            .input("x", DType.FLOAT32, 1, 1, 4, 4)
            .initializer("w", Tensor.zeros(DType.FLOAT32, 1, 1, 3, 3))
            .node("Conv", List.of("x", "w"), List.of("y"), n -> n.name("conv1")
                    .ints("pads", 1, 1, 1, 1).i("group", 1).f("alpha", 0.5f).floats("scales", 1f, 2f)
                    .s("auto_pad", "NOTSET").t("value", Tensor.ofLongs(DType.INT64, new int[] {2}, 7, 8)))
            .output("y", DType.FLOAT32)
            .build().getGraph().getNode(0);

    @Test
    void typedGettersWithDefaults() {
        assertEquals(1, Attributes.getInt(CONV, "group", 9));
        assertEquals(9, Attributes.getInt(CONV, "missing", 9));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Attributes.getInts(CONV, "pads"));
        assertArrayEquals(new long[] {1, 1}, Attributes.getInts(CONV, "strides", 1, 1));
        assertEquals(0.5f, Attributes.getFloat(CONV, "alpha", 0f));
        assertEquals(0.25f, Attributes.getFloat(CONV, "beta", 0.25f));
        assertArrayEquals(new float[] {1f, 2f}, Attributes.getFloats(CONV, "scales"));
        assertEquals("NOTSET", Attributes.getString(CONV, "auto_pad", "VALID"));
        assertEquals("VALID", Attributes.getString(CONV, "mode", "VALID"));
        assertArrayEquals(new long[] {7, 8}, Attributes.getTensor(CONV, "value").toLongArray());
        assertTrue(Attributes.has(CONV, "pads"));
        assertFalse(Attributes.has(CONV, "dilations"));
    }

    @Test
    void errorsNameTheNodeAndAttribute() {
        assertEquals("Conv node 'conv1': attribute 'pads' is INTS, expected INT",
                assertThrows(OnnxException.class, () -> Attributes.getInt(CONV, "pads", 0)).getMessage());
        assertEquals("Conv node 'conv1': required attribute 'kernel_shape' is missing",
                assertThrows(OnnxException.class, () -> Attributes.getInts(CONV, "kernel_shape")).getMessage());
        NodeProto unnamed = CONV.toBuilder().clearName().setDomain("com.microsoft").build();
        assertEquals("com.microsoft.Conv node (unnamed): attribute 'alpha' is FLOAT, expected STRING",
                assertThrows(OnnxException.class, () -> Attributes.getString(unnamed, "alpha")).getMessage());
    }

    @Test
    void attributesWithoutTypeFieldAreRecognised() {
        // IR version 1 wrote no type discriminator.
        NodeProto old = NodeProto.newBuilder().setOpType("MaxPool")
                .addAttribute(AttributeProto.newBuilder().setName("kernel_shape").addInts(2).addInts(2))
                .addAttribute(AttributeProto.newBuilder().setName("alpha").setF(0.1f)).build();
        assertArrayEquals(new long[] {2, 2}, Attributes.getInts(old, "kernel_shape"));
        assertEquals(0.1f, Attributes.getFloat(old, "alpha"));
        assertEquals(AttributeType.FLOAT, Attributes.kindOf(old.getAttribute(1)));
    }

    @Test
    void readsTheAttributesOfMnist() {
        ModelProto m = OnnxModels.load(TestData.require("models/mnist-8.onnx"));
        NodeProto conv = m.getGraph().getNodeList().stream().filter(n -> n.getName().equals("Convolution28"))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {5, 5}, Attributes.getInts(conv, "kernel_shape"));
        assertArrayEquals(new long[] {1, 1}, Attributes.getInts(conv, "strides"));
        assertEquals("SAME_UPPER", Attributes.getString(conv, "auto_pad", "NOTSET"));
        assertEquals(1, Attributes.getInt(conv, "group", 1));
        NodeProto pool = m.getGraph().getNodeList().stream().filter(n -> n.getName().equals("Pooling66"))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {2, 2}, Attributes.getInts(pool, "kernel_shape"));
        assertArrayEquals(new long[] {2, 2}, Attributes.getInts(pool, "strides"));
    }
}
