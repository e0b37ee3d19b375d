package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.Machine;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * hw numerics (integer multiplier and shift) against ort numerics on the simulator: for every single-layer
 * model, the same input gives outputs within 1 LSB of each other (DESIGN section 3), and rarely differ.
 */
class HwNumericsTest {
    /** Loose bound on the share of elements where hw and ort requantization differ. */
    private static final double MAX_MISMATCH_RATE = 0.02;

    @Test
    void hwIsWithinOneLsbOfOrt() {
        long elements = 0;
        long mismatches = 0;
        int models = 0;
        Map<String, long[]> byOp = new TreeMap<>();
        for (GeneratedModel g : RandomModels.all()) {
            Program ort = Sim.compile(g, Numerics.ORT);
            if (ort.layers().size() != 1) continue;
            Program hw = Sim.compile(g, Numerics.HW);
            assertEquals(Numerics.HW, hw.numerics());
            assertEquals(ort.layers().size(), hw.layers().size());
            Map<String, Tensor> in = g.randomInputs();
            Machine a = Sim.run(ort, in, false);
            Machine b = Sim.run(hw, in, false);
            String out = ort.outputs().get(0);
            Tensor x = a.readSymbol(out);
            Tensor y = b.readSymbol(out);
            assertArrayEquals(x.shape(), y.shape());
            long bad = 0;
            for (int i = 0; i < x.size(); i++) {
                long d = Math.abs(x.getLong(i) - y.getLong(i));
                assertTrue(d <= 1, g.name() + " element " + i + ": ort " + x.getLong(i) + ", hw " + y.getLong(i));
                if (d != 0) bad++;
            }
            models++;
            elements += x.size();
            mismatches += bad;
            long[] s = byOp.computeIfAbsent(ort.layers().get(0).op(), k -> new long[2]);
            s[0] += bad;
            s[1] += x.size();
        }
        StringBuilder ops = new StringBuilder();
        byOp.forEach((op, s) -> ops.append(String.format(" %s %d/%d;", op, s[0], s[1])));
        double rate = (double) mismatches / elements;
        System.out.printf("hw vs ort: %d single-layer models, %d of %d output elements differ by 1 LSB (%.4f %%):%s%n",
                models, mismatches, elements, 100 * rate, ops);
        assertTrue(models >= 20, models + " single-layer models");
        assertTrue(rate <= MAX_MISMATCH_RATE, "hw vs ort mismatch rate " + rate);
    }
}
