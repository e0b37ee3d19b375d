package dev.cnnip.compiler.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.frontend.GraphImporter;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrunerTest {
    private static Graph conv(int oc, int ic) {
        Random rnd = new Random(4);
        Tensor w = Tensor.zeros(DType.FLOAT32, oc, ic, 3, 3);
        for (int i = 0; i < w.size(); i++) w.setDouble(i, rnd.nextGaussian());
        return GraphImporter.importModel(new OnnxBuilder("p").opset("", 13).input("x", DType.FLOAT32, 1, ic, 8, 8)
                .initializer("w", w)
                .node("Conv", List.of("x", "w"), List.of("y"), n -> n.name("c1").ints("pads", 1, 1, 1, 1))
                .output("y", DType.FLOAT32, 1, oc, 8, 8).build(), Map.of());
    }

    private static Tensor weights(Graph g) {
        return g.value(g.nodes().get(0).input(1)).constant();
    }

    @Test
    void unstructuredZeroesTheSmallestMagnitudes() {
        Graph g = conv(8, 4);
        Tensor before = weights(g).copy();
        Map<String, Double> s = Pruner.run(g, new Pruner.Spec(0.5, Map.of(), Pruner.Mode.UNSTRUCTURED, 1, 1));
        Tensor w = weights(g);
        assertEquals(0.5, s.get("c1"), 1e-9);
        double maxPruned = 0;
        double minKept = Double.MAX_VALUE;
        for (int i = 0; i < w.size(); i++) {
            double m = Math.abs(before.getFloat(i));
            if (w.getFloat(i) == 0f) maxPruned = Math.max(maxPruned, m);
            else {
                minKept = Math.min(minKept, m);
                assertEquals(before.getFloat(i), w.getFloat(i));
            }
        }
        assertTrue(maxPruned <= minKept, "every pruned weight is no larger than every kept one");
    }

    @Test
    void blocksZeroWholeMacArrayBlocks() {
        Graph g = conv(8, 8);
        Map<String, Double> s = Pruner.run(g, new Pruner.Spec(0.25, Map.of(), Pruner.Mode.BLOCKS, 4, 4));
        Tensor w = weights(g);
        assertEquals(0.25, s.get("c1"), 1e-9); // 2x2 blocks per tap, 36 blocks, 9 dropped
        for (int bo = 0; bo < 2; bo++) {
            for (int bi = 0; bi < 2; bi++) {
                for (int t = 0; t < 9; t++) {
                    int zeros = 0;
                    for (int o = bo * 4; o < bo * 4 + 4; o++) {
                        for (int i = bi * 4; i < bi * 4 + 4; i++) if (w.getFloat((o * 8 + i) * 9 + t) == 0f) zeros++;
                    }
                    assertTrue(zeros == 0 || zeros == 16, "a block is kept or dropped whole");
                }
            }
        }
    }

    @Test
    void perLayerOverridesAndUnknownNamesAreRejected() {
        Graph g = conv(4, 4);
        Map<String, Double> s = Pruner.run(g, new Pruner.Spec(0.0, Map.of("c1", 0.75), Pruner.Mode.UNSTRUCTURED, 1, 1));
        assertEquals(0.75, s.get("c1"), 1e-9);
        GraphException e = assertThrows(GraphException.class,
                () -> Pruner.run(conv(4, 4), new Pruner.Spec(0.1, Map.of("nope", 0.5), Pruner.Mode.UNSTRUCTURED, 1, 1)));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pruner.Spec(1.0, Map.of(), Pruner.Mode.UNSTRUCTURED, 1, 1));
    }
}
