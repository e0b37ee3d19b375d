package dev.cnnip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.proto.AttributeProto.AttributeType;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OnnxBuilderTest {

    static OnnxBuilder convModel() {
        return new OnnxBuilder("conv").opset("", 13).opset("com.microsoft", 1)
                .input("x", DType.FLOAT32, 1, 3, 32, 32)
                .initializer("w", Tensor.zeros(DType.FLOAT32, 8, 3, 3, 3))
                .initializer("b", Tensor.zeros(DType.FLOAT32, 8))
                .node("Conv", List.of("x", "w", "b"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1).i("group", 1))
                .node("Relu", List.of("c"), List.of("r"))
                .node("Conv", List.of("r", "w2", "b"), List.of("y"), n -> n.name("second"))
                .output("y", DType.FLOAT32, 1, 8, 32, 32);
    }

    @Test
    void buildsAModel() {
        ModelProto m = new OnnxBuilder("conv").opset("", 13).opset("com.microsoft", 1)
                .input("x", DType.FLOAT32, -1, 3, 32, 32)
                .initializer("w", Tensor.zeros(DType.FLOAT32, 8, 3, 3, 3))
                .node("Conv", List.of("x", "w", ""), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1).i("group", 1)
                        .f("alpha", 0.5f).floats("fs", 1f, 2f).s("auto_pad", "NOTSET").strings("ss", "a", "b")
                        .t("value", Tensor.ofFloats(new int[] {1}, 3f)))
                .node("Relu", List.of("c"), List.of("r"))
                .node("Conv", List.of("r", "w"), List.of("d"))
                .node("QuickGelu", List.of("d"), List.of("y"), n -> n.domain("com.microsoft").name("gelu"))
                .output("y", DType.FLOAT32)
                .build();
        assertEquals(8, m.getIrVersion());
        assertEquals("cnnip", m.getProducerName());
        assertEquals(OptionalLong.of(13), OnnxModels.opsetVersion(m, ""));
        assertEquals(OptionalLong.of(1), OnnxModels.opsetVersion(m, "com.microsoft"));
        List<NodeProto> nodes = m.getGraph().getNodeList();
        assertEquals(List.of("Conv_0", "Relu_0", "Conv_1", "gelu"), nodes.stream().map(NodeProto::getName).toList());
        assertEquals("com.microsoft", nodes.get(3).getDomain());
        assertEquals("", nodes.get(0).getDomain());
        assertEquals(List.of(AttributeType.INTS, AttributeType.INT, AttributeType.FLOAT, AttributeType.FLOATS,
                        AttributeType.STRING, AttributeType.STRINGS, AttributeType.TENSOR),
                nodes.get(0).getAttributeList().stream().map(a -> a.getType()).toList());
        TensorShapeProto.Dimension batch = m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0);
        assertFalse(batch.hasDimValue() || batch.hasDimParam(), "negative dimension = unknown");
        ValueInfoProto y = m.getGraph().getOutput(0);
        assertEquals(DType.FLOAT32.onnxCode(), y.getType().getTensorType().getElemType());
        assertFalse(y.getType().getTensorType().hasShape(), "output of unknown shape");
        assertArrayEquals(new float[] {3f}, Attributes.getTensor(nodes.get(0), "value").toFloatArray());
        assertEquals(m, OnnxModels.parse(OnnxModels.toBytes(m), "built"));
    }

    @Test
    void sameCallsGiveTheSameBytes() {
        ModelProto a = convModel().initializer("w2", Tensor.zeros(DType.FLOAT32, 8, 8, 3, 3)).build();
        ModelProto b = convModel().initializer("w2", Tensor.zeros(DType.FLOAT32, 8, 8, 3, 3)).build();
        assertArrayEquals(OnnxModels.toBytes(a), OnnxModels.toBytes(b));
    }

    @Test
    void checksTheDataflow() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> convModel().build());
        assertEquals("conv: Conv node 'second' reads 'w2', which no input, initializer or earlier node defines",
                e.getMessage());
        assertEquals("g: output 'z' is never produced", assertThrows(IllegalStateException.class,
                () -> new OnnxBuilder("g").opset("", 13).input("x", DType.FLOAT32, 1).output("z", DType.FLOAT32).build())
                .getMessage());
        assertEquals("g: no opset imported", assertThrows(IllegalStateException.class,
                () -> new OnnxBuilder("g").build()).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> new OnnxBuilder("g").opset("", 13)
                .input("x", DType.FLOAT32, 1)
                .node("Relu", List.of("x"), List.of("y"), n -> n.i("a", 1).i("a", 2))).getMessage()
                .endsWith("attribute 'a' set twice"));
    }

    @Test
    void irVersionFollowsTheOpset() {
        assertEquals(3, OnnxBuilder.irVersionFor(8));
        assertEquals(4, OnnxBuilder.irVersionFor(9));
        assertEquals(7, OnnxBuilder.irVersionFor(12));
        assertEquals(8, OnnxBuilder.irVersionFor(13));
        assertEquals(8, OnnxBuilder.irVersionFor(18));
        assertEquals(9, OnnxBuilder.irVersionFor(19));
        assertEquals(10, OnnxBuilder.irVersionFor(21));
        assertEquals(11, OnnxBuilder.irVersionFor(23));
        assertEquals(13, OnnxBuilder.irVersionFor(25));
        ModelProto m = OnnxModelsTest.tinyModel().toBuilder().build();
        assertEquals(8, m.getIrVersion());
        assertEquals(10, new OnnxBuilder("g").opset("", 21).input("x", DType.FLOAT32, 1)
                .output("x", DType.FLOAT32, 1).build().getIrVersion());
        assertEquals(9, new OnnxBuilder("g").opset("", 21).irVersion(9).input("x", DType.FLOAT32, 1)
                .output("x", DType.FLOAT32, 1).build().getIrVersion());
        // Before IR 4, initializers are listed among the inputs as well.
        ModelProto old = new OnnxBuilder("g").opset("", 8).input("x", DType.FLOAT32, 2)
                .initializer("w", Tensor.zeros(DType.FLOAT32, 2))
                .node("Add", List.of("x", "w"), List.of("y")).output("y", DType.FLOAT32, 2).build();
        assertEquals(List.of("x", "w"), old.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
    }
}
