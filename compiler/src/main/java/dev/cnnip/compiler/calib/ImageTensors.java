package dev.cnnip.compiler.calib;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * One image file as an input tensor, by a {@link Preprocess} spec: decode (PNG, JPEG, BMP with
 * {@code javax.imageio}), drop alpha, reorder or grey the channels, resize ({@link Resize}: bilinear,
 * half-pixel centres), normalise, and lay out as {@code [1,C,H,W]} or {@code [1,H,W,C]} ({@code [C,H,W]}
 * or {@code [H,W,C]} for an input of rank 3).
 *
 * <p>The target size is the spec's {@code resize=WxH}, else the input's height and width. A float32
 * input receives the normalised values; a uint8 input receives the resized pixels rounded half to even,
 * and then the spec must not normalise. The result is checked against the input (element type, shape).
 */
public final class ImageTensors {
    /** File name extensions read as images, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private ImageTensors() {}

    /** Whether the file name ends in one of {@link #EXTENSIONS} (any case). */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The image in {@code file} as a tensor for {@code input}.
     *
     * @throws CalibrationDataException naming the file: missing, not decodable, an input whose size is
     *     unknown and no {@code resize}, an input of rank other than 3 or 4 or of a type images cannot
     *     feed, or a result that does not fit the input (say 1 grey channel for 3)
     */
    public static Tensor load(Path file, Preprocess pp, InputSpec input) {
        if (!Files.isRegularFile(file)) throw new CalibrationDataException(file + ": no such file");
        int[] shape = input.shape();
        int rank = shape == null ? 4 : shape.length;
        if (rank != 3 && rank != 4) {
            throw new CalibrationDataException(file + ": input '" + input.name() + "' " + input.describe()
                    + " is not an image input ([1,C,H,W] or [1,H,W,C])");
        }
        boolean nchw = pp.layout() == Preprocess.Layout.NCHW;
        int hAxis = rank - (nchw ? 2 : 3);
        int height = pp.hasSize() ? pp.height() : shape == null ? -1 : shape[hAxis];
        int width = pp.hasSize() ? pp.width() : shape == null ? -1 : shape[hAxis + 1];
        if (height <= 0 || width <= 0) {
            throw new CalibrationDataException(file + ": input '" + input.name() + "' " + input.describe()
                    + " has no fixed height and width; give resize=WxH in the preprocessing spec");
        }
        boolean bytes = input.dtype() == DType.UINT8;
        if (!bytes && input.dtype() != DType.FLOAT32) {
            throw new CalibrationDataException(file + ": input '" + input.name() + "' is " + input.dtype().shortName()
                    + "; images feed float32 or uint8 inputs");
        }
        if (bytes && !pp.isIdentity()) {
            throw new CalibrationDataException(file + ": input '" + input.name()
                    + "' is uint8, which takes raw pixels; drop mean, std and scale from the preprocessing spec");
        }
        Pixels px = decode(file);
        float[][] planes = channels(px, pp.color());
        int c = planes.length;
        for (int k = 0; k < c; k++) planes[k] = Resize.bilinear(planes[k], px.width, px.height, width, height);

        int[] outShape = nchw ? new int[] {1, c, height, width} : new int[] {1, height, width, c};
        if (rank == 3) outShape = new int[] {outShape[1], outShape[2], outShape[3]};
        int plane = width * height;
        Tensor t = Tensor.zeros(bytes ? DType.UINT8 : DType.FLOAT32, outShape);
        ByteBuffer out = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < c; k++) {
            for (int p = 0; p < plane; p++) {
                int at = nchw ? k * plane + p : p * c + k;
                float v = planes[k][p];
                if (bytes) {
                    out.put(at, (byte) Math.max(0, Math.min(255, Math.rint(v))));
                } else {
                    out.putFloat(at * 4, (float) pp.normalize(v, k));
                }
            }
        }
        ItemCheck.fits(t, input, file.toString());
        return t;
    }

    /** Decoded pixels, 0..255: one grey plane or R, G, B planes, row-major. */
    record Pixels(int width, int height, float[][] planes) {}

    /** Decodes a file to 0..255 planes; alpha is dropped. */
    static Pixels decode(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // Decoders throw assorted runtime exceptions on corrupt data; all mean the same to the user.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new CalibrationDataException(file + ": cannot decode the image: " + why, e);
        }
        if (img == null) {
            throw new CalibrationDataException(file + ": cannot decode the image: not a PNG, JPEG or BMP file");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int colours = cm.getNumColorComponents();
        boolean indexed = cm instanceof IndexColorModel;
        // Grey and sRGB samples are read from the raster as stored: getRGB would pass 8-bit grey through
        // Java's linear grey colour space and change the values.
        if (!indexed && colours == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return new Pixels(w, h, new float[][] {band(r, 0, cm.getComponentSize(0), w, h)});
        }
        if (!indexed && colours == 3 && cm.getColorSpace().isCS_sRGB()) {
            float[][] rgb = new float[3][];
            for (int b = 0; b < 3; b++) rgb[b] = band(r, b, cm.getComponentSize(b), w, h);
            return new Pixels(w, h, rgb);
        }
        // Palettes and other colour spaces: let Java convert to 8-bit sRGB.
        float[][] rgb = new float[3][w * h];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            rgb[0][i] = (argb[i] >>> 16) & 0xFF;
            rgb[1][i] = (argb[i] >>> 8) & 0xFF;
            rgb[2][i] = argb[i] & 0xFF;
        }
        return new Pixels(w, h, rgb);
    }

    private static float[] band(Raster r, int b, int bits, int w, int h) {
        int[] s = r.getSamples(0, 0, w, h, b, (int[]) null);
        float[] out = new float[s.length];
        double k = bits == 8 ? 1 : 255.0 / ((1L << bits) - 1);
        for (int i = 0; i < s.length; i++) out[i] = (float) (s[i] * k);
        return out;
    }

    /** The output channel planes in order: R,G,B or B,G,R (grey repeated), or one BT.601 grey plane. */
    private static float[][] channels(Pixels px, Preprocess.Color color) {
        float[][] p = px.planes;
        if (color == Preprocess.Color.GRAY) {
            if (p.length == 1) return new float[][] {p[0]};
            float[] y = new float[p[0].length];
            for (int i = 0; i < y.length; i++) y[i] = (float) (0.299 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i]);
            return new float[][] {y};
        }
        float[] red = p[0];
        float[] green = p.length == 1 ? p[0] : p[1];
        float[] blue = p.length == 1 ? p[0] : p[2];
        return color == Preprocess.Color.RGB ? new float[][] {red, green, blue} : new float[][] {blue, green, red};
    }
}
