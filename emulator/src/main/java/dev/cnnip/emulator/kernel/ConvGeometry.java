package dev.cnnip.emulator.kernel;

/**
 * The validated geometry of one grouped 2-D convolution tile (the {@code ex.conv} registers): input
 * {@code ih × iw × ic} (HWC), output {@code oh × ow × oc}, kernel {@code kh × kw}, strides {@code sh, sw},
 * dilations {@code dh, dw}, top/left padding {@code pt, pl}, {@code gic} input channels per group and
 * {@code goc} output channels per group (the last group may be smaller). All counts are {@code >= 0},
 * strides, dilations, {@code gic} and {@code goc} {@code >= 1}, {@code ceil(oc/goc)·gic <= ic}, and every
 * tile size fits an int.
 */
public record ConvGeometry(int ih, int iw, int ic, int oh, int ow, int oc, int kh, int kw, int sh, int sw, int dh,
                           int dw, int pt, int pl, int gic, int goc) {
    /** {@code ceil(oc / goc)}. */
    public int groups() {
        return (int) ((oc + (long) goc - 1) / goc);
    }

    /** Kernel taps {@code kh · kw}. */
    public int taps() {
        return kh * kw;
    }
}
