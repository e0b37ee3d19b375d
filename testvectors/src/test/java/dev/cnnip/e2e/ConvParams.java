package dev.cnnip.e2e;

import dev.cnnip.tensor.DType;
import java.util.SplittableRandom;

/**
 * One generated convolution: geometry, weight quantization and the activation folded into its output.
 *
 * @param oc         output channels
 * @param group      groups ({@code ic} for depthwise)
 * @param pads       {@code [top, left, bottom, right]}
 * @param wtype      weight type: INT8 (symmetric, zero point 0) or UINT8 (zero point {@code wzp})
 * @param perChannel one weight scale per output channel instead of one per tensor
 */
record ConvParams(int oc, int group, int kh, int kw, int sh, int sw, int dh, int dw, int[] pads, boolean bias,
                  Act act, DType wtype, boolean perChannel, int wzp) {

    /** What follows the convolution before its QuantizeLinear (QDQ form only). */
    enum Act {
        NONE,
        /** Relu, output zero point at the lowest code: ONNX Runtime removes the Relu. */
        RELU,
        /** Relu with the output zero point above the lowest code: ONNX Runtime keeps it (float path). */
        RELU_HIGH_ZP,
        /** Clip whose range is exactly the output's representable range: ONNX Runtime removes it. */
        CLIP_FULL,
        /** Clip inside the output's range: ONNX Runtime keeps it (float path). */
        CLIP_NARROW
    }

    /** How the channels are grouped. */
    enum Grouping { DENSE, DEPTHWISE, GROUPED }

    ConvParams {
        pads = pads.clone();
    }

    int spanH() {
        return (kh - 1) * dh + 1;
    }

    int spanW() {
        return (kw - 1) * dw + 1;
    }

    int outH(int ih) {
        return (ih + pads[0] + pads[2] - spanH()) / sh + 1;
    }

    int outW(int iw) {
        return (iw + pads[1] + pads[3] - spanW()) / sw + 1;
    }

    long macs(int ic, int ih, int iw) {
        return (long) outH(ih) * outW(iw) * oc * (ic / group) * kh * kw;
    }

    String describe(int ic, int ih, int iw) {
        return String.format("conv %dx%dx%d->%d k%dx%d s%d,%d d%d,%d p%d,%d,%d,%d g%d %s%s%s%s", ic, ih, iw, oc, kh, kw,
                sh, sw, dh, dw, pads[0], pads[1], pads[2], pads[3], group, wtype.shortName(),
                perChannel ? " per-channel" : " per-tensor", wtype == DType.UINT8 ? " wzp " + wzp : "",
                (bias ? " bias" : "") + (act == Act.NONE ? "" : " " + act.name().toLowerCase()));
    }

    /** Random geometry for an {@code ic × ih × iw} input; pads grow where the input is smaller than the kernel. */
    static ConvParams random(SplittableRandom rnd, int ic, int ih, int iw, Grouping grouping, int maxOc) {
        int[] kernels = {1, 3, 5, 7};
        int kh = kernels[rnd.nextInt(4)];
        int kw = rnd.nextInt(10) < 7 ? kh : kernels[rnd.nextInt(4)];
        int sh = 1 + rnd.nextInt(3);
        int sw = rnd.nextInt(10) < 7 ? sh : 1 + rnd.nextInt(3);
        int dh = kh > 1 && rnd.nextInt(4) == 0 ? 2 : 1;
        int dw = kw > 1 && rnd.nextInt(4) == 0 ? 2 : 1;
        int spanH = (kh - 1) * dh + 1;
        int spanW = (kw - 1) * dw + 1;
        int[] pads = new int[4];
        if (rnd.nextBoolean()) { // "same"-like, symmetric where the span allows
            pads[0] = pads[2] = (spanH - 1) / 2;
            pads[1] = pads[3] = (spanW - 1) / 2;
        } else { // asymmetric
            for (int i = 0; i < 4; i++) pads[i] = rnd.nextInt(Math.min(3, (i % 2 == 0 ? spanH : spanW) - 1) + 1);
        }
        if (ih + pads[0] + pads[2] < spanH) pads[2] = spanH - ih - pads[0];
        if (iw + pads[1] + pads[3] < spanW) pads[3] = spanW - iw - pads[1];
        int group;
        int oc;
        switch (grouping) {
            case DEPTHWISE -> {
                group = ic;
                oc = ic * (rnd.nextInt(4) == 0 ? 2 : 1);
            }
            case GROUPED -> {
                group = largestDivisorUpTo(ic, 2 + rnd.nextInt(3));
                int goc = Math.max(1, (1 + rnd.nextInt(maxOc)) / group);
                oc = group * goc;
            }
            default -> {
                group = 1;
                oc = 1 + rnd.nextInt(maxOc);
            }
        }
        return new ConvParams(oc, group, kh, kw, sh, sw, dh, dw, pads, rnd.nextInt(5) > 0, Act.NONE, DType.INT8,
                rnd.nextBoolean(), 0);
    }

    static int largestDivisorUpTo(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) if (n % d == 0) return d;
        return 1;
    }

    ConvParams withAct(Act a) {
        return new ConvParams(oc, group, kh, kw, sh, sw, dh, dw, pads, bias, a, wtype, perChannel, wzp);
    }

    ConvParams withWeights(DType type, boolean channelScales, int zeroPoint) {
        return new ConvParams(oc, group, kh, kw, sh, sw, dh, dw, pads, bias, act, type, channelScales, zeroPoint);
    }
}
