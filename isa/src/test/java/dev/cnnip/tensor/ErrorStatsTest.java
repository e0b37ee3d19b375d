package dev.cnnip.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.numerics.Quantize;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every figure against a direct computation on known arrays. */
class ErrorStatsTest {
    private static final float[] REF = {1, 2, 3, 4};
    private static final float[] TEST = {1.1f, 1.9f, 3.2f, 3.6f};

    @Test
    void sqnrCosineRmseAndMaxErrorOfKnownArrays() {
        ErrorStats s = new ErrorStats();
        s.addAll(REF, TEST);
        // by hand: Σx² = 30, Σ(x−y)² = 0.01 + 0.01 + 0.04 + 0.16 = 0.22 (float inputs: compare loosely)
        assertEquals(10 * Math.log10(30 / 0.22), s.sqnrDb(), 1e-5);
        double dot = 1 * 1.1 + 2 * 1.9 + 3 * 3.2 + 4 * 3.6;
        double ty = 1.1 * 1.1 + 1.9 * 1.9 + 3.2 * 3.2 + 3.6 * 3.6;
        assertEquals(dot / Math.sqrt(30 * ty), s.cosine(), 1e-6);
        assertEquals(Math.sqrt(0.22 / 4), s.rmse(), 1e-6);
        ErrorFigures f = s.figures(0.5);
        assertEquals(Math.sqrt(0.22 / 4) / 0.5, f.rmseOverScale(), 1e-6);
        assertEquals(0.4, f.maxAbsError(), 1e-6);
        assertEquals(1, s.refMin());
        assertEquals(4, s.refMax());
        assertEquals(4, f.elements());
    }

    @Test
    void exactAndDegenerateCases() {
        ErrorStats exact = new ErrorStats();
        exact.addAll(REF, REF);
        assertEquals(Double.POSITIVE_INFINITY, exact.sqnrDb());
        assertEquals(1.0, exact.cosine(), 1e-12);
        ErrorStats zeros = new ErrorStats();
        zeros.addAll(new float[] {0, 0}, new float[] {0, 0});
        assertEquals(1.0, zeros.cosine());
        ErrorStats noSignal = new ErrorStats();
        noSignal.addAll(new float[] {0, 0}, new float[] {1, 0});
        assertEquals(Double.NEGATIVE_INFINITY, noSignal.sqnrDb());
        assertEquals(0.0, noSignal.cosine());
        ErrorStats opposite = new ErrorStats();
        opposite.addAll(new float[] {1, -2}, new float[] {-1, 2});
        assertEquals(-1.0, opposite.cosine(), 1e-12);
    }

    @Test
    void accumulatingOverItemsEqualsOneArray() {
        ErrorStats a = new ErrorStats();
        a.addAll(new float[] {1, 2}, new float[] {1.1f, 1.9f});
        a.addAll(new float[] {3, 4}, new float[] {3.2f, 3.6f});
        assertEquals(ErrorStats.sqnrDb(REF, TEST), a.sqnrDb(), 1e-12);
    }

    @Test
    void uniformRoundingGivesOneOverRootTwelveSteps() {
        // values spread evenly over many steps, rounded to the grid: the error is uniform in ±step/2
        SplittableRandom rnd = new SplittableRandom(7);
        float scale = 0.05f;
        int n = 200_000;
        float[] x = new float[n];
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(0, 10);
            q[i] = Quantize.dequantize(Quantize.quantize(x[i], scale, 0, 0, 255), 0, scale);
        }
        ErrorStats s = new ErrorStats();
        s.addAll(x, q);
        assertEquals(1 / Math.sqrt(12), s.figures(scale).rmseOverScale(), 0.003);
        // and SQNR = 10·log10(E[x²] / (s²/12)) with E[x²] = 100/3 for U(0, 10)
        assertEquals(10 * Math.log10((100.0 / 3) / (scale * scale / 12)), s.sqnrDb(), 0.1);
    }
}
