package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LRN in models quantized by ONNX Runtime's own {@code quantize_static} (fixtures made by
 * {@code testvectors/scripts/make_lrn_fixtures.py}): a small CNN with Conv → Relu → LRN → MaxPool (AlexNet's
 * order) and MaxPool → LRN → Conv (GoogLeNet's), in QDQ and QOperator form, per-channel and per-tensor
 * weights. quantize_static has no quantized LRN and leaves DequantizeLinear → LRN → MaxPool → QuantizeLinear
 * (and DequantizeLinear → LRN → QuantizeLinear) in float; cnnip runs them as pp.lrn (and a max pooling on
 * the codes). Every layer equals ONNX Runtime Java on the same model, for inputs unlike the calibration data.
 */
class QuantizeStaticLrnTest {
    private static ModelProto fixture(String name) throws IOException {
        try (InputStream in = QuantizeStaticLrnTest.class.getResourceAsStream("/dev/cnnip/fixtures/quantize_static/" + name)) {
            if (in == null) throw new IOException("missing fixture " + name);
            return ModelProto.parseFrom(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrn_cnn_qdq_perchannel.onnx", "lrn_cnn_qdq_pertensor.onnx", "lrn_cnn_qop_perchannel.onnx",
            "lrn_cnn_qop_pertensor.onnx"})
    void everyLayerMatchesOnnxRuntime(String name) throws IOException {
        ModelProto q = fixture(name);
        Program p = Compiler.compile(q, name, CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Random r = new Random(name.hashCode());
        for (int item = 0; item < 3; item++) {
            Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 16, 16);
            for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextGaussian() * (0.5 + item));
            Machine m = new Machine(p, SimOptions.defaults(), name);
            m.writeInput("x", x);
            m.run();
            List<LayerMatch> layers = OrtReference.compareLayers(q, m, Map.of("x", x));
            // norm1's codes feed the MaxPool inside the group (ONNX Runtime has no such tensor): compared through pool1
            assertEquals(2, p.layers().stream().filter(l -> l.op().equals("LRN")).count(), name);
            assertEquals(1, layers.stream().filter(l -> l.op().equals("LRN")).count(), name + ": " + layers);
            for (LayerMatch l : layers) {
                assertEquals(0, l.mismatches(), name + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") max diff "
                        + l.maxAbsDiff());
            }
            if (item == 0) {
                System.out.printf("%s: %d of %d layers bit-exact (%s)%n", name, layers.size(), layers.size(),
                        String.join(", ", layers.stream().map(LayerMatch::op).toList()));
            }
        }
    }
}
