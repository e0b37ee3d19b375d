package dev.cnnip.compiler.calib;

import static dev.cnnip.compiler.calib.ImageTensorsTest.message;
import static dev.cnnip.compiler.calib.ImageTensorsTest.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationDataTest {
    private static final InputSpec X = InputSpec.of("x", DType.FLOAT32, 1, 1, 2, 2);
    private static final Map<String, InputSpec> ONE = Map.of("x", X);

    @TempDir
    Path dir;

    /** A tensor of the given shape whose element i is {@code base + i}. */
    private static Tensor ramp(DType dtype, float base, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, base + i);
        return t;
    }

    private Path npy(String name, Tensor t) throws IOException {
        Path p = dir.resolve(name);
        Npy.write(p, t);
        return p;
    }

    private Path png(Path folder, String name, int grey) throws IOException {
        Files.createDirectories(folder);
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 4; i++) img.setRGB(i % 2, i / 2, rgb(grey, grey, grey));
        Path p = folder.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void imageFolderInFileNameOrderOtherFilesIgnored() throws IOException {
        Path imgs = dir.resolve("imgs");
        png(imgs, "b.png", 20);
        png(imgs, "a.png", 10);
        png(imgs, "c.PNG", 30);
        Files.writeString(imgs.resolve("README.txt"), "not data");
        Files.writeString(imgs.resolve(".hidden.png"), "ignored");
        CalibrationData d = CalibrationData.open(imgs, ONE, Preprocess.parse("gray"), 0);
        assertEquals(3, d.size());
        assertEquals(10f, d.get(0).get("x").getFloat(0));
        assertEquals(20f, d.get(1).get("x").getFloat(3));
        assertEquals(30f, d.get(2).get("x").getFloat(0));
        assertEquals(imgs.resolve("a.png").toString(), d.where(0));
        assertEquals("3 items from " + imgs, d.describe());
        // a limit takes the first items by name; a single image is one item
        assertEquals(2, CalibrationData.open(imgs, ONE, Preprocess.parse("gray"), 2).size());
        CalibrationData single = CalibrationData.open(imgs.resolve("c.PNG"), ONE, Preprocess.parse("gray,scale=1/255"), 0);
        assertEquals(1, single.size());
        assertEquals(30 / 255f, single.get(0).get("x").getFloat(0), 1e-7);
    }

    @Test
    void npyBatchWithLimit() throws IOException {
        Path p = npy("batch.npy", ramp(DType.FLOAT32, 0, 5, 1, 2, 2));
        CalibrationData d = CalibrationData.open(p, ONE, Preprocess.DEFAULT, 3);
        assertEquals(3, d.size());
        assertEquals(5, d.available());
        assertEquals("3 of 5 items from " + p, d.describe());
        Tensor item1 = d.get(1).get("x");
        assertArrayEquals(new int[] {1, 1, 2, 2}, item1.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7}, item1.toFloatArray());
        assertEquals(p + " item 2", d.where(2));
        // the rest of the shape may also include the batch dimension of 1
        Path withBatch = npy("batch5d.npy", ramp(DType.FLOAT32, 0, 5, 1, 1, 2, 2));
        assertArrayEquals(new float[] {16, 17, 18, 19}, CalibrationData.open(withBatch, ONE, Preprocess.DEFAULT, 0).get(4).get("x").toFloatArray());
        // an unknown batch dimension takes items of batch 1
        Map<String, InputSpec> dyn = Map.of("x", new InputSpec("x", DType.FLOAT32, new int[] {-1, 1, 2, 2}));
        assertArrayEquals(new int[] {1, 1, 2, 2}, CalibrationData.open(p, dyn, Preprocess.DEFAULT, 0).get(0).get("x").shape());
    }

    @Test
    void pbFolderAndSingleFile() throws IOException {
        Path pbs = Files.createDirectories(dir.resolve("pbs"));
        for (int i = 0; i < 3; i++) TensorProtos.write(pbs.resolve("t" + i + ".pb"), i == 1 ? "" : "anything", ramp(DType.FLOAT32, 10 * i, 1, 1, 2, 2));
        CalibrationData d = CalibrationData.open(pbs, ONE, Preprocess.DEFAULT, 0);
        assertEquals(3, d.size());
        assertArrayEquals(new float[] {20, 21, 22, 23}, d.get(2).get("x").toFloatArray());
        assertEquals(1, CalibrationData.open(pbs.resolve("t1.pb"), ONE, Preprocess.DEFAULT, 0).size());
    }

    @Test
    void testDataSetsFeedSeveralInputsByPosition() throws IOException {
        Map<String, InputSpec> two = twoInputs();
        for (int s = 0; s < 2; s++) {
            Path set = Files.createDirectories(dir.resolve("sets/test_data_set_" + s));
            TensorProtos.write(set.resolve("input_0.pb"), "a", ramp(DType.FLOAT32, s, 1, 1, 2, 2));
            TensorProtos.write(set.resolve("input_1.pb"), "", ramp(DType.INT64, 100 + s, 1, 3));
            TensorProtos.write(set.resolve("output_0.pb"), "y", ramp(DType.FLOAT32, 0, 1));
        }
        CalibrationData d = CalibrationData.open(dir.resolve("sets"), two, Preprocess.DEFAULT, 0);
        assertEquals(2, d.size());
        Map<String, Tensor> item = d.get(1);
        assertEquals(List.of("a", "b"), List.copyOf(item.keySet()));
        assertEquals(1f, item.get("a").getFloat(0));
        assertEquals(103, item.get("b").getLong(2));

        TensorProtos.write(dir.resolve("sets/test_data_set_1/input_0.pb"), "b", ramp(DType.FLOAT32, 0, 1, 1, 2, 2));
        Path bad = dir.resolve("sets/test_data_set_1/input_0.pb");
        assertEquals(bad + ": holds tensor 'b', but feeds input 'a'", message(() -> d.get(1)));
        Files.delete(dir.resolve("sets/test_data_set_1/input_1.pb"));
        assertEquals(dir.resolve("sets/test_data_set_1") + ": 1 input_*.pb file, but the model has 2 inputs",
                message(() -> CalibrationData.open(dir.resolve("sets"), two, Preprocess.DEFAULT, 0)));
    }

    private static Map<String, InputSpec> twoInputs() {
        Map<String, InputSpec> two = new LinkedHashMap<>();
        two.put("a", InputSpec.of("a", DType.FLOAT32, 1, 1, 2, 2));
        two.put("b", InputSpec.of("b", DType.INT64, 1, 3));
        return two;
    }

    @Test
    void severalInputsFromNamedSources() throws IOException {
        Map<String, InputSpec> two = twoInputs();
        Path a = npy("a.npy", ramp(DType.FLOAT32, 0, 4, 1, 2, 2));
        Path b = npy("b.npy", ramp(DType.INT64, 0, 4, 3));
        CalibrationData d = CalibrationData.open(List.of("b=" + b, "a=" + a), two, Preprocess.DEFAULT, 0);
        assertEquals(4, d.size());
        assertEquals(List.of("a", "b"), List.copyOf(d.get(3).keySet()));
        assertEquals(9, d.get(3).get("b").getLong(0));
        assertEquals(a + " item 3, " + b + " item 3", d.where(3));

        Path b3 = npy("b3.npy", ramp(DType.INT64, 0, 3, 3));
        assertEquals("a=" + a + ", b=" + b3 + ": 4 items for input 'a' but 3 for input 'b'",
                message(() -> CalibrationData.open(List.of("a=" + a, "b=" + b3), two, Preprocess.DEFAULT, 0)));
        assertEquals("no calibration data for input 'b' (give b=DATA)",
                message(() -> CalibrationData.open(List.of("a=" + a), two, Preprocess.DEFAULT, 0)));
        assertEquals(a + ": the model has 2 inputs (a, b); give one source per input as NAME=DATA",
                message(() -> CalibrationData.open(List.of(a.toString()), two, Preprocess.DEFAULT, 0)));
        assertEquals("a=" + b + ": input 'a' is given calibration data twice",
                message(() -> CalibrationData.open(List.of("a=" + a, "a=" + b), two, Preprocess.DEFAULT, 0)));
        // a flat .pb folder names the inputs by tensor name; the k-th file of each input makes item k
        Path pbs = Files.createDirectories(dir.resolve("pbs"));
        for (int i = 0; i < 2; i++) {
            TensorProtos.write(pbs.resolve("a" + i + ".pb"), "a", ramp(DType.FLOAT32, i, 1, 1, 2, 2));
            TensorProtos.write(pbs.resolve("b" + i + ".pb"), "b", ramp(DType.INT64, 10 * i, 1, 3));
        }
        CalibrationData named = CalibrationData.open(pbs, two, Preprocess.DEFAULT, 0);
        assertEquals(10, named.get(1).get("b").getLong(0));
        TensorProtos.write(pbs.resolve("c.pb"), "c", ramp(DType.INT64, 0, 1, 3));
        assertEquals(pbs.resolve("c.pb") + ": tensor 'c' is not a model input (inputs: a, b)",
                message(() -> CalibrationData.open(pbs, two, Preprocess.DEFAULT, 0)));
    }

    @Test
    void structuralProblemsAreFoundByOpen() throws IOException {
        Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such file or folder", message(() -> CalibrationData.open(missing, ONE, Preprocess.DEFAULT, 0)));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": no calibration data in the folder (.png/.jpg/.jpeg/.bmp images, .pb tensors or test_data_set_* folders)",
                message(() -> CalibrationData.open(empty, ONE, Preprocess.DEFAULT, 0)));
        Path mixed = dir.resolve("mixed");
        png(mixed, "a.png", 1);
        TensorProtos.write(mixed.resolve("a.pb"), "x", ramp(DType.FLOAT32, 0, 1, 1, 2, 2));
        assertEquals(mixed + ": the folder mixes .pb tensors, images, keep one kind per folder",
                message(() -> CalibrationData.open(mixed, ONE, Preprocess.DEFAULT, 0)));
        Path txt = Files.writeString(dir.resolve("data.txt"), "1 2 3");
        assertEquals(txt + ": not calibration data (expected a folder, an image, a .npy batch or a .pb tensor)",
                message(() -> CalibrationData.open(txt, ONE, Preprocess.DEFAULT, 0)));
        assertEquals("calibration limit -1 must be 0 (all) or more",
                message(() -> CalibrationData.open(txt, ONE, Preprocess.DEFAULT, -1)));
        Path none = npy("none.npy", Tensor.zeros(DType.FLOAT32, 0, 1, 2, 2));
        assertEquals(none + ": no calibration items", message(() -> CalibrationData.open(none, ONE, Preprocess.DEFAULT, 0)));
    }

    @Test
    void npyShapeTypeAndSizeProblems() throws IOException {
        Path flat = npy("flat.npy", ramp(DType.FLOAT32, 0, 5, 2, 2));
        assertEquals(flat + ": shape [5,2,2] is not a batch for input 'x' float32[1,1,2,2]: expected [N,1,2,2] or [N,1,1,2,2]",
                message(() -> CalibrationData.open(flat, ONE, Preprocess.DEFAULT, 0)));
        Path f64 = npy("f64.npy", ramp(DType.FLOAT64, 0, 5, 1, 2, 2));
        assertEquals(f64 + ": float64 data, but input 'x' is float32", message(() -> CalibrationData.open(f64, ONE, Preprocess.DEFAULT, 0)));
        Path good = npy("good.npy", ramp(DType.FLOAT32, 0, 5, 1, 2, 2));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
        assertEquals(cut + ": holds 76 bytes of data, but float32[5,1,2,2] needs 80",
                message(() -> CalibrationData.open(cut, ONE, Preprocess.DEFAULT, 0)));
        Path junk = Files.writeString(dir.resolve("junk.npy"), "this is not numpy");
        assertEquals(junk + ": not a .npy file", message(() -> CalibrationData.open(junk, ONE, Preprocess.DEFAULT, 0)));
    }

    @Test
    void nanAndInfNameTheFileItemAndElement() throws IOException {
        Tensor t = ramp(DType.FLOAT32, 0, 4, 1, 2, 2);
        t.setDouble(2 * 4 + 3, Double.NaN);
        Path p = npy("nan.npy", t);
        CalibrationData d = CalibrationData.open(p, ONE, Preprocess.DEFAULT, 0);
        assertEquals(4, d.get(1).get("x").size());
        assertEquals(p + " item 2: element 3 (index [0, 0, 1, 1]) is NaN", message(() -> d.get(2)));

        Path pbs = Files.createDirectories(dir.resolve("pbs"));
        Tensor inf = ramp(DType.FLOAT32, 0, 1, 1, 2, 2);
        inf.setDouble(1, Double.NEGATIVE_INFINITY);
        TensorProtos.write(pbs.resolve("inf.pb"), "x", inf);
        assertEquals(pbs.resolve("inf.pb") + ": element 1 (index [0, 0, 0, 1]) is -Inf",
                message(() -> CalibrationData.open(pbs, ONE, Preprocess.DEFAULT, 0).get(0)));

        // a tiny std overflows float32: the image's values are not finite
        Path img = png(dir.resolve("imgs"), "bright.png", 255);
        assertEquals(img + ": element 0 (index [0, 0, 0, 0]) is +Inf",
                message(() -> CalibrationData.open(img, ONE, Preprocess.parse("gray,std=1e-300"), 0).get(0)));
    }

    @Test
    void badItemsAreFoundWhenLoaded() throws IOException {
        Path imgs = dir.resolve("imgs");
        png(imgs, "a.png", 10);
        Path broken = Files.writeString(imgs.resolve("b.png"), "not a png");
        CalibrationData d = CalibrationData.open(imgs, ONE, Preprocess.parse("gray"), 0);
        assertEquals(10f, d.get(0).get("x").getFloat(0));
        assertEquals(broken + ": cannot decode the image: not a PNG, JPEG or BMP file", message(() -> d.get(1)));

        Path pbs = Files.createDirectories(dir.resolve("pbs"));
        TensorProtos.write(pbs.resolve("big.pb"), "x", ramp(DType.FLOAT32, 0, 1, 1, 3, 3));
        TensorProtos.write(pbs.resolve("int.pb"), "x", ramp(DType.INT32, 0, 1, 1, 2, 2));
        Files.writeString(pbs.resolve("junk.pb"), "\u0001\u0002garbage");
        CalibrationData p = CalibrationData.open(pbs, ONE, Preprocess.DEFAULT, 0);
        assertEquals(pbs.resolve("big.pb") + ": shape [1,1,3,3] does not fit input 'x' float32[1,1,2,2]", message(() -> p.get(0)));
        assertEquals(pbs.resolve("int.pb") + ": int32 data, but input 'x' is float32", message(() -> p.get(1)));
        String junk = message(() -> p.get(2));
        assertTrue(junk.startsWith(pbs.resolve("junk.pb") + ": not a TensorProto file"), junk);
    }

    @Test
    void mnistDigitsWithLimit() {
        Path npy = TestData.require("digits/mnist-1000-images.npy");
        Map<String, InputSpec> inputs = InputSpec.of(OnnxModels.load(TestData.require("models/mnist-8.onnx")));
        CalibrationData d = CalibrationData.open(npy, inputs, Preprocess.DEFAULT, 100);
        assertEquals(100, d.size());
        assertEquals(1000, d.available());
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (Map<String, Tensor> item : d) {
            Tensor t = item.get("Input3");
            assertArrayEquals(new int[] {1, 1, 28, 28}, t.shape());
            assertEquals(DType.FLOAT32, t.dtype());
            for (float v : t.toFloatArray()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        assertEquals(0f, lo);
        assertEquals(1f, hi);
        System.out.println("mnist: " + d.describe() + ", each float32[1,1,28,28], values " + lo + ".." + hi);
    }
}
