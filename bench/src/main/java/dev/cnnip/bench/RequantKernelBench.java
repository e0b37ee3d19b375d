package dev.cnnip.bench;

import dev.cnnip.emulator.kernel.RequantKernel;
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
 * The {@code ort} requantization of a MobileNetV2-like tile (56×56 pixels × {@code c} channels, uint8 out):
 * the scalar row kernel, the vector row kernel (rows padded to whole vectors) and the vector pass over the
 * whole tile with the parameters repeated to lcm(c, lanes). Score: microseconds per tile.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RequantKernelBench {
    /** Channels per pixel: 24 (not a multiple of the vector length) and 144. */
    @Param({"24", "144"})
    public int c;

    private static final int PIXELS = 56 * 56;
    private int[] acc;
    private int[] bias;
    private int[] mult;
    private int[] biasP;
    private int[] multP;
    private int[] biasFlat;
    private int[] multFlat;
    private int period;
    private int cw;
    private int[] row;
    private int[] q;

    @Setup
    public void setup() {
        Random r = new Random(1);
        acc = new int[PIXELS * c];
        for (int i = 0; i < acc.length; i++) acc[i] = r.nextInt(200001) - 100000;
        bias = new int[c];
        mult = new int[c];
        for (int i = 0; i < c; i++) {
            bias[i] = r.nextInt(2001) - 1000;
            mult[i] = Float.floatToIntBits((float) Math.pow(2, -8 - r.nextInt(6)) * (1 + r.nextFloat()));
        }
        cw = RequantKernel.paddedWidth(c);
        biasP = java.util.Arrays.copyOf(bias, cw);
        multP = java.util.Arrays.copyOf(mult, cw);
        period = RequantKernel.flatPeriod(c);
        biasFlat = new int[period];
        multFlat = new int[period];
        for (int k = 0; k < period; k++) {
            biasFlat[k] = bias[k % c];
            multFlat[k] = mult[k % c];
        }
        row = new int[cw];
        q = new int[PIXELS * cw];
    }

    @Benchmark
    public int[] scalarRows() {
        for (int p = 0; p < PIXELS; p++) {
            System.arraycopy(acc, p * c, row, 0, c);
            RequantKernel.ort(false, row, bias, mult, c, 3, 0, 255, q, p * c);
        }
        return q;
    }

    @Benchmark
    public int[] vectorRows() {
        for (int p = 0; p < PIXELS; p++) {
            System.arraycopy(acc, p * c, row, 0, c);
            RequantKernel.ort(true, row, biasP, multP, cw, 3, 0, 255, q, p * cw);
        }
        return q;
    }

    @Benchmark
    public int[] vectorTile() {
        RequantKernel.ortFlat(acc, PIXELS * c, biasFlat, multFlat, period, 3, 0, 255, q);
        return q;
    }
}
