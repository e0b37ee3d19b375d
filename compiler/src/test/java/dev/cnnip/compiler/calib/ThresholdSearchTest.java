package dev.cnnip.compiler.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The calibration methods on synthetic distributions with known answers. Main case: a million samples of
 * a standard Gaussian plus five outliers at 50, arriving in 100 batches with the outliers last (so the
 * histogram must grow). The 99.99th percentile range of N(0, 1) is ±3.8906 (each side 0.005 %).
 */
class ThresholdSearchTest {
    private static final int N = 1_000_000;
    private static final float[] GAUSSIAN_WITH_OUTLIERS = gaussianWithOutliers();

    private static float[] gaussianWithOutliers() {
        Random r = new Random(42);
        float[] g = new float[N];
        for (int i = 0; i < N; i++) g[i] = (float) r.nextGaussian();
        for (int k = 1; k <= 5; k++) g[N - k] = 50f;
        return g;
    }

    private static TensorRange collect(CalibrationOptions opts, float[] values, int batches) {
        RangeCollector c = new RangeCollector(opts);
        int per = values.length / batches;
        for (int b = 0; b < batches; b++) {
            c.add(Tensor.ofFloats(new int[] {1, per}, Arrays.copyOfRange(values, b * per, (b + 1) * per)), "batch " + b);
        }
        return c.result("t");
    }

    @Test
    void minmaxKeepsTheOutliers() {
        TensorRange r = collect(CalibrationOptions.of(CalibrationMethod.MINMAX), GAUSSIAN_WITH_OUTLIERS, 100);
        assertEquals(50f, r.max());
        assertTrue(r.min() < -4.5f && r.min() > -5.5f, r.toString());
        assertEquals(0.0, r.clippedFraction());
        assertEquals(N, r.count());
        System.out.println("gaussian+5 outliers: " + r);
    }

    @Test
    void percentileClipsTheOutliers() {
        TensorRange r = collect(CalibrationOptions.parse("percentile=99.99"), GAUSSIAN_WITH_OUTLIERS, 100);
        System.out.println("gaussian+5 outliers: " + r);
        assertEquals(3.8906, r.max(), 0.15);
        assertEquals(-3.8906, r.min(), 0.15);
        assertEquals(50f, r.observedMax());
        // at most 0.005 % each side, and at least the 5 outliers
        assertTrue(r.clippedFraction() <= 1e-4 && r.clippedFraction() >= 5e-6, r.toString());
        assertEquals(CalibrationMethod.PERCENTILE, r.method());
    }

    @Test
    void entropyPicksAThresholdWellBelowTheOutliers() {
        TensorRange r = collect(CalibrationOptions.of(CalibrationMethod.ENTROPY), GAUSSIAN_WITH_OUTLIERS, 100);
        System.out.println("gaussian+5 outliers: " + r);
        assertTrue(r.max() > 3f && r.max() < 6f, r.toString());
        assertEquals(-r.max(), r.min(), "a symmetric threshold inside both observed ends");
        assertTrue(r.clippedFraction() >= 5e-6 && r.clippedFraction() < 1e-4, r.toString());
    }

    @Test
    void entropyDoesNotClipDataThatStaysAwayFromZero() {
        // all values in [-8, -1.2] (a head's logits): the folded histogram is empty near 0, and a threshold
        // just above 1.2 would put all mass in the saturated bin where the divergence is 0
        Random rnd = new Random(5);
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) v[i] = (float) (-1.2 - Math.abs(rnd.nextGaussian()) * 2);
        TensorRange r = collect(CalibrationOptions.of(CalibrationMethod.ENTROPY), v, 1);
        assertTrue(r.clippedFraction() <= ThresholdSearch.MAX_ENTROPY_CLIP, r.toString());
        assertTrue(r.min() < -5f, r.toString());
    }

    @Test
    void entropyKeepsAUniformDistributionWhole() {
        Random rnd = new Random(3);
        float[] u = new float[100_000];
        for (int i = 0; i < u.length; i++) u[i] = (float) (rnd.nextDouble() * 2 - 1);
        TensorRange r = collect(CalibrationOptions.of(CalibrationMethod.ENTROPY), u, 1);
        // clipping a flat distribution piles mass into the last bin: the whole range wins
        assertEquals(r.observedMax(), r.max());
        assertEquals(r.observedMin(), r.min());
        assertEquals(0.0, r.clippedFraction());
    }

    @Test
    void exactZerosDoNotDriveTheEntropyThreshold() {
        // a Relu-like tensor: 80 % exact zeros, the rest uniform on (0, 1]; the zeros are representable by
        // any range, so the search sees the flat part only and keeps (nearly) all of it. Counting the zeros
        // in the bin at 0 would make that bin dominate and the threshold drop to 0.11.
        Random rnd = new Random(11);
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i += 5) v[i] = (float) (1 - rnd.nextDouble());
        RangeCollector c = new RangeCollector(CalibrationOptions.of(CalibrationMethod.ENTROPY));
        c.add(Tensor.ofFloats(new int[] {v.length}, v), "relu");
        assertEquals(80_000, c.histogram().zeros());
        TensorRange r = c.result("relu");
        assertEquals(0f, r.min());
        assertTrue(r.max() > 0.99f, r.toString());
        assertTrue(r.clippedFraction() < 1e-3, r.toString());
    }

    @Test
    void oneSidedDataKeepsItsMinimum() {
        // exponential(1), as a Relu-like output: the symmetric threshold meets the observed minimum
        Random rnd = new Random(5);
        float[] e = new float[100_000];
        for (int i = 0; i < e.length; i++) e[i] = (float) -Math.log(1 - rnd.nextDouble());
        TensorRange ent = collect(CalibrationOptions.of(CalibrationMethod.ENTROPY), e, 10);
        assertEquals(ent.observedMin(), ent.min());
        assertTrue(ent.max() <= ent.observedMax());
        TensorRange pct = collect(CalibrationOptions.of(CalibrationMethod.PERCENTILE).withPercentile(99), e, 10);
        // upper 0.5 % of exp(1) lies above ln(200) = 5.298
        assertEquals(5.298, pct.max(), 0.15);
        assertTrue(pct.clippedFraction() <= 0.01, pct.toString());
        System.out.println("exponential: " + ent + "; " + pct);
    }

    @Test
    void symmetricPercentileCutsMagnitudes() {
        // |x| of N(0,1) exceeds 3.8906 for 0.01 % of values: the same threshold, now for both sides together
        TensorRange r = collect(CalibrationOptions.of(CalibrationMethod.PERCENTILE).withSymmetric(true), GAUSSIAN_WITH_OUTLIERS, 100);
        assertEquals(-r.max(), r.min());
        assertEquals(3.8906, r.max(), 0.15);
        assertTrue(r.clippedFraction() <= 1e-4, r.toString());
    }

    @Test
    void percentileGuaranteesEachSide() {
        Histogram h = new Histogram(8);
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) v[i] = i - 500;
        h.add(v);
        // bins of width 125 from -500; 20 % cut (10 % a side) cannot drop a whole 12.5 % bin
        assertEquals(new ThresholdSearch.Cut(0, 8), ThresholdSearch.percentile(h, 80, false));
        // 75 %: 12.5 % a side drops exactly one bin each
        assertEquals(new ThresholdSearch.Cut(1, 7), ThresholdSearch.percentile(h, 75, false));
        assertEquals(new ThresholdSearch.Cut(1, 7), ThresholdSearch.percentile(h, 75, true));
        assertEquals(250, h.countOutside(1, 7));
    }

    @Test
    void allZeroTensorAndNothingSeen() {
        TensorRange zeros = collect(CalibrationOptions.of(CalibrationMethod.ENTROPY), new float[64], 2);
        assertEquals(0f, zeros.min());
        assertEquals(0f, zeros.max());
        assertEquals(64, zeros.count());
        TensorRange none = new RangeCollector(CalibrationOptions.defaults()).result("n");
        assertEquals(0, none.count());
        assertEquals(0f, none.max());
    }

    @Test
    void nonFiniteValuesNameTheTensorAndElement() {
        RangeCollector c = new RangeCollector(CalibrationOptions.of(CalibrationMethod.ENTROPY));
        Tensor t = Tensor.ofFloats(new int[] {1, 2, 2}, 1f, 2f, Float.NaN, 4f);
        CalibrationDataException e = assertThrows(CalibrationDataException.class, () -> c.add(t, "calibration item 7 (a.png), tensor 'conv1'"));
        assertEquals("calibration item 7 (a.png), tensor 'conv1': element 2 (index [0, 1, 0]) is NaN", e.getMessage());
    }

    @Test
    void methodOptionsParse() {
        assertEquals(CalibrationOptions.defaults(), CalibrationOptions.parse("minmax"));
        assertEquals(99.9, CalibrationOptions.parse("percentile=99.9").percentile());
        assertEquals(99.99, CalibrationOptions.parse("Percentile").percentile());
        assertEquals(CalibrationMethod.ENTROPY, CalibrationOptions.parse("entropy").method());
        assertEquals("percentile=99.9", CalibrationOptions.parse("percentile=99.9").toString());
        assertEquals("calibration method 'kl' is unknown (minmax, percentile[=P], entropy)",
                assertThrows(CalibrationDataException.class, () -> CalibrationOptions.parse("kl")).getMessage());
        assertEquals("percentile 40.0 must be above 50 and at most 100",
                assertThrows(CalibrationDataException.class, () -> CalibrationOptions.parse("percentile=40")).getMessage());
        assertEquals("calibration method 'entropy=3': only percentile takes a value",
                assertThrows(CalibrationDataException.class, () -> CalibrationOptions.parse("entropy=3")).getMessage());
        assertThrows(CalibrationDataException.class, () -> CalibrationOptions.defaults().withBins(102, 8));
        assertThrows(CalibrationDataException.class, () -> CalibrationOptions.defaults().withBins(64, 64));
    }
}
