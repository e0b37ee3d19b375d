package dev.cnnip.compiler.layer;

import dev.cnnip.compiler.ir.Node;

/**
 * Attributes of a Resize that the accelerator's nearest-neighbour upsampling must honour, with ONNX's
 * defaults ({@code nearest}, {@code half_pixel}, {@code round_prefer_floor}).
 *
 * @param mode                        ONNX {@code mode}
 * @param coordinateTransformationMode ONNX {@code coordinate_transformation_mode}
 * @param nearestMode                 ONNX {@code nearest_mode}
 */
public record ResizeAttrs(String mode, String coordinateTransformationMode, String nearestMode, float[] scales) {
    public static final ResizeAttrs DEFAULT = new ResizeAttrs("nearest", "half_pixel", "round_prefer_floor");

    /**
     * @param scales the node's {@code scales} per axis, or null when it gives {@code sizes} (ONNX Runtime then uses
     *               output size / input size, in float32, as the scale)
     */
    public ResizeAttrs {
        scales = scales == null ? null : scales.clone();
    }

    /** Attributes without explicit scales. */
    public ResizeAttrs(String mode, String coordinateTransformationMode, String nearestMode) {
        this(mode, coordinateTransformationMode, nearestMode, null);
    }

    @Override
    public float[] scales() {
        return scales == null ? null : scales.clone();
    }

    public static ResizeAttrs of(Node node) {
        return of(node, null);
    }

    /** The attributes of a Resize node with its constant {@code scales} input (null when it has none). */
    public static ResizeAttrs of(Node node, dev.cnnip.tensor.Tensor scales) {
        float[] s = null;
        if (scales != null && scales.size() > 0) {
            s = new float[scales.size()];
            for (int i = 0; i < s.length; i++) s[i] = scales.getFloat(i);
        }
        return new ResizeAttrs(node.attrString("mode", DEFAULT.mode),
                node.attrString("coordinate_transformation_mode", DEFAULT.coordinateTransformationMode),
                node.attrString("nearest_mode", DEFAULT.nearestMode), s);
    }

    /** The scale along {@code axis} as ONNX Runtime uses it: the given scale, else {@code out / in} in float32. */
    public float scale(int axis, int in, int out) {
        return scales != null ? scales[axis] : (float) out / (float) in;
    }

    /**
     * The input index of each of {@code out} output positions along an axis of {@code in} (ONNX Runtime's nearest
     * mapping in float32: the coordinate transformation, then the nearest mode, clamped to {@code [0, in − 1]}).
     */
    public int[] nearestIndices(int in, int out, float scale) {
        int[] idx = new int[out];
        for (int o = 0; o < out; o++) {
            float orig = original(o, in, out, scale);
            long i = switch (nearestMode) {
                case "floor" -> (long) Math.floor(orig);
                case "ceil" -> (long) Math.ceil(orig);
                case "round_prefer_ceil" -> roundHalfAway(orig);
                default -> orig == (float) (long) orig + 0.5f ? (long) Math.floor(orig) : roundHalfAway(orig);
            };
            idx[o] = (int) Math.max(0, Math.min(in - 1, i));
        }
        return idx;
    }

    /**
     * Linear interpolation along an axis as ONNX Runtime sets it up (float32): the original coordinate (the given
     * scale, clamped to {@code [0, in − 1]}), its two neighbours {@code i1 = min((int) x, in − 1)},
     * {@code i2 = min(i1 + 1, in − 1)} and the distances {@code d1 = |x − i1|}, {@code d2 = |x − i2|} (both 0.5 when
     * {@code i1 = i2}); neighbour i1 has weight d2, i2 weight d1.
     */
    public record LinearTaps(int[] i1, int[] i2, float[] d1, float[] d2) {}

    /** The linear taps of {@code out} output positions along an axis of {@code in}; see {@link LinearTaps}. */
    public LinearTaps linearTaps(int in, int out, float scale) {
        int[] i1 = new int[out];
        int[] i2 = new int[out];
        float[] d1 = new float[out];
        float[] d2 = new float[out];
        for (int o = 0; o < out; o++) {
            float x = scale == 1f ? o : original(o, in, out, scale);
            x = Math.max(0f, Math.min(x, (float) (in - 1)));
            i1[o] = Math.min((int) x, in - 1);
            i2[o] = Math.min(i1[o] + 1, in - 1);
            d1[o] = Math.abs(x - i1[o]);
            d2[o] = Math.abs(x - i2[o]);
            if (i1[o] == i2[o]) {
                d1[o] = 0.5f;
                d2[o] = 0.5f;
            }
        }
        return new LinearTaps(i1, i2, d1, d2);
    }

    /** ONNX Runtime's coordinate transformation of output position {@code o} (float32). */
    private float original(int o, int in, int out, float scale) {
        float x = o;
        return switch (coordinateTransformationMode) {
            case "asymmetric" -> x / scale;
            case "pytorch_half_pixel" -> out > 1 ? (x + 0.5f) / scale - 0.5f : 0f;
            case "tf_half_pixel_for_nn" -> (x + 0.5f) / scale;
            case "align_corners" -> out == 1 ? 0f : x * (float) (in - 1) / (float) (out - 1);
            case "half_pixel" -> (x + 0.5f) / scale - 0.5f;
            default -> throw new IllegalArgumentException("coordinate_transformation_mode " + coordinateTransformationMode
                    + " is not supported");
        };
    }

    /** C's {@code std::round}: halfway cases away from zero. */
    private static long roundHalfAway(float v) {
        return v >= 0 ? (long) Math.floor(v + 0.5) : -(long) Math.floor(-v + 0.5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResizeAttrs r && mode.equals(r.mode) && coordinateTransformationMode.equals(r.coordinateTransformationMode)
                && nearestMode.equals(r.nearestMode) && java.util.Arrays.equals(scales, r.scales);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mode, coordinateTransformationMode, nearestMode, java.util.Arrays.hashCode(scales));
    }
}
