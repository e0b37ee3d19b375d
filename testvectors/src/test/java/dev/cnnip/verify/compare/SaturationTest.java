package dev.cnnip.verify.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The saturation share {@code cnnip compare} reports, on hand-worked values. */
class SaturationTest {
    @Test
    void saturationCountsValuesBeyondTheRangeByMoreThanHalfAStep() {
        // range [0, 2.55] at scale 0.01: 2.554 rounds to the last code, 2.556 and −0.006 clip
        float[] f = {-0.006f, -0.004f, 0f, 1f, 2.55f, 2.554f, 2.556f, 100f};
        assertEquals(3, QuantCompare.saturated(f, 0, 2.55, 0.01));
    }
}
