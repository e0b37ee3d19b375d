package dev.cnnip.emulator.timing;

import java.util.List;

/**
 * The performance report of one run: data only; {@link PerfText}, {@link PerfJson} and {@link PerfCsv}
 * render it. Deterministic for a given program, inputs and options.
 *
 * @param hwName            hardware configuration name
 * @param hwHash            its hash ({@code HwConfig.hash()})
 * @param clockMhz          core clock, MHz
 * @param peakMacsPerCycle  MACs per cycle of the EX engine ({@link CostModel#peakMacsPerCycle})
 * @param dramBytesPerCycle DRAM bandwidth, bytes/cycle
 * @param mode              {@code overlapped} or {@code serial}
 * @param totalCycles       cycles from the first fetch to the end of {@code finish}
 * @param instructions      instructions retired
 * @param engines           per engine, in {@code Engine} order
 * @param layers            per layer in index order; instructions outside layers last as index −1
 * @param total             the whole program (index −1, name {@code total})
 */
public record PerfReport(String hwName, String hwHash, double clockMhz, long peakMacsPerCycle, long dramBytesPerCycle,
                         String mode, long totalCycles, long instructions, List<EngineStats> engines,
                         List<LayerStats> layers, LayerStats total) {
    public PerfReport {
        engines = List.copyOf(engines);
        layers = List.copyOf(layers);
    }

    /** Run time in microseconds at {@code clockMhz}. */
    public double micros() {
        return totalCycles / clockMhz;
    }
}
