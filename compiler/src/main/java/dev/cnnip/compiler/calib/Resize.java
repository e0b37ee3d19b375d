package dev.cnnip.compiler.calib;

/**
 * Bilinear resize of one channel plane with half-pixel centres, as OpenCV's {@code INTER_LINEAR}
 * (and ONNX {@code Resize} with {@code coordinate_transformation_mode=half_pixel}, linear):
 * destination pixel {@code x} samples source position {@code sx = (x + 0.5) · srcW / dstW − 0.5},
 * clamped to {@code [0, srcW − 1]}; the value is the bilinear blend of the four neighbours. There is no
 * anti-aliasing when shrinking (OpenCV's {@code INTER_AREA} would average). Computed in float64 and
 * rounded once to float32, without rounding to 8 bits, so results can differ from OpenCV's fixed-point
 * 8-bit resize by less than one grey level. Deterministic: the same input gives the same bits.
 */
final class Resize {
    private Resize() {}

    /**
     * @param src  row-major plane of {@code sw × sh} values
     * @return the row-major plane of {@code dw × dh} values ({@code src} itself when the size is unchanged)
     */
    static float[] bilinear(float[] src, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) return src;
        int[] x0 = new int[dw];
        int[] x1 = new int[dw];
        double[] fx = new double[dw];
        taps(sw, dw, x0, x1, fx);
        int[] y0 = new int[dh];
        int[] y1 = new int[dh];
        double[] fy = new double[dh];
        taps(sh, dh, y0, y1, fy);
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            int r0 = y0[y] * sw;
            int r1 = y1[y] * sw;
            double wy = fy[y];
            for (int x = 0; x < dw; x++) {
                double wx = fx[x];
                double top = src[r0 + x0[x]] * (1 - wx) + src[r0 + x1[x]] * wx;
                double bottom = src[r1 + x0[x]] * (1 - wx) + src[r1 + x1[x]] * wx;
                out[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }

    /** Source neighbours and weight of the second one, per destination index. */
    private static void taps(int in, int out, int[] i0, int[] i1, double[] frac) {
        double ratio = (double) in / out;
        for (int d = 0; d < out; d++) {
            double s = Math.max(0, (d + 0.5) * ratio - 0.5);
            int lo = Math.min((int) s, in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            frac[d] = lo == in - 1 ? 0 : s - lo;
        }
    }
}
