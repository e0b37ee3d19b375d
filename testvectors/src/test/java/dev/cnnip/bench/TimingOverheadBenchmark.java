package dev.cnnip.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.exec.Executor;
import dev.cnnip.emulator.exec.RegisterFile;
import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a unit test (run with {@code -Dcnnip.bench=true -Dtest=TimingOverheadBenchmark}): what the
 * timing model adds to a functional-only run. The functional-only run executes the decoded instructions
 * in program order on the executor alone (no queues, semaphores or timing; program order is a valid
 * order for a correctly synchronised program); the timed run is {@link Machine#run()} in overlapped mode
 * (queues, semaphores, the overlapped scheduler and the timing model). Target: at most 20 % more wall time.
 * Each figure is the best of several alternating runs after warm-up, to keep the shared machine's noise out.
 */
@EnabledIfSystemProperty(named = "cnnip.bench", matches = "true")
class TimingOverheadBenchmark {
    private static final int WARMUP = 2;
    private static final int RUNS = 5;

    @Test
    void timingAddsAtMostTwentyPercent() {
        Program demo = Compiler.compile(QdqQuantizer.quantize(DemoModel.build(Demo.MODEL_SEED),
                DemoModel.inputs(Demo.DATA_SEED, Demo.CALIBRATION_ITEMS), QdqQuantizer.Options.defaults(), null).model(),
                "demo", CompileOptions.of(HwConfig.defaults(), Numerics.ORT));
        report("demo", demo);
        Path mnv2 = TestData.root().resolve("models/mobilenetv2-12-int8.onnx");
        if (Files.exists(mnv2)) {
            Program p = Compiler.compile(OnnxModels.load(mnv2), "mobilenetv2-12-int8",
                    CompileOptions.of(HwConfig.defaults(), Numerics.ORT));
            double ratio = report("mobilenetv2-12-int8", p);
            assertTrue(ratio <= 1.20, String.format(Locale.ROOT, "timing adds %.1f %%", 100 * (ratio - 1)));
        }
    }

    private static double report(String name, Program p) {
        Runnable functional = () -> functional(p);
        Runnable timed = () -> new Machine(p, SimOptions.defaults(), name).run();
        for (int i = 0; i < WARMUP; i++) {
            functional.run();
            timed.run();
        }
        // Alternating, so that both see the same load on the shared machine; best of RUNS each.
        long f = Long.MAX_VALUE;
        long t = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            f = Math.min(f, time(functional));
            t = Math.min(t, time(timed));
        }
        double ratio = (double) t / f;
        System.out.printf(Locale.ROOT, "%s: %d instructions, functional-only %.1f ms, with timing %.1f ms: x%.3f%n", name,
                p.instructionCount(), f / 1e6, t / 1e6, ratio);
        return ratio;
    }

    /** Executes every instruction once, in program order, with the executor alone. */
    static void functional(Program p) {
        List<Insn> code = InsnCodec.decodeAll(p.code());
        Executor ex = new Executor(Dram.of(p.dramSize(), p.segments()), new Sram(p.hwConfig().sramBytes()));
        RegisterFile[] regs = new RegisterFile[Engine.values().length];
        for (Engine e : Engine.values()) regs[e.ordinal()] = new RegisterFile(e);
        for (Insn insn : code) ex.execute(insn, regs[insn.engine().ordinal()]);
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
