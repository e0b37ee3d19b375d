package dev.cnnip.emulator.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RatioSpread}'s order statistics against numpy's {@code np.quantile} (linear interpolation). */
class RatioSpreadTest {
    @Test
    void quantilesMatchNumpy() {
        // np.quantile(v, [0, .25, .5, .75, .9, 1]) = [0.44, 1.0, 1.37, 3.5, 6.4, 12.0]
        RatioSpread s = RatioSpread.of(List.of(3.5, 0.44, 1.37, 2.69, 1.0, 12.0, 1.25, 0.9, 5.0));
        assertEquals(9, s.count());
        assertEquals(0.44, s.min(), 1e-12);
        assertEquals(1.0, s.p25(), 1e-12);
        assertEquals(1.37, s.median(), 1e-12);
        assertEquals(3.5, s.p75(), 1e-12);
        assertEquals(6.4, s.p90(), 1e-12);
        assertEquals(12.0, s.max(), 1e-12);
        // an even count: the median is the mean of the middle two; np.quantile gives 1.7, 2.03, 2.36, 2.558
        RatioSpread two = RatioSpread.of(List.of(2.69, 1.37));
        assertEquals(1.7, two.p25(), 1e-12);
        assertEquals(2.03, two.median(), 1e-12);
        assertEquals(2.36, two.p75(), 1e-12);
        assertEquals(2.558, two.p90(), 1e-12);
        assertEquals(RatioSpread.EMPTY, RatioSpread.of(List.of()));
    }
}
