package dev.cnnip.bench;

import dev.cnnip.compiler.calib.ImageTensors;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Makes a large ImageNet-style evaluation batch from a few real photographs, for memory and throughput
 * measurements: {@code N} items f32[N, 3, 224, 224], each a seeded random 224×224 crop of one of the images
 * resized to a random square side in [224, 320] (bilinear, RGB, ImageNet mean/std), streamed to the
 * {@code .npy} file item by item. The labels are ONNX Runtime's top-1 classes of the given model, so an
 * evaluation's "accuracy" is its agreement with ONNX Runtime.
 *
 * <p>{@code java -cp 'bench/target/classes:bench/target/lib/*' dev.cnnip.bench.ImageBatch IMAGES_DIR N
 * OUT_IMAGES.npy OUT_LABELS.npy MODEL.onnx}
 */
public final class ImageBatch {
    private static final int SIDE = 224;
    private static final String PP = "rgb,mean=123.675:116.28:103.53,std=58.395:57.12:57.375";

    private ImageBatch() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ImageBatch IMAGES_DIR N OUT_IMAGES.npy OUT_LABELS.npy MODEL.onnx");
            System.exit(2);
        }
        List<Path> images = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            s.filter(ImageTensors::isImage).sorted().forEach(images::add);
        }
        int n = Integer.parseInt(args[1]);
        Random rnd = new Random(2026);
        Tensor labels = Tensor.zeros(DType.INT64, n);
        int itemFloats = 3 * SIDE * SIDE;
        try (OrtRunner ort = OrtRunner.create(Path.of(args[4]), OrtOptions.defaults());
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])), 1 << 20)) {
            out.write(header(n));
            String input = ort.inputNames().get(0);
            for (int i = 0; i < n; i++) {
                Path img = images.get(rnd.nextInt(images.size()));
                int side = SIDE + rnd.nextInt(97);
                Tensor big = ImageTensors.load(img, Preprocess.parse("resize=" + side + "x" + side + "," + PP),
                        InputSpec.of("x", DType.FLOAT32, 1, 3, side, side));
                int oy = rnd.nextInt(side - SIDE + 1);
                int ox = rnd.nextInt(side - SIDE + 1);
                Tensor crop = Tensor.zeros(DType.FLOAT32, 1, 3, SIDE, SIDE);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < SIDE; y++) {
                        System.arraycopy(big.data(), 4 * ((c * side + oy + y) * side + ox), crop.data(),
                                4 * ((c * SIDE + y) * SIDE), 4 * SIDE);
                    }
                }
                out.write(crop.data(), 0, 4 * itemFloats);
                float[] scores = ort.run(Map.of(input, crop)).values().iterator().next().toFloatArray();
                int best = 0;
                for (int k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
                labels.setLong(i, best);
            }
        }
        Npy.write(Path.of(args[3]), labels);
    }

    /** A version-1.0 .npy header for f32[n, 3, 224, 224], padded to a multiple of 64 bytes. */
    private static byte[] header(int n) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", 3, " + SIDE + ", " + SIDE + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        byte[] b = new byte[10 + h.length()];
        b[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, b, 1, 5);
        b[6] = 1;
        b[7] = 0;
        b[8] = (byte) (h.length() & 0xFF);
        b[9] = (byte) (h.length() >> 8);
        System.arraycopy(h.getBytes(StandardCharsets.US_ASCII), 0, b, 10, h.length());
        return b;
    }
}
