package dev.cnnip.cli;

import dev.cnnip.emulator.timing.LayerStats;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.verify.Demo;
import dev.cnnip.verify.LayerMatch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip demo}: the embedded network end to end, with a per-layer table and the ONNX Runtime check. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Quantize, compile and simulate the embedded demo CNN, and check every layer against ONNX Runtime.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HwOptions hw;

    @Option(names = "--numerics", defaultValue = "ort", paramLabel = "ort|hw",
            description = "Requantization arithmetic (default: ${DEFAULT-VALUE}); ort is bit-exact with ONNX Runtime.")
    String numerics;

    @Option(names = {"-o", "--output"}, paramLabel = "PROG.cnnip",
            description = "Also write the compiled demo program (for run, disasm, asm).")
    Path output;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter o = spec.commandLine().getOut();
        Demo.Report r = Demo.run(hw.resolve(), CompileCommand.numerics(numerics));
        if (output != null) ProgramFile.write(output, r.program());
        long macs = r.program().layers().stream().mapToLong(LayerInfo::macs).sum();
        o.printf("cnnip demo: residual CNN built in code (%.1f M MACs), quantized from %d generated images,%n", macs / 1e6,
                r.calibrationItems());
        o.printf("compiled for %s (%s numerics) to %d instructions, run on the instruction-set simulator.%n%n",
                r.program().hwConfig().name(), r.program().numerics().name().toLowerCase(Locale.ROOT),
                r.program().instructionCount());
        o.printf("%3s  %-22s %-17s %-20s %10s %10s %6s  %s%n", "#", "layer", "op", "output", "MACs", "cycles", "util",
                "vs ONNX Runtime");
        for (LayerMatch m : r.layers()) {
            LayerStats s = r.perf().layers().stream().filter(l -> l.index() == m.layer()).findFirst().orElse(null);
            String match = m.exact() ? "bit-exact" : String.format("%d of %d differ (max %.0f)", m.mismatches(), m.elements(),
                    m.maxAbsDiff());
            o.printf("%3d  %-22s %-17s %-20s %10d %10d %5.1f%%  %s%n", m.layer(), trim(m.name(), 22), m.op(),
                    m.dtype().shortName() + Arrays.toString(m.shape()).replace(" ", ""), s == null ? 0 : s.macs(),
                    s == null ? 0 : s.cycles(), s == null ? 0 : 100 * s.macUtilisation(), match);
        }
        double ms = r.perf().micros() / 1000;
        o.printf("%ntotal: %d cycles = %.3f ms at %.0f MHz (%.0f inferences/s), MAC utilisation %.1f%%%n",
                r.perf().totalCycles(), ms, r.perf().clockMhz(), 1000 / ms, 100 * r.perf().total().macUtilisation());
        o.printf("top-1 class on the simulator: %d (float model in ONNX Runtime: %d)%n", r.simTop1(), r.floatTop1());
        boolean allExact = r.exactLayers() == r.layers().size();
        o.printf("%d of %d layers bit-exact with ONNX Runtime%s%n", r.exactLayers(), r.layers().size(),
                allExact ? "." : " (expected with --numerics hw; in ort numerics this is a defect).");
        if (output != null) o.printf("wrote %s%n", output);
        return allExact || !numerics.equalsIgnoreCase("ort") ? 0 : Cnnip.FAILED;
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
