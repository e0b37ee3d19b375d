package dev.cnnip.emulator.timing;

/**
 * The all-zero weight blocks EX skips in one {@code ex.conv} ({@code ex.zero_skip=on}), in the units of
 * the cost model: block model (output block, input block, tap) triples, or (channel block, tap) pairs in
 * the depthwise mode ({@link CostModel#blockUnits}); {@code systolic-ws} weight folds
 * ({@link CostModel#wsFolds}). A weight is zero when it equals its channel's zero point.
 *
 * @param skippedUnits units skipped, {@code >= 0} and at most the tile's units
 * @param skippedMacs  multiply-accumulates of the skipped units (output pixels × their weights), {@code >= 0}
 */
public record ZeroBlocks(long skippedUnits, long skippedMacs) {
    /** Nothing skipped. */
    public static final ZeroBlocks NONE = new ZeroBlocks(0, 0);

    public ZeroBlocks {
        if (skippedUnits < 0 || skippedMacs < 0) throw new IllegalArgumentException("negative skipped work");
    }
}
