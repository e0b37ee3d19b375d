package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Operators added for issue 11 in models quantized by ONNX Runtime's own {@code quantize_static} (fixtures made by
 * {@code testvectors/scripts/make_ops3_fixtures.py}): ConvTranspose (strided, padded, output_padding, grouped),
 * Split, Slice (negative step; an end from a constant-folded Shape → Gather → Div → Unsqueeze chain), nearest
 * Resize to output sizes and downsampling by scale 0.5, Gemm with transA (QGemm), MatMul of rank-4 activations with a constant B and with
 * another activation, bilinear Resize by 2, constant Pad on C, H and W, reflect and edge Pads, in QDQ and QOperator form, per-channel and per-tensor weights. Every
 * layer is compared with ONNX Runtime Java on the same model for inputs unlike the calibration data: bit-exact,
 * except ConvTranspose, which ONNX Runtime runs in float between DequantizeLinear and QuantizeLinear (no fused QDQ
 * kernel): there within 1 LSB. The bilinear Resize keeps its parameters, so ONNX Runtime 1.24 runs its uint8 kernel
 * (which truncates) in both forms: bit-exact.
 */
class Ops3ModelsTest {
    /** Layers ONNX Runtime computes in float (an unfused QDQ group): compared within 1 LSB. */
    private static final Set<String> FLOAT_IN_ORT = Set.of("ConvTranspose");

    private static ModelProto fixture(String name) throws IOException {
        try (InputStream in = Ops3ModelsTest.class.getResourceAsStream("/dev/cnnip/fixtures/ops3/" + name)) {
            if (in == null) throw new IOException("missing fixture " + name);
            return ModelProto.parseFrom(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deconv_net_qdq_perchannel.onnx", "deconv_net_qdq_pertensor.onnx",
            "gather_net_qdq_perchannel.onnx", "gather_net_qdq_pertensor.onnx", "gather_net_qop_perchannel.onnx",
            "gather_net_qop_pertensor.onnx", "matmul_net_qdq_perchannel.onnx", "matmul_net_qdq_pertensor.onnx",
            "matmul_net_qop_perchannel.onnx", "matmul_net_qop_pertensor.onnx"})
    void everyLayerMatchesOnnxRuntime(String name) throws IOException {
        ModelProto q = fixture(name);
        Program p = Compiler.compile(q, name, CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
        Random r = new Random(name.hashCode());
        for (int item = 0; item < 3; item++) {
            Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 8, 8);
            for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextGaussian() * (0.5 + item));
            Machine m = new Machine(p, SimOptions.defaults(), name);
            m.writeInput("x", x);
            m.run();
            List<LayerMatch> layers = OrtReference.compareLayers(q, m, Map.of("x", x));
            assertTrue(layers.size() >= 4, name + ": " + layers.size() + " layers compared");
            long exact = 0;
            for (LayerMatch l : layers) {
                String what = name + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") " + l.mismatches() + " of "
                        + l.elements() + " differ, max " + l.maxAbsDiff();
                if (FLOAT_IN_ORT.contains(l.op())) {
                    assertTrue(l.within(1), what);
                } else {
                    assertEquals(0, l.mismatches(), what);
                }
                if (l.exact()) exact++;
            }
            if (item == 0) {
                System.out.printf("%s: %d of %d layers bit-exact (%s)%n", name, exact, layers.size(),
                        String.join(", ", layers.stream().map(l -> l.op() + (l.exact() ? "" : " ±" + (int) l.maxAbsDiff())).toList()));
            }
        }
    }
}
