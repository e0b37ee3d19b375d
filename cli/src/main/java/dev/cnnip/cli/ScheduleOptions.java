package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import picocli.CommandLine.Option;

/** {@code --keep-in-dram}, {@code --sram-only} and {@code --no-sram-residency}: where activations live between layers. */
final class ScheduleOptions {
    @Option(names = "--keep-in-dram",
            description = "Also write a tensor that stays in SRAM for the next convolution through to DRAM "
                    + "(by default it lives in SRAM only; run, compare, vectors and the debugger find it either way).")
    boolean keepInDram;

    /** The default since SRAM-only became it; still accepted so that existing scripts keep working. */
    @Option(names = "--sram-only", hidden = true,
            description = "Keep such tensors in SRAM only (the default; the opposite of --keep-in-dram).")
    boolean sramOnly;

    @Option(names = "--no-sram-residency", description = "Every layer loads its input from DRAM (no tensor stays in SRAM).")
    boolean noResidency;

    CompileOptions apply(CompileOptions o) {
        if (keepInDram && sramOnly) {
            throw new IllegalArgumentException("--keep-in-dram and --sram-only contradict each other: give one");
        }
        return o.withSramResidency(!noResidency).withKeepInDram(keepInDram);
    }
}
