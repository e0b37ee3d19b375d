package dev.cnnip.emulator.timing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * @param latencyMicros     {@code totalCycles / clockMhz}, microseconds for one inference
 * @param fps               inferences per second at {@code clockMhz}, {@code 10^6 / latencyMicros} (0 for 0 cycles)
 * @param effectiveTops     {@code 2 × (macs − skipped MACs) × fps / 10^12}: tera-operations per second achieved
 * @param compulsoryBytes   bytes that must cross the DRAM port once: constants in the program image (weights,
 *                          biases, tables) plus graph inputs and outputs
 * @param idealBound        {@code max(ceil(MACs / peak), ceil(compulsoryBytes / dram.bytes_per_cycle))}: the
 *                          cycles no schedule can beat on this machine
 * @param idealLimit        which of the two terms of {@code idealBound} is larger
 * @param convBoundRatio    {@code cycles / bound} over the conv layers (layers whose operator is {@code Conv} and
 *                          whose bound is positive): a layer's own span, first start to last
 *                          end, which includes time overlapped with neighbouring layers
 * @param convAttributedRatio {@code attributedCycles / bound} over the conv layers: the cycles the run spends on
 *                          the layer (from the latest end of the earlier layers to its own end; these sum to the
 *                          total, and a layer that ends inside an earlier one's shadow can fall below its bound)
 */
// The conv layer count and the two medians are derived (written, not read back).
@JsonIgnoreProperties(value = {"convLayers", "convBoundRatioMedian", "convAttributedRatioMedian"}, allowGetters = true)
public record PerfReport(String hwName, String hwHash, double clockMhz, long peakMacsPerCycle, long dramBytesPerCycle,
                         String mode, long totalCycles, long instructions, List<EngineStats> engines,
                         List<LayerStats> layers, LayerStats total, double latencyMicros, double fps,
                         double effectiveTops, long compulsoryBytes, long idealBound, Limit idealLimit,
                         RatioSpread convBoundRatio, RatioSpread convAttributedRatio) {
    public PerfReport {
        engines = List.copyOf(engines);
        layers = List.copyOf(layers);
    }

    /** The conv layers the two spreads are over (kept as a JSON key of its own). */
    @JsonProperty
    public int convLayers() {
        return convBoundRatio.count();
    }

    /** The median of {@link #convBoundRatio} (kept as a JSON key of its own for the reports' readers). */
    @JsonProperty
    public double convBoundRatioMedian() {
        return convBoundRatio.median();
    }

    /** The median of {@link #convAttributedRatio} (kept as a JSON key of its own). */
    @JsonProperty
    public double convAttributedRatioMedian() {
        return convAttributedRatio.median();
    }

    /** Run time in microseconds at {@code clockMhz}. */
    public double micros() {
        return totalCycles / clockMhz;
    }

    /** {@code totalCycles / idealBound}: how far the run is from the best any schedule could do; 0 when the bound is 0. */
    public double idealRatio() {
        return idealBound == 0 ? 0 : (double) totalCycles / idealBound;
    }
}
