package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import picocli.CommandLine.Option;

/** {@code --keep-in-dram} and {@code --no-sram-residency}: where activations live between layers. */
final class ScheduleOptions {
    @Option(names = "--keep-in-dram",
            description = "Write every layer's output to DRAM too (by default a tensor that only the next convolution "
                    + "reads stays in SRAM only; the simulator still lets it be read after a run).")
    boolean keepInDram;

    @Option(names = "--no-sram-residency", description = "Every layer loads its input from DRAM (no tensor stays in SRAM).")
    boolean noResidency;

    CompileOptions apply(CompileOptions o) {
        return o.withSramResidency(!noResidency).withKeepInDram(keepInDram);
    }
}
