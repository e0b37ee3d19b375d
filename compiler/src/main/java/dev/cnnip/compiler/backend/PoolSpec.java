package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;

/** Max pooling of an NHWC tensor: input (n, ih, iw, c), output (n, oh, ow, c), window, strides, dilations, leading pads. */
record PoolSpec(TensorRef x, TensorRef y, int n, int ih, int iw, int c, int oh, int ow, int kh, int kw, int sh, int sw,
                int dh, int dw, int pt, int pl, ElemType dt) {}
