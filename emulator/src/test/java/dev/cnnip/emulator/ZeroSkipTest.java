package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.hw.HwConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ex.zero_skip}: EX skips all-zero weight blocks of the array's size. The expected cycles come
 * from counting the zero blocks the test itself planted, not from the simulator.
 */
class ZeroSkipTest {
    // tiny: 4x4x4 MAC lanes, 4x4 systolic array. Conv 6x6x8 -> 4x4x8, 3x3 kernel: 2 output blocks x
    // 2 input blocks x 9 taps = 36 blocks of 4x4 weights (systolic-ws: 18 row folds of 4 x 2 column folds,
    // the same 4x4 blocks since a tap's 8 channels are two folds of 4 rows).
    private static final int OC = 8, IC = 8, K = 3, OH = 4, IH = 6;
    private static final String CONV = Elements.sets("ex", "ih", IH, "iw", IH, "ic", IC, "oh", OH, "ow", OH, "oc", OC,
            "kh", K, "kw", K, "gic", IC, "goc", OC) + "ex.conv x=0 w=0x1000 acc=0x2000 xt=u8 wt=s8";

    /** Weights {@code [o][ky][kx][c]} with the blocks (ob, ib, tap) where {@code zero[..]} is true all zero. */
    private static byte[] weights(boolean[][][] zero, Random rnd) {
        byte[] w = new byte[OC * K * K * IC];
        for (int o = 0; o < OC; o++) {
            for (int t = 0; t < K * K; t++) {
                for (int c = 0; c < IC; c++) {
                    w[(o * K * K + t) * IC + c] = zero[o / 4][c / 4][t] ? 0 : (byte) (1 + rnd.nextInt(100));
                }
            }
        }
        return w;
    }

    private static Machine run(HwConfig hw, byte[] x, byte[] w) {
        return new TestPrograms.SramSetup(hw).put(0, x).put(0x1000, w).run("ex", CONV, false);
    }

    /** The conv's duration: EX busy minus its SET and SYNC instructions (1 cycle each). */
    private static long convCycles(Machine m) {
        var ex = m.perfReport().engines().get(2);
        return ex.busy() - (ex.instructions() - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "systolic-ws"})
    void halfTheBlocksZeroTakeFewerCyclesAndGiveTheSameAccumulators(String model) {
        Random rnd = new Random(5);
        boolean[][][] zero = new boolean[2][2][K * K];
        int zeros = 0;
        for (int ob = 0; ob < 2; ob++) {
            for (int ib = 0; ib < 2; ib++) {
                for (int t = 0; t < K * K; t++) {
                    zero[ob][ib][t] = (ob + ib + t) % 2 == 0;
                    if (zero[ob][ib][t]) zeros++;
                }
            }
        }
        assertEquals(18, zeros);
        byte[] w = weights(zero, rnd);
        byte[] x = TestPrograms.random(rnd, IH * IH * IC);
        HwConfig base = TestPrograms.TINY.withOverride("sram.bytes_per_cycle=4096").withOverride("ex.model=" + model);
        Machine off = run(base, x, w);
        Machine on = run(base.withOverride("ex.zero_skip=on"), x, w);

        long perUnit = model.equals("block") ? 4 /* ceil(16 px / 4 lanes) */ : 2 * 4 + 4 + 16 - 2 /* WS fold */;
        assertEquals(base.exFill() + 36 * perUnit, convCycles(off));
        assertEquals(base.exFill() + (36 - zeros) * perUnit, convCycles(on));
        // Skipping changes time, never values.
        assertArrayEquals(acc(off), acc(on));
        LayerStats totalOn = on.perfReport().total();
        assertEquals((long) OH * OH * OC * K * K * IC, totalOn.macs());
        assertEquals((long) zeros * OH * OH * 4 * 4, totalOn.skippedMacs());
        assertEquals(0, off.perfReport().total().skippedMacs());
        assertEquals(List.of(), dev.cnnip.emulator.timing.PerfInvariants.violations(on.perfReport()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"systolic-os", "systolic-is"})
    void streamingDataflowsSkipNothing(String model) {
        Random rnd = new Random(6);
        boolean[][][] zero = new boolean[2][2][K * K];
        zero[0][0][0] = true;
        byte[] w = weights(zero, rnd);
        byte[] x = TestPrograms.random(rnd, IH * IH * IC);
        HwConfig base = TestPrograms.TINY.withOverride("ex.model=" + model);
        assertEquals(convCycles(run(base, x, w)), convCycles(run(base.withOverride("ex.zero_skip=on"), x, w)));
    }

    private static byte[] acc(Machine m) {
        byte[] out = new byte[OH * OH * OC * 4];
        m.state().sram.read(0x2000, out, 0, out.length);
        return out;
    }
}
