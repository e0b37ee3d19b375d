package dev.cnnip.bench;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole inference of MobileNetV2 (mobilenetv2-12-int8 compiled for v3u-like) on the simulator, with
 * and without the timing model. The model is read from {@code -Dcnnip.testdata=DIR} (default
 * {@code ../shared/testdata}); the input is a fixed pseudo-random image. {@code cnnip bench} gives the
 * same figures next to ONNX Runtime's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class InferenceBench {
    @Param({"true", "false"})
    public boolean timed;

    private Program program;
    private String input;
    private Tensor image;
    private SimOptions options;

    @Setup
    public void setup() {
        Path model = Path.of(System.getProperty("cnnip.testdata", "../shared/testdata"), "models", "mobilenetv2-12-int8.onnx");
        program = Compiler.compile(OnnxModels.load(model), "mobilenetv2-12-int8.onnx",
                CompileOptions.of(HwConfig.load("v3u-like"), Numerics.ORT));
        input = program.inputs().get(0);
        Symbol s = program.symbol(input).orElseThrow();
        image = Tensor.zeros(DType.FLOAT32, s.shape());
        Random r = new Random(1);
        for (int i = 0; i < image.size(); i++) image.setDouble(i, r.nextGaussian());
        options = SimOptions.defaults().withTimed(timed);
    }

    @Benchmark
    public Map<String, Tensor> inference() {
        Machine m = new Machine(program, options, "mobilenetv2");
        m.writeInput(input, image);
        m.run();
        return m.outputs();
    }
}
