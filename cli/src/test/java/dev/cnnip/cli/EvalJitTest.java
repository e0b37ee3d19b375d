package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic JIT's choice of a short {@code eval} run, on the runs measured on 2 cores (the class comment of
 * {@link EvalJit} and the README): those where C1 was faster stay short, those where C2 was faster do not.
 */
class EvalJitTest {
    /** MACs of one mnist-8 inference (`cnnip perf` of the program compiled from it). */
    static final long MNIST = 786_560;
    /** MACs of one mobilenetv2-12-int8 inference. */
    static final long MOBILENET_V2 = 300_836_992;

    @Test
    void measuredShortRunsStayUnderC1() {
        assertTrue(EvalJit.shortRun(MNIST, 1000, 1, 2), "1,000 digits, 1 thread: C1 1.57 s, C2 1.96 s");
        assertTrue(EvalJit.shortRun(MNIST, 1000, 2, 2), "1,000 digits, 2 threads: C1 1.21 s, C2 2.31 s");
        assertTrue(EvalJit.shortRun(MOBILENET_V2, 5, 2, 2), "5 MobileNetV2 items, 2 threads: C1 2.31 s, C2 2.79 s");
    }

    @Test
    void measuredLongRunsGoToC2() {
        assertFalse(EvalJit.shortRun(MNIST, 3000, 1, 2), "3,000 digits, 1 thread: C1 3.31 s, C2 2.58 s");
        assertFalse(EvalJit.shortRun(MNIST, 10_000, 2, 2), "10,000 digits, 2 threads: C1 5.51 s, C2 4.45 s");
        assertFalse(EvalJit.shortRun(MOBILENET_V2, 3, 1, 2), "3 MobileNetV2 items, 1 thread: C1 2.76 s, C2 2.13 s");
        assertFalse(EvalJit.shortRun(MOBILENET_V2, 20, 2, 2), "20 MobileNetV2 items, 2 threads: C1 5.76 s, C2 3.50 s");
    }

    @Test
    void threadsCountUpToTheCores() {
        assertEquals(EvalJit.shortRun(MNIST, 2000, 1, 1), EvalJit.shortRun(MNIST, 2000, 8, 1));
        assertFalse(EvalJit.shortRun(MNIST, 2000, 8, 1));
        assertTrue(EvalJit.shortRun(MNIST, 2000, 8, 2));
        assertTrue(EvalJit.shortRun(MNIST, 0, 1, 1));
    }

    /** The program's MACs as its layer table gives them equal what the simulator counts in a run. */
    @Test
    void macsPerItemAreTheSimulatorsCount(@TempDir Path dir) throws java.io.IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(16, 24, 20));
        Path prog = dir.resolve("c.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").code());
        Program p = ProgramFile.read(prog);
        Machine machine = new Machine(p, SimOptions.defaults(), "c");
        Tensor x = Tensor.zeros(DType.UINT8, 1, 16, 20, 20);
        Random rnd = new Random(3);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        machine.writeInput("x", x);
        machine.run();
        long counted = machine.perfReport().total().macs();
        assertEquals(24L * 16 * 3 * 3 * 20 * 20, counted, "a 3x3 convolution of 16 to 24 channels over 20x20 outputs");
        assertEquals(counted, EvalJit.macsPerItem(p));
    }
}
