package dev.cnnip.hw;

import static dev.cnnip.hw.Provenance.ASSUMED;
import static dev.cnnip.hw.Provenance.DATASHEET;
import static dev.cnnip.hw.Provenance.KNOB;
import static dev.cnnip.hw.ValueSpec.choice;
import static dev.cnnip.hw.ValueSpec.integer;
import static dev.cnnip.hw.ValueSpec.real;

import dev.cnnip.text.EditDistance;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of hardware parameters: the single place each one is defined, with its key
 * ({@code section.name}), type, default, allowed range, unit, provenance and description.
 *
 * <p>Defaults describe the {@code v3u-like} machine (one R-Car V3U CNN accelerator). Derived values
 * (MAC count, bus bytes per cycle, peak TOPS) are methods of {@link HwConfig}, never entries here.
 * Adding an entry changes every {@link HwConfig#hash()}, since the hash covers all resolved values.
 */
public enum HwKey {
    CLOCK_MHZ("clock.mhz", real(800, 1, 100_000), "MHz", DATASHEET, "core clock frequency"),
    MAC_IC("mac.ic", integer(24, 1, 1 << 16), "lanes", ASSUMED,
            "MAC array lanes over input channels (the product of the three mac.* lanes is the datasheet MAC count)"),
    MAC_OC("mac.oc", integer(24, 1, 1 << 16), "lanes", ASSUMED, "MAC array lanes over output channels"),
    MAC_PX("mac.px", integer(24, 1, 1 << 16), "lanes", ASSUMED, "MAC array lanes over output pixels"),
    SRAM_BYTES("sram.bytes", integer(2L << 20, 1, 1L << 40), "bytes", DATASHEET, "on-chip scratchpad size"),
    SRAM_BYTES_PER_CYCLE("sram.bytes_per_cycle", integer(256, 1, 1 << 24), "bytes/cycle", ASSUMED,
            "SRAM port bandwidth per engine"),
    BUS_BITS("bus.bits", integer(512, 8, 1 << 20).withMultipleOf(8), "bits", DATASHEET, "interconnect width"),
    DRAM_BYTES_PER_CYCLE("dram.bytes_per_cycle", integer(32, 1, 1 << 24), "bytes/cycle", ASSUMED,
            "sustained DRAM bandwidth shared by the LD and ST engines"),
    DRAM_LATENCY("dram.latency", integer(100, 0, 1 << 30), "cycles", ASSUMED, "DRAM access latency"),
    DRAM_BYTES("dram.bytes", integer(256L << 20, 1, 1L << 48), "bytes", KNOB, "addressable modelled DRAM"),
    DMA_SETUP("dma.setup", integer(32, 0, 1 << 30), "cycles", ASSUMED, "fixed cost per DMA instruction"),
    DMA_ROW_OVERHEAD("dma.row_overhead", integer(2, 0, 1 << 30), "cycles", ASSUMED,
            "cost per contiguous burst (row) of a DMA transfer"),
    EX_FILL("ex.fill", integer(16, 0, 1 << 30), "cycles", ASSUMED, "MAC pipeline fill per EX instruction"),
    PP_LANES("pp.lanes", integer(64, 1, 1 << 16), "elements/cycle", ASSUMED, "post-processing vector width"),
    PP_LATENCY("pp.latency", integer(8, 0, 1 << 30), "cycles", ASSUMED, "post-processing pipeline latency"),
    CTL_LATENCY("ctl.latency", integer(1, 0, 1 << 30), "cycles", ASSUMED, "duration of a CTL instruction"),
    QUEUE_DEPTH("queue.depth", integer(16, 1, 1 << 16), "instructions", ASSUMED, "per-engine instruction queue"),
    FETCH_PER_CYCLE("fetch.per_cycle", integer(1, 1, 64), "instructions/cycle", ASSUMED,
            "instructions fetched and dispatched per cycle"),
    EX_MODEL("ex.model", choice(ExModel.BLOCK.label(), ExModel.labels()), "", KNOB,
            "timing model of the MAC array: block (mac.* lanes), systolic-ws, systolic-os or systolic-is (ex.rows x ex.cols)"),
    EX_ROWS("ex.rows", integer(32, 1, 1 << 16), "PEs", ASSUMED, "systolic array rows (systolic models only)"),
    EX_COLS("ex.cols", integer(32, 1, 1 << 16), "PEs", ASSUMED, "systolic array columns (systolic models only)"),
    EX_DW_LANES("ex.dw_lanes", integer(576, 0, 1 << 24), "channels", ASSUMED,
            "depthwise mode of the block model: channels computed side by side (at most mac.ic x mac.oc), each on"
                    + " mac.px pixel lanes, one kernel tap per cycle, so ex.dw_lanes x mac.px MACs/cycle; 0 maps"
                    + " depthwise layers as grouped convolutions"),
    EX_TAP_PACK("ex.tap_pack", choice("on", List.of("off", "on")), "", ASSUMED,
            "block model: an ungrouped convolution with several taps and gic not a multiple of mac.ic feeds the ic"
                    + " lanes from the flattened (tap, channel) reduction, ceil(kh*kw*gic / mac.ic) passes instead of"
                    + " ceil(gic / mac.ic)*kh*kw (im2col along the taps, as accelerators feed an RGB first layer);"
                    + " off while ex.zero_skip=on"),
    EX_ZERO_SKIP("ex.zero_skip", choice("off", List.of("off", "on")), "", KNOB,
            "skip all-zero weight blocks: block model mac.oc x mac.ic per kernel tap, systolic-ws one ex.rows x ex.cols"
                    + " weight fold (other dataflows stream weights and skip nothing)");

    private static final Map<String, HwKey> BY_KEY =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(HwKey::key, Function.identity()));

    private final String key;
    private final ValueSpec spec;
    private final String unit;
    private final Provenance provenance;
    private final String description;

    HwKey(String key, ValueSpec spec, String unit, Provenance provenance, String description) {
        this.key = key;
        this.spec = spec;
        this.unit = unit;
        this.provenance = provenance;
        this.description = description;
    }

    /** The key as written in presets and overrides, {@code section.name}. */
    public String key() { return key; }

    /** The part before the dot, e.g. {@code dram}. */
    public String section() { return key.substring(0, key.indexOf('.')); }

    public ValueType type() { return spec.type(); }

    /** The default: a {@link Long}, {@link Double} or {@link String} according to {@link #type()}. */
    public Object defaultValue() { return spec.defaultValue(); }

    /** Unit of the value, e.g. {@code bytes/cycle}; empty for choices. */
    public String unit() { return unit; }

    public Provenance provenance() { return provenance; }

    /** One-line description. */
    public String description() { return description; }

    /** Allowed values, e.g. {@code [1, 65536]} or {@code block | systolic-ws | systolic-os}. */
    public String rangeText() { return spec.rangeText(); }

    ValueSpec spec() { return spec; }

    /** The parameter with this key, if any. */
    public static Optional<HwKey> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /**
     * The parameter with this key, or throws {@link HwConfigException}
     * {@code "<where>: unknown hardware parameter 'k'; did you mean …"}.
     */
    static HwKey require(String key, String where) {
        HwKey k = BY_KEY.get(key);
        if (k != null) return k;
        List<String> close = closeMatches(key);
        String hint = close.isEmpty()
                ? "; sections are " + String.join(", ", Arrays.stream(values()).map(HwKey::section)
                        .collect(Collectors.toCollection(TreeSet::new)))
                : "; did you mean " + String.join(", ", close) + "?";
        throw new HwConfigException(where + ": unknown hardware parameter '" + key + "'" + hint);
    }

    /**
     * Keys a user may have meant by {@code key}, closest first (at most five): small edit distance,
     * the same name in another section ({@code bytes} → {@code sram.bytes}, {@code dram.bytes}), or a
     * bare section or name.
     */
    public static List<String> closeMatches(String key) {
        String k = key.trim().toLowerCase(java.util.Locale.ROOT);
        String name = k.contains(".") ? k.substring(k.indexOf('.') + 1) : k;
        int budget = Math.max(2, k.length() / 4);
        record Scored(String key, int score) {}
        return Arrays.stream(values())
                .map(p -> {
                    int d = EditDistance.levenshtein(k, p.key);
                    boolean related = p.key.endsWith("." + name) || p.section().equals(k);
                    return new Scored(p.key, d <= budget ? d : related ? budget + 1 : Integer.MAX_VALUE);
                })
                .filter(s -> s.score != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::key))
                .limit(5)
                .map(Scored::key)
                .toList();
    }
}
