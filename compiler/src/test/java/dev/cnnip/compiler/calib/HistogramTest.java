package dev.cnnip.compiler.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void firstBatchSetsTheRange() {
        Histogram h = new Histogram(8);
        h.add(-2f, -0.1f, 0f, 0.9f, 2f);
        assertEquals(2.0, h.limit());
        assertEquals(0.5, h.binWidth());
        // bins of width 0.5 from -2: -2 in bin 0, -0.1 in bin 3, 0 in bin 4, 0.9 in bin 5, 2 (the right end) in bin 7
        assertArrayEquals(new long[] {1, 0, 0, 1, 1, 1, 0, 1}, h.counts());
        assertArrayEquals(new long[] {2, 1, 0, 2}, h.folded());
        assertEquals(5, h.total());
        assertEquals(-2.0, h.edge(0));
        assertEquals(2.0, h.edge(8));
        assertEquals(2, h.countOutside(1, 7));
    }

    @Test
    void growthMergesBinsExactly() {
        // Values of two batches, the second reaching 5.3 times further: after growth every value must sit in
        // the bin of the final grid that contains it, as if the final grid had been known from the start.
        Random r = new Random(7);
        float[] first = new float[5000];
        float[] second = new float[5000];
        for (int i = 0; i < first.length; i++) first[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < second.length; i++) second[i] = (float) (r.nextDouble() * 10.6 - 5.3);
        first[0] = 1f;
        Histogram h = new Histogram(64);
        h.add(first);
        h.add(second);
        assertEquals(8.0, h.limit(), "1 doubled three times covers 5.3");
        long[] want = new long[64];
        for (float[] batch : new float[][] {first, second}) {
            for (float v : batch) want[(int) Math.floor((v + 8.0) / 0.25)]++;
        }
        assertArrayEquals(want, h.counts());
        assertEquals(10000, h.total());
    }

    @Test
    void zerosBeforeTheFirstNonZeroValueWait() {
        Histogram h = new Histogram(8);
        h.add(0f, 0f, 0f);
        assertEquals(0.0, h.limit());
        assertEquals(3, h.count(4));
        h.add(-1f, 0.5f);
        assertArrayEquals(new long[] {1, 0, 0, 0, 3, 0, 1, 0}, h.counts());
    }

    @Test
    void rejectsBadBinCountsAndInfiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(10));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(4));
        Histogram h = new Histogram(8);
        float[] inf = {Float.POSITIVE_INFINITY};
        assertThrows(IllegalArgumentException.class, () -> h.add(inf));
        assertEquals(0, Arrays.stream(h.counts()).sum());
    }
}
