package dev.cnnip.compiler.calib;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How an image becomes an input tensor: size, channel order, normalisation and layout. Pixels are
 * 0..255 (8-bit images; 16-bit images are scaled to that range); the result is float32 ({@link
 * ImageTensors} gives uint8 inputs the rounded pixels).
 *
 * <p>Spec grammar ({@link #parse}), items separated by commas, in any order, each at most once,
 * case-insensitive, spaces ignored; the empty spec means all defaults:
 * <pre>
 * item  = "resize=" W "x" H      resize to W×H pixels        (default: the model input's H×W)
 *       | "rgb" | "bgr" | "gray" channel order, or one grey channel (default rgb)
 *       | "mean=" list           value = (pixel − mean[c]) / std[c]
 *       | "std=" list              (defaults mean 0, std 1: the raw 0..255 pixel)
 *       | "scale=" num           value = pixel · scale       (not together with mean/std)
 *       | "nchw" | "nhwc"        tensor layout               (default nchw)
 * list  = num { ":" num }        one value for every channel, or one per channel in the
 *                                order of the tensor's channels (so B:G:R after bgr)
 * num   = decimal [ "/" decimal ] e.g. 127.5 or 1/255
 * </pre>
 * Examples: {@code "resize=320x320,bgr,mean=0,std=1"}, {@code "rgb,mean=127,std=128"},
 * {@code "scale=1/255,gray"}, {@code "mean=123.675:116.28:103.53,std=58.395:57.12:57.375"}.
 *
 * <p>Grey from colour is {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as OpenCV's
 * {@code COLOR_RGB2GRAY}); colour from grey repeats the grey value; alpha is dropped. Normalisation is
 * computed in float64 and rounded once to float32.
 *
 * @param width  target width in pixels, 0 for the model input's width
 * @param height target height in pixels, 0 for the model input's height
 * @param mean   per-channel (or one shared) mean; ignored when {@code scale} is set
 * @param std    per-channel (or one shared) standard deviation, each &gt; 0
 * @param scale  the factor of {@code pixel · scale}, or 0 when mean/std apply
 */
public record Preprocess(int width, int height, Color color, double[] mean, double[] std, double scale, Layout layout) {
    /** Channel order of the tensor. */
    public enum Color {
        RGB(3), BGR(3), GRAY(1);

        private final int channels;

        Color(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }

    /** Tensor layout: channels before rows ({@code [1,C,H,W]}) or last ({@code [1,H,W,C]}). */
    public enum Layout { NCHW, NHWC }

    /** No resize beyond the model's size, RGB, raw 0..255 values, NCHW. */
    public static final Preprocess DEFAULT = new Preprocess(0, 0, Color.RGB, new double[] {0}, new double[] {1}, 0, Layout.NCHW);

    private static final String ITEMS = "resize=WxH, rgb, bgr, gray, mean=, std=, scale=, nchw, nhwc";

    public Preprocess {
        mean = mean.clone();
        std = std.clone();
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("resize " + width + "x" + height + " is not a size");
        }
        for (double[] list : new double[][] {mean, std}) {
            if (list.length != 1 && list.length != color.channels()) {
                throw new IllegalArgumentException(list.length + " mean/std values for " + color.channels() + " channels");
            }
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Parses a spec (grammar in the class comment).
     *
     * @throws CalibrationDataException naming the spec and the item at fault: an unknown item, a value
     *     that is not a positive finite number, an item given twice, two colour orders or layouts,
     *     {@code scale} with {@code mean}/{@code std}, or more mean/std values than channels
     */
    public static Preprocess parse(String spec) {
        int w = 0;
        int h = 0;
        Color color = null;
        Layout layout = null;
        double[] mean = null;
        double[] std = null;
        double scale = 0;
        Set<String> seen = new HashSet<>();
        for (String raw : spec.split(",", -1)) {
            String item = raw.replace(" ", "").toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                if (spec.isBlank()) continue;
                throw bad(spec, "an empty item");
            }
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            String group = switch (key) {
                case "rgb", "bgr", "gray" -> "colour order";
                case "nchw", "nhwc" -> "layout";
                default -> key;
            };
            boolean wantsValue = key.equals("resize") || key.equals("mean") || key.equals("std") || key.equals("scale");
            boolean known = wantsValue || group.equals("colour order") || group.equals("layout");
            if (!known) throw bad(spec, "unknown item '" + raw.trim() + "' (items: " + ITEMS + ")");
            if (!seen.add(group)) throw bad(spec, "the " + group + " is given twice");
            if (wantsValue && (value == null || value.isEmpty())) throw bad(spec, "'" + key + "' needs a value, as in " + key + "=…");
            if (!wantsValue && value != null) throw bad(spec, "'" + key + "' takes no value");
            switch (key) {
                case "rgb" -> color = Color.RGB;
                case "bgr" -> color = Color.BGR;
                case "gray" -> color = Color.GRAY;
                case "nchw" -> layout = Layout.NCHW;
                case "nhwc" -> layout = Layout.NHWC;
                case "resize" -> {
                    String[] wh = value.split("x", -1);
                    if (wh.length != 2) throw bad(spec, "resize=" + value + " is not WxH, e.g. resize=320x240");
                    w = positiveInt(spec, "resize width", wh[0]);
                    h = positiveInt(spec, "resize height", wh[1]);
                }
                case "mean" -> mean = list(spec, "mean", value, false);
                case "std" -> std = list(spec, "std", value, true);
                case "scale" -> scale = number(spec, "scale", value, true);
                default -> throw new IllegalStateException(key);
            }
        }
        if (scale != 0 && (mean != null || std != null)) throw bad(spec, "scale cannot be combined with mean/std");
        color = color == null ? Color.RGB : color;
        mean = mean == null ? new double[] {0} : mean;
        std = std == null ? new double[] {1} : std;
        for (double[] list : new double[][] {mean, std}) {
            if (list.length != 1 && list.length != color.channels()) {
                throw bad(spec, list.length + " mean/std values for " + color.channels() + " channel"
                        + (color.channels() == 1 ? "" : "s") + " (give one, or one per channel)");
            }
        }
        return new Preprocess(w, h, color, mean, std, scale, layout == null ? Layout.NCHW : layout);
    }

    /** Whether a resize size was given (else the model input's size applies). */
    public boolean hasSize() {
        return width > 0;
    }

    /** Whether values are the raw pixels (no mean/std/scale), which integer inputs require. */
    public boolean isIdentity() {
        return scale == 0 && Arrays.stream(mean).allMatch(m -> m == 0) && Arrays.stream(std).allMatch(s -> s == 1);
    }

    /** The normalised value of a pixel (0..255) of output channel {@code c}, in float64. */
    public double normalize(double pixel, int c) {
        if (scale != 0) return pixel * scale;
        return (pixel - mean[mean.length == 1 ? 0 : c]) / std[std.length == 1 ? 0 : c];
    }

    /** The canonical spec, which {@link #parse} reads back to an equal value. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (hasSize()) sb.append("resize=").append(width).append('x').append(height).append(',');
        sb.append(color.name().toLowerCase(Locale.ROOT)).append(',');
        if (scale != 0) {
            sb.append("scale=").append(scale);
        } else {
            sb.append("mean=").append(join(mean)).append(",std=").append(join(std));
        }
        return sb.append(',').append(layout.name().toLowerCase(Locale.ROOT)).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocess p && width == p.width && height == p.height && color == p.color
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std) && scale == p.scale && layout == p.layout;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(':');
            sb.append(v[i] == Math.rint(v[i]) && Math.abs(v[i]) < 1e15 ? Long.toString((long) v[i]) : Double.toString(v[i]));
        }
        return sb.toString();
    }

    private static double[] list(String spec, String key, String value, boolean positive) {
        String[] parts = value.split(":", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = number(spec, key, parts[i], positive);
        return out;
    }

    private static double number(String spec, String key, String text, boolean positive) {
        double v;
        try {
            int slash = text.indexOf('/');
            v = slash < 0 ? decimal(text) : decimal(text.substring(0, slash)) / decimal(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw bad(spec, key + "=" + text + " is not a number (decimal, or a fraction such as 1/255)");
        }
        if (!Double.isFinite(v) || (positive && !(v > 0))) {
            throw bad(spec, key + "=" + text + " must be a finite number" + (positive ? " > 0" : ""));
        }
        return v;
    }

    /** A plain decimal; rejects the words Java would accept (NaN, Infinity) and hex or type suffixes. */
    private static double decimal(String s) {
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) throw new NumberFormatException(s);
        return Double.parseDouble(s);
    }

    private static int positiveInt(String spec, String what, String text) {
        try {
            int v = Integer.parseInt(text);
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(spec, what + " '" + text + "' is not a positive whole number");
    }

    private static CalibrationDataException bad(String spec, String problem) {
        return new CalibrationDataException("preprocessing spec '" + spec + "': " + problem);
    }
}
