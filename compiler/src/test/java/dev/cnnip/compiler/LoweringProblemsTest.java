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

/**
 * Layers that convert but cannot be lowered (two cubic Resizes, which have no accelerator operation yet) are
 * all named in one error, and {@code compile --check} marks each of their ONNX nodes; the nearest Resize between
 * them (a downsampling by 0.5, lowered as a DMA gather) is supported.
 */
class LoweringProblemsTest {
    private static ModelProto model() {
        Tensor s = Tensor.ofFloats(new int[0], 0.05f);
        Tensor z = Tensor.ofLongs(DType.UINT8, new int[0], 128);
        OnnxBuilder b = new OnnxBuilder("resizes").opset("", 13).input("x", DType.UINT8, 1, 4, 8, 8)
                .initializer("s", s).initializer("z", z)
                .initializer("up", Tensor.ofFloats(new int[] {4}, 1, 1, 2, 2))
                .initializer("down", Tensor.ofFloats(new int[] {4}, 1, 1, 0.5f, 0.5f));
        b.node("DequantizeLinear", List.of("x", "s", "z"), List.of("xf"));
        b.node("Resize", List.of("xf", "", "up"), List.of("r1"), n -> n.name("cubic1").s("mode", "cubic"));
        b.node("QuantizeLinear", List.of("r1", "s", "z"), List.of("q1"));
        b.node("DequantizeLinear", List.of("q1", "s", "z"), List.of("f1"));
        b.node("Resize", List.of("f1", "", "down"), List.of("r2"), n -> n.name("nearest").s("mode", "nearest"));
        b.node("QuantizeLinear", List.of("r2", "s", "z"), List.of("q2"));
        b.node("DequantizeLinear", List.of("q2", "s", "z"), List.of("f2"));
        b.node("Resize", List.of("f2", "", "up"), List.of("r3"), n -> n.name("cubic2").s("mode", "cubic"));
        b.node("QuantizeLinear", List.of("r3", "s", "z"), List.of("y"));
        b.output("y", DType.UINT8, 1, 4, 8, 8);
        return b.build();
    }

    private static CompileOptions opts() {
        return CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT);
    }

    @Test
    void compileNamesEveryLayerThatCannotBeLowered() {
        UnsupportedNodesException e = assertThrows(UnsupportedNodesException.class, () -> Compiler.compile(model(), "r", opts()));
        assertEquals(List.of("cubic1", "cubic2"), e.problems().stream().map(UnsupportedNodesException.Problem::node).toList());
        assertTrue(e.getMessage().startsWith("2 nodes are not supported: node 'cubic1' (cnnip.QResize): only nearest and linear Resize are supported, not mode cubic"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void checkMarksTheOnnxNodesOfEachFailingLayer() {
        Map<String, SupportCheck.NodeVerdict> v = SupportCheck.check(model(), opts()).stream()
                .collect(Collectors.toMap(SupportCheck.NodeVerdict::node, x -> x));
        assertEquals(9, v.size());
        for (String bad : List.of("cubic1", "cubic2")) {
            assertFalse(v.get(bad).supported(), bad);
            assertTrue(v.get(bad).detail().startsWith("lowering QResize: only nearest and linear Resize are supported, not mode cubic"), v.get(bad).detail());
        }
        assertTrue(v.get("nearest").supported(), v.get("nearest").detail());
        assertEquals(5, v.values().stream().filter(SupportCheck.NodeVerdict::supported).count());
    }

    /** A node that does not convert (a float Erf) and a layer that converts but cannot be lowered (cubic Resize). */
    private static ModelProto mixed() {
        Tensor s = Tensor.ofFloats(new int[0], 0.05f);
        Tensor z = Tensor.ofLongs(DType.UINT8, new int[0], 128);
        OnnxBuilder b = new OnnxBuilder("mixed").opset("", 13).input("x", DType.UINT8, 1, 4, 8, 8)
                .initializer("s", s).initializer("z", z).initializer("up", Tensor.ofFloats(new int[] {4}, 1, 1, 2, 2));
        b.node("DequantizeLinear", List.of("x", "s", "z"), List.of("xf"));
        b.node("Resize", List.of("xf", "", "up"), List.of("r1"), n -> n.name("cubic").s("mode", "cubic"));
        b.node("QuantizeLinear", List.of("r1", "s", "z"), List.of("q1"));
        b.node("DequantizeLinear", List.of("q1", "s", "z"), List.of("f1"));
        b.node("Erf", List.of("f1"), List.of("e"), n -> n.name("erf"));
        b.node("QuantizeLinear", List.of("e", "s", "z"), List.of("y"));
        b.output("y", DType.UINT8, 1, 4, 16, 16);
        return b.build();
    }

    @Test
    void conversionAndLoweringProblemsAreNamedTogether() {
        UnsupportedNodesException e = assertThrows(UnsupportedNodesException.class, () -> Compiler.compile(mixed(), "m", opts()));
        assertEquals(List.of("erf", "cubic"), e.problems().stream().map(UnsupportedNodesException.Problem::node).toList());
        assertEquals(List.of("Erf", "cnnip.QResize"), e.problems().stream().map(UnsupportedNodesException.Problem::opType).toList());
        Map<String, SupportCheck.NodeVerdict> v = SupportCheck.check(mixed(), opts()).stream()
                .collect(Collectors.toMap(SupportCheck.NodeVerdict::node, x -> x));
        assertFalse(v.get("cubic").supported(), v.get("cubic").detail());
        assertFalse(v.get("erf").supported(), v.get("erf").detail());
        assertTrue(v.get("DequantizeLinear_0").detail().startsWith("part of cnnip.QResize 'cubic'"), v.get("DequantizeLinear_0").detail());
    }
}
