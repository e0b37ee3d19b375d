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

    @Option(names = "--quant-debug", description = "The quantization debugger on a built-in model with an outlier channel that breaks 8 bits.")
    boolean quantDebug;

    @Option(names = "--html", paramLabel = "FILE.html", description = "With --quant-debug: write the HTML report.")
    Path html;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (quantDebug) return quantDebug(o);
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

    /** {@code demo --quant-debug}: find the broken layer, classify it, fix it, print the gain and the cost. */
    private int quantDebug(PrintWriter o) throws java.io.IOException {
        dev.cnnip.verify.compare.QuantDebugDemo.Result res = dev.cnnip.verify.compare.QuantDebugDemo.run(hw.resolve(),
                CompileCommand.numerics(numerics));
        dev.cnnip.verify.compare.CompareReport r = res.report();
        o.printf("cnnip demo --quant-debug: a CNN whose conv2 output has one channel %.0fx the others (conv3 reads it %.0fx "
                + "smaller: the same function in float), quantized to 8 bits from %d generated images and compared on %d more.%n%n",
                dev.cnnip.verify.compare.QuantDebugDemo.OUTLIER, dev.cnnip.verify.compare.QuantDebugDemo.OUTLIER,
                dev.cnnip.verify.compare.QuantDebugDemo.CALIBRATION_ITEMS, dev.cnnip.verify.compare.QuantDebugDemo.COMPARED_ITEMS);
        o.print(dev.cnnip.verify.compare.CompareText.write(r));
        if (html != null) {
            dev.cnnip.tensor.AtomicFiles.write(html, dev.cnnip.verify.compare.CompareHtml.write(r)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            o.println("wrote " + html);
        }
        var fix = r.fix().orElseThrow();
        var resolution = r.flagged().stream().filter(v -> v.diagnosis() == dev.cnnip.verify.compare.Diagnosis.RESOLUTION).toList();
        double gain = fix.after().outputSqnrDb() - fix.before().outputSqnrDb();
        long dc = fix.after().cost().cycles() - fix.before().cost().cycles();
        o.printf("%nfound: %s; fixed with 16 bits (%s): output SQNR %.2f -> %.2f dB (%+.2f dB) for %+d cycles (%+.1f%%)%n",
                resolution.isEmpty() ? "NO resolution layer" : resolution.stream().map(v -> v.name() + " (" + v.diagnosis().key() + ")")
                        .collect(java.util.stream.Collectors.joining(", ")),
                String.join(", ", new java.util.TreeSet<>(fix.overrides().activations16())), fix.before().outputSqnrDb(),
                fix.after().outputSqnrDb(), gain, dc, 100.0 * dc / Math.max(1, fix.before().cost().cycles()));
        return !resolution.isEmpty() && gain > 0 ? 0 : Cnnip.FAILED;
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
