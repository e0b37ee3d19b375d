package dev.cnnip.verify.ptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.LayerMatch;
import dev.cnnip.verify.OrtReference;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 3x3 convolution with 512 input and 512 output channels on the {@code tiny} machine: its int8 weights
 * (2,359,296 bytes) are 36 times the 64 KiB SRAM, so the compiler must tile over input and output channels.
 * The result equals ONNX Runtime on the quantized model bit for bit.
 */
class LargeConvTilingTest {
    private static Tensor random(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextGaussian() * scale);
        return t;
    }

    @Test
    void weightsLargerThanSramCompileByTilingAndStayBitExact() {
        Random r = new Random(512);
        ModelProto f = new OnnxBuilder("conv512").opset("", 13).input("x", DType.FLOAT32, 1, 512, 4, 4)
                .initializer("w", random(r, 0.02, 512, 512, 3, 3)).initializer("b", random(r, 0.1, 512))
                .node("Conv", List.of("x", "w", "b"), List.of("c"), n -> n.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c"), List.of("y"))
                .output("y", DType.FLOAT32, 1, 512, 4, 4).build();
        QdqQuantizer.Result q = QdqQuantizer.quantize(f, List.of(Map.of("x", random(r, 1, 1, 512, 4, 4))),
                QdqQuantizer.Options.defaults(), null);
        HwConfig tiny = HwConfig.preset("tiny");
        assertTrue(512L * 512 * 9 > 30 * tiny.sramBytes(), "weights exceed the SRAM many times");
        Program p = Compiler.compile(q.model(), "conv512", CompileOptions.of(tiny, Numerics.ORT));
        Map<String, Tensor> x = Map.of("x", random(new Random(7), 1, 1, 512, 4, 4));
        Machine m = new Machine(p, SimOptions.defaults(), "conv512");
        x.forEach(m::writeInput);
        m.run();
        List<LayerMatch> layers = OrtReference.compareLayers(q.model(), m, x);
        assertTrue(layers.stream().anyMatch(l -> l.op().equals("Conv")), layers.toString());
        for (LayerMatch l : layers) {
            assertEquals(0, l.mismatches(), "layer '" + l.name() + "' (" + l.op() + ") max diff " + l.maxAbsDiff());
        }
        System.out.printf("conv 512->512 3x3 on tiny: %d layers bit-exact, %d instructions, %d cycles%n", layers.size(),
                p.instructionCount(), m.perfReport().totalCycles());
    }
}
