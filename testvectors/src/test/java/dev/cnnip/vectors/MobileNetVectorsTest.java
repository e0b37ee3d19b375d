package dev.cnnip.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.Attributes;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vectors of four layers of MobileNetV2-12-int8 (a stride-2 convolution, depthwise and pointwise
 * convolutions, a stride-2 depthwise one): accumulators against a direct grouped convolution with the
 * ONNX nodes' attributes, outputs against ONNX Runtime, and {@code verify} from the vectors alone.
 */
class MobileNetVectorsTest {
    static final List<String> LAYERS = List.of("474_quantized", "477_quantized", "480_quantized", "486_quantized");

    @TempDir
    Path dir;

    @Test
    void selectedLayersMatchADirectConvolutionAndOnnxRuntime() throws IOException {
        ModelProto model = OnnxModels.load(TestData.require("models/mobilenetv2-12-int8.onnx"));
        Program p = Compiler.compile(model, "mobilenetv2-12-int8.onnx", CompileOptions.of(HwConfig.defaults(), Numerics.ORT));
        VectorExporter.InputSet in = RandomInputs.generate(p, 0);
        Path v = dir.resolve("mb");
        VectorExporter.export(p, in, new VectorOptions(LAYERS, EnumSet.of(VectorOptions.Encoding.NPY)), v, false,
                VectorExporter.FileListener.NONE);
        JsonNode man = Manifests.parse(Files.readString(v.resolve("manifest.json")), "manifest");
        assertEquals(LAYERS.size(), man.get("layers").size());

        List<String> outputs = new ArrayList<>(LAYERS);
        Map<String, Tensor> ref;
        try (OrtRunner ort = OrtRunner.create(OnnxModels.withExtraOutputs(model, outputs), OrtOptions.defaults())) {
            ref = ort.run(in.tensors(), outputs);
        }
        for (JsonNode l : man.get("layers")) {
            Path ld = v.resolve(l.get("dir").asText());
            String name = l.get("name").asText();
            NodeProto node = model.getGraph().getNodeList().stream().filter(n -> n.getOutputList().contains(name))
                    .findFirst().orElseThrow();
            Tensor x = Npy.read(ld.resolve("input.npy"));
            Tensor w = Npy.read(ld.resolve("weights.npy"));
            Tensor acc = Npy.read(ld.resolve("acc.npy"));
            int xzp = zeroPoint(man, name, "input")[0];
            int[] wzp = zeroPoint(man, name, "weights");
            long[] direct = directConv(x, xzp, w, wzp, node, acc.shape());
            assertArrayEquals(direct, acc.toLongArray(), name + " accumulators");
            assertArrayEquals(ref.get(name).data(), Npy.read(ld.resolve("output.npy")).data(), name + " output");
        }
        VectorVerifier.Report r = VectorVerifier.verify(v);
        assertTrue(r.ok(), r.lines().toString());
    }

    private static int[] zeroPoint(JsonNode man, String layer, String role) {
        for (JsonNode t : man.get("tensors")) {
            if (t.get("layer").asText().equals(layer) && t.get("role").asText().equals(role)) {
                JsonNode z = t.get("zero_point");
                int[] out = new int[Math.max(1, z.size())];
                for (int i = 0; i < z.size(); i++) out[i] = z.get(i).asInt();
                return out;
            }
        }
        throw new AssertionError("no " + role + " for " + layer);
    }

    /** Σ (x − xzp)·(w − wzp[o]) of a grouped NCHW convolution with the node's strides, pads and dilations. */
    static long[] directConv(Tensor x, int xzp, Tensor w, int[] wzp, NodeProto node, int[] outShape) {
        long[] s = Attributes.getInts(node, "strides", 1, 1);
        long[] pads = Attributes.getInts(node, "pads", 0, 0, 0, 0);
        long[] d = Attributes.getInts(node, "dilations", 1, 1);
        int group = (int) Attributes.getInt(node, "group", 1);
        int ic = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int oc = w.dim(0);
        int gic = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        int oh = outShape[2];
        int ow = outShape[3];
        int goc = oc / group;
        long[] xs = x.toLongArray();
        long[] ws = w.toLongArray();
        long[] out = new long[oc * oh * ow];
        for (int o = 0; o < oc; o++) {
            int g = o / goc;
            long z = wzp[wzp.length == 1 ? 0 : o];
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    long acc = 0;
                    for (int c = 0; c < gic; c++) {
                        for (int ky = 0; ky < kh; ky++) {
                            long iy = y * s[0] - pads[0] + ky * d[0];
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < kw; kx++) {
                                long ix = xx * s[1] - pads[1] + kx * d[1];
                                if (ix < 0 || ix >= wd) continue;
                                acc += (xs[(int) (((g * gic + c) * (long) h + iy) * wd + ix)] - xzp)
                                        * (ws[((o * gic + c) * kh + ky) * kw + kx] - z);
                            }
                        }
                    }
                    out[(o * oh + y) * ow + xx] = acc;
                }
            }
        }
        assertEquals(ic, group * gic);
        return out;
    }
}
