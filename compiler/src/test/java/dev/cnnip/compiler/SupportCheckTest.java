package dev.cnnip.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.quant.UnsupportedNodesException;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A quantized model with three float operators left between Dequantize and Quantize: every one is named at once. */
class SupportCheckTest {
    private static ModelProto model() {
        Tensor s = Tensor.ofFloats(new int[0], 0.05f);
        Tensor z = Tensor.ofLongs(DType.UINT8, new int[0], 128);
        OnnxBuilder b = new OnnxBuilder("three").opset("", 13).input("x", DType.UINT8, 1, 4, 8, 8)
                .initializer("s", s).initializer("z", z)
                .initializer("pads", Tensor.ofLongs(DType.INT64, new int[] {8}, 0, 0, 1, 1, 0, 0, 1, 1));
        b.node("DequantizeLinear", List.of("x", "s", "z"), List.of("xf"));
        b.node("Sqrt", List.of("xf"), List.of("l"), n -> n.name("norm"));
        b.node("QuantizeLinear", List.of("l", "s", "z"), List.of("lq"));
        b.node("DequantizeLinear", List.of("lq", "s", "z"), List.of("lf"));
        b.node("Pad", List.of("lf", "pads"), List.of("p"), n -> n.name("pad"));
        b.node("Erf", List.of("p"), List.of("e"), n -> n.name("erf"));
        b.node("QuantizeLinear", List.of("e", "s", "z"), List.of("y"));
        b.output("y", DType.UINT8, 1, 4, 10, 10);
        return b.build();
    }

    private static CompileOptions opts() {
        return CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT);
    }

    @Test
    void compileNamesEveryUnsupportedNodeInOneError() {
        UnsupportedNodesException e = assertThrows(UnsupportedNodesException.class, () -> Compiler.compile(model(), "three", opts()));
        assertEquals(List.of("norm", "pad", "erf"), e.problems().stream().map(UnsupportedNodesException.Problem::node).toList());
        assertEquals(List.of("Sqrt", "Pad", "Erf"), e.problems().stream().map(UnsupportedNodesException.Problem::opType).toList());
        assertTrue(e.getMessage().startsWith("3 nodes are not supported: node 'norm' (Sqrt): "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void checkListsEveryNodeWithItsVerdict() {
        Map<String, SupportCheck.NodeVerdict> v = SupportCheck.check(model(), opts()).stream()
                .collect(Collectors.toMap(SupportCheck.NodeVerdict::node, x -> x));
        assertEquals(7, v.size());
        for (String bad : List.of("norm", "pad", "erf")) {
            assertFalse(v.get(bad).supported(), bad);
            assertTrue(v.get(bad).detail().contains("float operator"), v.get(bad).detail());
        }
        assertTrue(v.get("DequantizeLinear_0").supported());
        assertEquals("cnnip.Dequantize 'DequantizeLinear_0'", v.get("DequantizeLinear_0").detail());
        assertEquals(4, v.values().stream().filter(SupportCheck.NodeVerdict::supported).count());
    }
}
