package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 16-bit (int16) operators of issue 11 in hand-written QDQ models (fixtures made by
 * {@code testvectors/scripts/make_ops4_fixtures.py}): a Concat whose inputs have scales and zero points unlike the
 * output's (requantized by {@code pp.dequant} to float32 and {@code pp.quant} back, ONNX Runtime's arithmetic), on the channel and on the last axis, and a Softmax
 * (last axis, and channels) with int16 input and output ({@code pp.softmaxf}, the float recipe). ONNX Runtime runs these groups in float (DequantizeLinear, float operator, QuantizeLinear), so every layer must agree with ONNX
 * Runtime Java within 1 LSB; the figures measured are printed.
 */
class Ops4ModelsTest {
    private static ModelProto fixture(String name) throws IOException {
        try (InputStream in = Ops4ModelsTest.class.getResourceAsStream("/dev/cnnip/fixtures/ops4/" + name)) {
            if (in == null) throw new IOException("missing fixture " + name);
            return ModelProto.parseFrom(in);
        }
    }

    @ParameterizedTest
    @CsvSource({"concat16.onnx,v3u-like", "concat16.onnx,tiny", "concat16_last.onnx,tiny", "softmax16.onnx,v3u-like",
            "softmax16.onnx,tiny", "softmax16_channels.onnx,tiny"})
    void everyLayerWithinOneLsbOfOnnxRuntime(String name, String hw) throws IOException {
        ModelProto q = fixture(name);
        Program p = Compiler.compile(q, name, CompileOptions.of(HwConfig.preset(hw), Numerics.ORT));
        String op = name.startsWith("softmax") ? "Softmax" : "Concat";
        Random r = new Random(name.hashCode());
        for (int item = 0; item < 3; item++) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            Machine m = new Machine(p, SimOptions.defaults(), name);
            for (ValueInfoProto vi : q.getGraph().getInputList()) {
                int[] shape = vi.getType().getTensorType().getShape().getDimList().stream()
                        .mapToInt(d -> (int) d.getDimValue()).toArray();
                Tensor x = Tensor.zeros(DType.FLOAT32, shape);
                // Concat: beyond the int16 ranges too (saturation); Softmax: spreads from even to one-hot rows
                double spread = op.equals("Softmax") ? 0.5 + 3 * item : 10 + 40 * item;
                for (int i = 0; i < x.size(); i++) x.setDouble(i, r.nextGaussian() * spread);
                inputs.put(vi.getName(), x);
                m.writeInput(vi.getName(), x);
            }
            m.run();
            List<LayerMatch> layers = OrtReference.compareLayers(q, m, inputs);
            String out = op.equals("Softmax") ? "z_q" : "y_q"; // the operator's int16 output (a Transpose may write it)
            assertTrue(layers.stream().anyMatch(l -> l.name().equals(out)), name + ": " + out + " not compared: "
                    + layers.stream().map(l -> l.name() + " (" + l.op() + ")").toList());
            for (LayerMatch l : layers) {
                String what = name + " on " + hw + " layer " + l.layer() + " '" + l.name() + "' (" + l.op() + ") " + l.mismatches()
                        + " of " + l.elements() + " differ, max " + l.maxAbsDiff();
                assertTrue(l.within(1), what);
                System.out.println("item " + item + ": " + what);
            }
        }
    }
}
