package dev.cnnip.compiler.backend;

/** Tensor sizes of a pooling layer: NHWC input (n, ih, iw, c), NHWC output (n, oh, ow, c). */
public record PoolShape(int n, int ih, int iw, int c, int oh, int ow) {
}
