package dev.cnnip.emulator.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.hw.HwConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code ex.tap_pack}: the input-channel lanes fed from the flattened (tap, channel) reduction, figures worked out
 * by hand.
 */
class TapPackTest {
    private static final HwConfig V3U = HwConfig.preset("v3u-like"); // mac.ic = mac.oc = mac.px = 24

    @Test
    void rgbFirstLayerPacksEightTapsPerPass() {
        // mobilenetv2 layer 1: 3 -> 32 channels, 3x3, 112x112 outputs. K = 9 x 3 = 27 -> ceil(27 / 24) = 2
        // passes; ceil(32 / 24) = 2 output blocks: 4 units (18 without packing).
        ConvShape s = new ConvShape(112, 112, 32, 32, 3, 3, 3);
        assertEquals(2, CostModel.reductionPasses(V3U, s));
        assertEquals(4, CostModel.blockUnits(V3U, s));
        assertEquals(18, CostModel.blockUnits(V3U.withOverride("ex.tap_pack=off"), s));
        // pixel steps ceil(12544 / 24) = 523: 523 x 4 = 2092 compute cycles
        assertEquals(523L * 4, CostModel.exCompute(V3U, s));
        // resnet50 conv1: 3 -> 64, 7x7: K = 147 -> 7 passes x ceil(64 / 24) = 3 output blocks = 21 (147 without)
        ConvShape r = new ConvShape(112, 112, 64, 64, 3, 7, 7);
        assertEquals(21, CostModel.blockUnits(V3U, r));
        assertEquals(147, CostModel.blockUnits(V3U.withOverride("ex.tap_pack=off"), r));
    }

    @Test
    void channelsThatDoNotFillTheLanesShareThemWithTheNextTap() {
        // the demo's relu2: 16 -> 32, 3x3. Per tap 16 of 24 lanes: 9 passes; flattened K = 144 = 6 x 24.
        ConvShape s = new ConvShape(16, 32, 32, 32, 16, 3, 3);
        assertTrue(CostModel.flattensTaps(V3U, s));
        assertEquals(6, CostModel.reductionPasses(V3U, s));
        assertEquals(9, CostModel.reductionPasses(V3U.withOverride("ex.tap_pack=off"), s));
        // 2 output blocks x 6 passes x ceil(512 / 24) = 22 pixel steps
        assertEquals(2L * 6 * 22, CostModel.exCompute(V3U, s));
        // 32 channels (2 input blocks of 24 + 8 per tap, 18 passes): K = 288 = 12 x 24
        assertEquals(12, CostModel.reductionPasses(V3U, new ConvShape(8, 8, 32, 32, 32, 3, 3)));
        // 13 channels: ceil(117 / 24) = 5 (9 without)
        assertEquals(5, CostModel.reductionPasses(V3U, new ConvShape(8, 8, 16, 16, 13, 3, 3)));
    }

    @Test
    void notForFullLanesPointwiseGroupsOrZeroSkipping() {
        // 48 channels fill two input blocks exactly: nothing to pack
        assertFalse(CostModel.flattensTaps(V3U, new ConvShape(8, 8, 16, 16, 48, 3, 3)));
        assertEquals(18, CostModel.reductionPasses(V3U, new ConvShape(8, 8, 16, 16, 48, 3, 3)));
        // 1x1: one tap
        assertFalse(CostModel.flattensTaps(V3U, new ConvShape(8, 8, 16, 16, 13, 1, 1)));
        // grouped (two groups of 3 -> 8): the groups already share the lanes
        assertFalse(CostModel.flattensTaps(V3U, new ConvShape(8, 8, 16, 8, 3, 3, 3)));
        assertFalse(CostModel.flattensTaps(V3U.withOverride("ex.zero_skip=on"), new ConvShape(8, 8, 32, 32, 3, 3, 3)));
        assertEquals(9, CostModel.reductionPasses(V3U.withOverride("ex.zero_skip=on"), new ConvShape(8, 8, 32, 32, 3, 3, 3)));
        // mapping efficiency stays <= 1: 3 x 8 = 24 lanes of 24 used per pass
        ConvShape s = new ConvShape(24, 1, 24, 24, 3, 2, 4);
        long macs = 24L * 24 * 3 * 8;
        assertEquals(1.0, (double) macs / (CostModel.exMapped(V3U, s, ZeroBlocks.NONE) * CostModel.peakMacsPerCycle(V3U)), 1e-12);
    }
}
