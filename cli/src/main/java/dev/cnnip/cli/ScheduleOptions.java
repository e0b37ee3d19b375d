package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import picocli.CommandLine.Option;

/** {@code --sram-only} and {@code --no-sram-residency}: where activations live between layers. */
final class ScheduleOptions {
    @Option(names = "--sram-only",
            description = "A tensor that only the next convolution reads stays in SRAM only, never written to DRAM "
                    + "(by default it is written through; run, compare and the debugger still find it, vectors do not).")
    boolean sramOnly;

    @Option(names = "--no-sram-residency", description = "Every layer loads its input from DRAM (no tensor stays in SRAM).")
    boolean noResidency;

    CompileOptions apply(CompileOptions o) {
        return o.withSramResidency(!noResidency).withKeepInDram(!sramOnly);
    }
}
