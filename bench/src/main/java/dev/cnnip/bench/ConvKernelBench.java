package dev.cnnip.bench;

import dev.cnnip.emulator.kernel.ConvGeometry;
import dev.cnnip.emulator.kernel.ConvKernel;
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
 * The convolution kernel on MobileNetV2-like tiles: the scalar kernel against the vector one (which
 * {@link ConvKernel#conv32} picks when the JVM has {@code jdk.incubator.vector}). Score: microseconds per
 * tile; divide the tile's MACs by it for MAC/µs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvKernelBench {
    /** pointwise 14×14 96→576, depthwise 3×3 56×56×144, first layer 3×3/2 on 3 channels, pointwise 7×7 320→1280. */
    @Param({"pw14x14x96x576", "dw56x56x144", "conv112x3x32", "pw7x7x320x1280"})
    public String shape;

    private ConvGeometry g;
    private int[] xs;
    private int[] w;
    private int[] wz;
    private int[] acc;
    private final ConvKernel kernel = new ConvKernel();

    @Setup
    public void setup() {
        g = switch (shape) {
            case "pw14x14x96x576" -> new ConvGeometry(14, 14, 96, 14, 14, 576, 1, 1, 1, 1, 1, 1, 0, 0, 96, 576);
            case "dw56x56x144" -> new ConvGeometry(56, 56, 144, 56, 56, 144, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
            case "conv112x3x32" -> new ConvGeometry(224, 224, 3, 112, 112, 32, 3, 3, 2, 2, 1, 1, 0, 0, 3, 32);
            case "pw7x7x320x1280" -> new ConvGeometry(7, 7, 320, 7, 7, 1280, 1, 1, 1, 1, 1, 1, 0, 0, 320, 1280);
            default -> throw new IllegalArgumentException(shape);
        };
        Random r = new Random(1);
        xs = new int[g.ih() * g.iw() * g.ic()];
        for (int i = 0; i < xs.length; i++) xs[i] = r.nextInt(256) - 128;
        w = new int[g.oc() * g.taps() * g.gic()];
        for (int i = 0; i < w.length; i++) w[i] = r.nextInt(255) - 127;
        wz = new int[g.oc()];
        acc = new int[g.oh() * g.ow() * g.oc()];
    }

    @Benchmark
    public int[] kernel() {
        kernel.conv32(g, xs, w, wz, acc);
        return acc;
    }

    @Benchmark
    public int[] scalar() {
        kernel.scalar32(g, xs, w, wz, acc);
        return acc;
    }
}
