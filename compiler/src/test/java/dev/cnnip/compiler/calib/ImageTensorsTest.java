package dev.cnnip.compiler.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTensorsTest {
    @TempDir
    Path dir;

    /** A 2-wide, 3-high RGB image whose pixel (x, y) is (10x + y, 100 + 10x + y, 200 + 10x + y). */
    private Path rgb2x3() throws IOException {
        BufferedImage img = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 2; x++) img.setRGB(x, y, rgb(10 * x + y, 100 + 10 * x + y, 200 + 10 * x + y));
        }
        return write(img, "rgb.png");
    }

    static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private Path write(BufferedImage img, String name) throws IOException {
        Path p = dir.resolve(name);
        String format = name.substring(name.lastIndexOf('.') + 1);
        assertTrue(ImageIO.write(img, format, p.toFile()), "no writer for " + format);
        return p;
    }

    @Test
    void rgbNchwKeepsPixelsAtTheModelSize() throws IOException {
        Tensor t = ImageTensors.load(rgb2x3(), Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 3, 2));
        assertArrayEquals(new int[] {1, 3, 3, 2}, t.shape());
        // plane c, row y, column x at c*6 + y*2 + x
        assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112, 200, 210, 201, 211, 202, 212}, t.toFloatArray());
    }

    @Test
    void bgrNhwcWithMeanAndStd() throws IOException {
        Preprocess pp = Preprocess.parse("bgr,nhwc,mean=200:100:0,std=2");
        Tensor t = ImageTensors.load(rgb2x3(), pp, InputSpec.of("x", DType.FLOAT32, 1, 3, 2, 3));
        assertArrayEquals(new int[] {1, 3, 2, 3}, t.shape());
        // pixel (x=1, y=2): B 212, G 112, R 12 -> ((212-200)/2, (112-100)/2, (12-0)/2), at (y*2 + x)*3
        int at = (2 * 2 + 1) * 3;
        assertArrayEquals(new float[] {6, 6, 6}, Arrays.copyOfRange(t.toFloatArray(), at, at + 3));
        assertEquals(0f, t.getFloat(0));
    }

    @Test
    void rank3InputTakesTheImageWithoutBatch() throws IOException {
        Tensor t = ImageTensors.load(rgb2x3(), Preprocess.parse("scale=1/255"), InputSpec.of("x", DType.FLOAT32, 3, 3, 2));
        assertArrayEquals(new int[] {3, 3, 2}, t.shape());
        assertEquals(212 / 255f, t.getFloat(17), 1e-7);
    }

    @Test
    void greyFromColourIsBt601AndGreyPngIsReadAsStored() throws IOException {
        Tensor g = ImageTensors.load(rgb2x3(), Preprocess.parse("gray"), InputSpec.of("x", DType.FLOAT32, 1, 1, 3, 2));
        assertEquals((float) (0.299 * 12 + 0.587 * 112 + 0.114 * 212), g.getFloat(5), 1e-4);

        // Java's grey colour space is linear: getRGB would turn 128 into about 186. The raw sample must come through.
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
        Path p = write(grey, "grey.png");
        Tensor t = ImageTensors.load(p, Preprocess.parse("gray"), InputSpec.of("x", DType.FLOAT32, 1, 1, 1, 3));
        assertArrayEquals(new float[] {0, 128, 255}, t.toFloatArray());
        Tensor rgb = ImageTensors.load(p, Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 1, 3));
        assertArrayEquals(new float[] {0, 128, 255, 0, 128, 255, 0, 128, 255}, rgb.toFloatArray());
    }

    @Test
    void sixteenBitGreyIsScaledTo0To255() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 257 * 100});
        Tensor t = ImageTensors.load(write(grey, "grey16.png"), Preprocess.parse("gray"), InputSpec.of("x", DType.FLOAT32, 1, 1, 1, 2));
        assertArrayEquals(new float[] {255, 100}, t.toFloatArray());
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00_0A_14_1E); // fully transparent, colour kept
        img.setRGB(1, 0, 0x80_FF_00_7F);
        Tensor t = ImageTensors.load(write(img, "alpha.png"), Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 1, 2));
        assertArrayEquals(new float[] {10, 255, 20, 0, 30, 127}, t.toFloatArray());
    }

    @Test
    void bmpAndJpegDecode() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 16; i++) img.setRGB(i % 4, i / 4, rgb(90, 160, 30));
        Tensor bmp = ImageTensors.load(write(img, "flat.bmp"), Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 4, 4));
        assertEquals(90f, bmp.getFloat(0));
        assertEquals(30f, bmp.getFloat(47));
        Tensor jpg = ImageTensors.load(write(img, "flat.jpg"), Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 4, 4));
        // lossy, but a flat colour survives within a few levels
        assertEquals(160f, jpg.getFloat(16 + 5), 4f);
    }

    @Test
    void bilinearHalfPixelUpscale() throws IOException {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 100, 200, 250});
        Tensor t = ImageTensors.load(write(grey, "g.png"), Preprocess.parse("gray,resize=4x4"), InputSpec.of("x", DType.FLOAT32, 1, 1, -1, -1));
        assertArrayEquals(new int[] {1, 1, 4, 4}, t.shape());
        // source x for destination 0..3 is max(0, (x + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1.25 -> clamped to 1
        float[] want = new float[16];
        double[] f = {0, 0.25, 0.75, 1};
        double[][] s = {{0, 100}, {200, 250}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                double top = s[0][0] * (1 - f[x]) + s[0][1] * f[x];
                double bottom = s[1][0] * (1 - f[x]) + s[1][1] * f[x];
                want[y * 4 + x] = (float) (top * (1 - f[y]) + bottom * f[y]);
            }
        }
        assertArrayEquals(want, t.toFloatArray());
        assertEquals(115.625f, t.getFloat(1 * 4 + 2));
    }

    @Test
    void bilinearHalfDownscaleAveragesBlocks() throws IOException {
        BufferedImage grey = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {0, 10, 20, 30, 40, 50, 60, 70});
        Tensor t = ImageTensors.load(write(grey, "g.png"), Preprocess.parse("gray"), InputSpec.of("x", DType.FLOAT32, 1, 1, 1, 2));
        // half-pixel centres of a 2x shrink fall between source pixels: each output is a 2x2 block mean
        assertArrayEquals(new float[] {25, 45}, t.toFloatArray());
    }

    @Test
    void uint8InputGetsRoundedPixelsAndNoNormalisation() throws IOException {
        Tensor t = ImageTensors.load(rgb2x3(), Preprocess.parse("nhwc"), InputSpec.of("x", DType.UINT8, 1, 3, 2, 3));
        assertEquals(DType.UINT8, t.dtype());
        assertEquals(212, t.getLong(3 * 5 + 2));
        CalibrationDataException e = assertThrows(CalibrationDataException.class,
                () -> ImageTensors.load(rgb2x3(), Preprocess.parse("scale=1/255"), InputSpec.of("x", DType.UINT8, 1, 3, 3, 2)));
        assertEquals(dir.resolve("rgb.png") + ": input 'x' is uint8, which takes raw pixels; drop mean, std and scale from the preprocessing spec",
                e.getMessage());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path img = rgb2x3();
        InputSpec dynamic = new InputSpec("x", DType.FLOAT32, new int[] {-1, 3, -1, -1});
        assertEquals(img + ": input 'x' float32[?,3,?,?] has no fixed height and width; give resize=WxH in the preprocessing spec",
                message(() -> ImageTensors.load(img, Preprocess.DEFAULT, dynamic)));
        assertArrayEquals(new int[] {1, 3, 5, 7}, ImageTensors.load(img, Preprocess.parse("resize=7x5"), dynamic).shape());
        assertEquals(img + ": shape [1,1,3,2] does not fit input 'x' float32[1,3,3,2]",
                message(() -> ImageTensors.load(img, Preprocess.parse("gray"), InputSpec.of("x", DType.FLOAT32, 1, 3, 3, 2))));
        assertEquals(img + ": input 'x' is int64; images feed float32 or uint8 inputs",
                message(() -> ImageTensors.load(img, Preprocess.DEFAULT, InputSpec.of("x", DType.INT64, 1, 3, 3, 2))));
        assertEquals(img + ": input 'x' float32[1,6] is not an image input ([1,C,H,W] or [1,H,W,C])",
                message(() -> ImageTensors.load(img, Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 6))));

        Path garbage = dir.resolve("garbage.png");
        Files.writeString(garbage, "not an image");
        assertEquals(garbage + ": cannot decode the image: not a PNG, JPEG or BMP file",
                message(() -> ImageTensors.load(garbage, Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 3, 2))));
        Path truncated = dir.resolve("truncated.png");
        byte[] whole = Files.readAllBytes(img);
        Files.write(truncated, Arrays.copyOf(whole, 40));
        String m = message(() -> ImageTensors.load(truncated, Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 3, 2)));
        assertTrue(m.startsWith(truncated + ": cannot decode the image: "), m);
        assertEquals(dir.resolve("none.png") + ": no such file",
                message(() -> ImageTensors.load(dir.resolve("none.png"), Preprocess.DEFAULT, InputSpec.of("x", DType.FLOAT32, 1, 3, 3, 2))));
    }

    static String message(Runnable r) {
        CalibrationDataException e = assertThrows(CalibrationDataException.class, r::run);
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void astronautForYunet() {
        Path png = TestData.require("images/astronaut.png");
        InputSpec input = InputSpec.of(OnnxModels.load(TestData.require("models/yunet-n-320-float.onnx"))).values().iterator().next();
        Tensor bgr = ImageTensors.load(png, Preprocess.parse("resize=320x320,bgr,mean=0,std=1"), input);
        assertEquals(DType.FLOAT32, bgr.dtype());
        assertArrayEquals(new int[] {1, 3, 320, 320}, bgr.shape());
        float[] v = bgr.toFloatArray();
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        double[] mean = new double[3];
        for (int i = 0; i < v.length; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
            mean[i / (320 * 320)] += v[i] / (320 * 320);
        }
        assertTrue(lo >= 0 && hi <= 255, lo + ".." + hi);
        assertTrue(hi > 250 && lo < 5, "a real photograph spans the range: " + lo + ".." + hi);
        Tensor rgb = ImageTensors.load(png, Preprocess.parse("resize=320x320"), input);
        float[] r = rgb.toFloatArray();
        int plane = 320 * 320;
        assertArrayEquals(Arrays.copyOfRange(r, 2 * plane, 3 * plane), Arrays.copyOfRange(v, 0, plane), "B of bgr is B of rgb");
        System.out.printf("astronaut.png -> %s, values %.1f..%.1f, channel means B %.2f G %.2f R %.2f%n",
                bgr, lo, hi, mean[0], mean[1], mean[2]);
    }
}
