package dev.cnnip.emulator.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.hw.HwConfig;
import org.junit.jupiter.api.Test;

/** {@code ex.tap_pack}: kernel taps of a few-channel convolution on spare input lanes, figures worked out by hand. */
class TapPackTest {
    private static final HwConfig V3U = HwConfig.preset("v3u-like"); // mac.ic = mac.oc = mac.px = 24

    @Test
    void rgbFirstLayerPacksEightTapsPerPass() {
        // mobilenetv2 layer 1: 3 -> 32 channels, 3x3, 112x112 outputs. floor(24 / 3) = 8 taps per pass, so
        // ceil(9 / 8) = 2 tap passes; ceil(32 / 24) = 2 output blocks, 1 input block: 4 units (18 without packing).
        ConvShape s = new ConvShape(112, 112, 32, 32, 3, 3, 3);
        assertEquals(8, CostModel.tapsPerPass(V3U, s));
        assertEquals(4, CostModel.blockUnits(V3U, s));
        assertEquals(18, CostModel.blockUnits(V3U.withOverride("ex.tap_pack=off"), s));
        // pixel steps ceil(12544 / 24) = 523: 523 x 4 = 2092 compute cycles
        assertEquals(523L * 4, CostModel.exCompute(V3U, s));
        // resnet50 conv1: 3 -> 64, 7x7: ceil(49 / 8) = 7 tap passes x ceil(64 / 24) = 3 output blocks = 21 (147 without)
        ConvShape r = new ConvShape(112, 112, 64, 64, 3, 7, 7);
        assertEquals(21, CostModel.blockUnits(V3U, r));
        assertEquals(147, CostModel.blockUnits(V3U.withOverride("ex.tap_pack=off"), r));
    }

    @Test
    void notForWideInputsGroupsOrZeroSkipping() {
        // 12 channels = mac.ic / 2 still packs (2 taps per pass); 13 does not.
        assertEquals(2, CostModel.tapsPerPass(V3U, new ConvShape(8, 8, 16, 16, 12, 3, 3)));
        assertEquals(1, CostModel.tapsPerPass(V3U, new ConvShape(8, 8, 16, 16, 13, 3, 3)));
        // grouped (two groups of 3 -> 8): the groups already share the lanes
        assertEquals(1, CostModel.tapsPerPass(V3U, new ConvShape(8, 8, 16, 8, 3, 3, 3)));
        assertEquals(1, CostModel.tapsPerPass(V3U.withOverride("ex.zero_skip=on"), new ConvShape(8, 8, 32, 32, 3, 3, 3)));
        // mapping efficiency stays <= 1: 3 x 8 = 24 lanes of 24 used per pass
        ConvShape s = new ConvShape(24, 1, 24, 24, 3, 2, 4);
        long macs = 24L * 24 * 3 * 8;
        assertEquals(1.0, (double) macs / (CostModel.exMapped(V3U, s, ZeroBlocks.NONE) * CostModel.peakMacsPerCycle(V3U)), 1e-12);
    }
}
