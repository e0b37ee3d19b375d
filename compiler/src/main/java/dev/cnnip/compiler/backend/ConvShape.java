package dev.cnnip.compiler.backend;

/**
 * Tensor sizes of a convolution: NHWC input (n, ih, iw, ic), NHWC output (n, oh, ow, oc), and the channel
 * groups (ic and oc divisible by {@code groups}).
 */
public record ConvShape(int n, int ih, int iw, int ic, int oh, int ow, int oc, int groups) {
    public ConvShape {
        if (n < 1 || ih < 1 || iw < 1 || ic < 1 || oh < 1 || ow < 1 || oc < 1) {
            throw new IllegalArgumentException("convolution sizes must be positive");
        }
        if (groups < 1 || ic % groups != 0 || oc % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + ic + " input and " + oc + " output channels");
        }
    }
}
