package dev.cnnip.emulator.exec;

/**
 * The geometry of one {@code ex.conv} instruction, as the timing model needs it: output pixels
 * {@code oh × ow}, {@code oc} output channels in groups of {@code goc} (the last group may be smaller),
 * {@code gic} input channels reduced per group and a {@code kh × kw} kernel. All values {@code >= 0},
 * {@code goc >= 1}.
 */
public record ConvShape(int oh, int ow, int oc, int goc, int gic, int kh, int kw) {
    /** Number of groups touched by the tile: {@code ceil(oc / goc)}. */
    public int groups() {
        return (int) ((oc + (long) goc - 1) / goc);
    }

    /** Output channels of group {@code g} in the tile: {@code min(goc, oc − g·goc)}. */
    public int groupChannels(int g) {
        return (int) Math.min(goc, oc - (long) g * goc);
    }

    /** Output pixels {@code oh · ow}. */
    public long pixels() {
        return (long) oh * ow;
    }
}
