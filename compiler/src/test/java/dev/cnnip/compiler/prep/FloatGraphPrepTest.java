package dev.cnnip.compiler.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.compiler.frontend.GraphExporter;
import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Preparation keeps the float function (checked in ONNX Runtime) while changing the graph's shape. */
class FloatGraphPrepTest {
    private static Tensor random(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextGaussian() * scale);
        return t;
    }

    @Test
    void foldsBatchNormAndBiasAddsAndFindsHardSwish() {
        Random r = new Random(11);
        Tensor var = random(r, 1, 6);
        for (int i = 0; i < 6; i++) var.setDouble(i, Math.abs(var.getFloat(i)) + 0.1);
        ModelProto m = new OnnxBuilder("prep").opset("", 14).input("x", DType.FLOAT32, 1, 3, 8, 8)
                .initializer("w", random(r, 0.3, 6, 3, 3, 3)).initializer("g", random(r, 1, 6)).initializer("b", random(r, 1, 6))
                .initializer("mean", random(r, 1, 6)).initializer("var", var)
                .initializer("w2", random(r, 0.3, 4, 6, 1, 1)).initializer("cb", random(r, 1, 1, 4, 1, 1))
                .node("Conv", List.of("x", "w"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1))
                .node("BatchNormalization", List.of("c", "g", "b", "mean", "var"), List.of("bn"), n -> n.f("epsilon", 1e-3f))
                .node("HardSigmoid", List.of("bn"), List.of("hs"), n -> n.f("alpha", 1f / 6).f("beta", 0.5f))
                .node("Mul", List.of("bn", "hs"), List.of("hsw"))
                .node("Conv", List.of("hsw", "w2"), List.of("c2"))
                .node("Add", List.of("c2", "cb"), List.of("y"))
                .output("y", DType.FLOAT32, 1, 4, 8, 8).build();
        Graph g = GraphImporter.importModel(m, Map.of());
        FloatGraphPrep.run(g);
        assertEquals(List.of("Conv", "HardSwish", "Conv"), g.nodes().stream().map(Node::opType).toList());
        ModelProto p = GraphExporter.export(g, 8, g.opsets(), "test");
        Tensor x = random(r, 1, 1, 3, 8, 8);
        Tensor a;
        Tensor b;
        try (OrtRunner o1 = OrtRunner.create(m, OrtOptions.defaults()); OrtRunner o2 = OrtRunner.create(p, OrtOptions.defaults())) {
            a = o1.run(Map.of("x", x)).get("y");
            b = o2.run(Map.of("x", x)).get("y");
        }
        for (int i = 0; i < a.size(); i++) assertEquals(a.getFloat(i), b.getFloat(i), 1e-4 + 1e-4 * Math.abs(a.getFloat(i)));
    }
}
