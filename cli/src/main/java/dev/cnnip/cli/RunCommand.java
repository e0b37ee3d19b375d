package dev.cnnip.cli;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfJson;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.trace.ChromeTrace;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip run PROG.cnnip --input NAME=FILE … [--out DIR] [--perf FILE.json] [--trace FILE.json] [--check-races]}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a program on the instruction-set simulator.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "An input: .npy, TensorProto .pb, or an image (.png/.jpg/.bmp with --preprocess); repeatable.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Write every graph output as DIR/<name>.npy.")
    Path out;

    @Option(names = "--perf", paramLabel = "FILE.json", description = "Write the performance report as JSON.")
    Path perf;

    @Option(names = "--trace", paramLabel = "FILE.json", description = "Write a Chrome/Perfetto trace (one track per engine).")
    Path trace;

    @Option(names = "--serial", description = "Serial mode: every instruction waits for the previous one.")
    boolean serial;

    @Option(names = "--check-races", description = "Check for data races: stop at the first two accesses to overlapping"
            + " memory, at least one a write, that neither program order nor a semaphore orders.")
    boolean checkRaces;

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "",
            description = "How an image input becomes a tensor, e.g. \"resize=320x320,bgr,mean=0,std=1\".")
    String preprocess;

    @Override
    public Integer call() throws Exception {
        Program p = ProgramFile.read(program);
        Map<String, Tensor> feeds = TensorFiles.readInputs(inputs, p,
                preprocess.isEmpty() ? null : dev.cnnip.compiler.calib.Preprocess.parse(preprocess));
        SimOptions options = SimOptions.defaults().withSerial(serial);
        if (checkRaces) options = options.withCheckRaces(true);
        Machine m = new Machine(p, options, program.toString());
        ChromeTrace tr = trace != null ? new ChromeTrace(p) : null;
        if (tr != null) m.addListener(tr);
        for (Map.Entry<String, Tensor> e : feeds.entrySet()) m.writeInput(e.getKey(), e.getValue());
        m.run();
        Map<String, Tensor> outputs = m.outputs();
        PerfReport r = m.perfReport();
        if (out != null) TensorFiles.writeOutputs(out, outputs);
        if (perf != null) AtomicFiles.write(perf, PerfJson.write(r).getBytes(StandardCharsets.UTF_8));
        if (tr != null) AtomicFiles.write(trace, tr.toJson().getBytes(StandardCharsets.UTF_8));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s: %d instructions, %d cycles (%.1f us at %.0f MHz)%n", program, r.instructions(), r.totalCycles(),
                r.micros(), r.clockMhz());
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            o.printf("  output %s: %s%s%n", e.getKey(), e.getValue(),
                    out != null ? " -> " + out.resolve(TensorFiles.fileName(e.getKey()) + ".npy") : "");
        }
        if (checkRaces) {
            m.raceChecker().ifPresent(rc -> o.printf("  race check: %d instructions, %d footprint ranges, no race%n",
                    rc.instructions(), rc.accesses()));
        }
        for (String w : m.warnings()) o.println("  warning: " + w);
        return 0;
    }
}
