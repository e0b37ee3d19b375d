package dev.cnnip.hw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The resolved hardware parameters of the modelled accelerator: every {@link HwKey} with a value.
 * Immutable; hardware facts used anywhere in the toolchain come from here.
 *
 * <p>Sources: a built-in preset ({@link #preset}), a JSON file ({@link #fromFile}) listing only the
 * values it sets plus optional {@code "name"} and {@code "description"} (other keys take the registry
 * defaults), and {@code key=value} overrides ({@link #withOverride}). Every value is validated when a
 * configuration is built (in the one constructor), against the range declared in {@link HwKey}.
 *
 * <p>Errors are {@link HwConfigException} (an {@link IllegalArgumentException}) with a one-line message
 * naming the source and key, e.g. {@code tiny.json: mac.ic must be in [1, 65536], got 0}.
 */
public final class HwConfig {
    /** The preset whose values are the registry defaults. */
    public static final String DEFAULT_PRESET = "v3u-like";

    private static final List<String> PRESETS = List.of("v3u-like", "tiny", "nv-small", "systolic-32");
    private static final String PRESET_DIR = "/hw/";

    private final String name;
    private final String description;
    private final Object[] values; // by HwKey.ordinal(): Long, Double or String per the key's type
    private final String hash;
    /** {@link #exModel()}, parsed once: the timing model asks for it on every instruction. */
    private final ExModel exModel;

    /**
     * Builds and validates a configuration; {@code values} may omit keys (they take defaults).
     * {@code source} names where the values came from, for error messages.
     */
    HwConfig(String name, String description, Map<HwKey, Object> values, String source) {
        if (name == null || name.isBlank() || name.contains("\n")) {
            throw new HwConfigException(source + ": name must be a non-empty single line, got '" + name + "'");
        }
        this.name = name;
        this.description = Objects.requireNonNull(description, "description");
        this.values = new Object[HwKey.values().length];
        for (HwKey k : HwKey.values()) {
            Object v = values.getOrDefault(k, k.defaultValue());
            String complaint = k.spec().complaint(v);
            if (complaint != null) throw new HwConfigException(source + ": " + k.key() + " " + complaint);
            this.values[k.ordinal()] = v;
        }
        this.exModel = ExModel.fromLabel(getString(HwKey.EX_MODEL));
        this.hash = sha256Hex(HwConfigJson.write(this, false));
    }

    // ---- sources ----

    /** The {@link #DEFAULT_PRESET} configuration: every registry default. */
    public static HwConfig defaults() {
        return preset(DEFAULT_PRESET);
    }

    /** Names of the built-in presets (resources {@code hw/<name>.json}). */
    public static List<String> presetNames() {
        return PRESETS;
    }

    /** A built-in preset, or throws {@link HwConfigException} listing the preset names. */
    public static HwConfig preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new HwConfigException("unknown hardware preset '" + name + "'; presets are "
                    + String.join(", ", PRESETS));
        }
        String resource = PRESET_DIR + name + ".json";
        try (InputStream in = HwConfig.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("preset resource " + resource + " is missing from the build");
            return HwConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name, name);
        } catch (IOException e) {
            throw new HwConfigException("preset " + name + ": cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * A built-in preset by name, else a JSON file by path (a preset name wins over a file of the same
     * name in the working directory).
     */
    public static HwConfig load(String presetOrFile) {
        if (PRESETS.contains(presetOrFile)) return preset(presetOrFile);
        Path path = Path.of(presetOrFile);
        if (Files.isRegularFile(path)) return fromFile(path);
        if (presetOrFile.endsWith(".json") || presetOrFile.contains("/") || presetOrFile.contains("\\")) {
            throw new HwConfigException(presetOrFile + ": hardware config file not found");
        }
        throw new HwConfigException("'" + presetOrFile + "' is neither a hardware preset ("
                + String.join(", ", PRESETS) + ") nor a file");
    }

    /** Reads a JSON preset file; its name defaults to the file name without {@code .json}. */
    public static HwConfig fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HwConfigException(file + ": cannot read hardware config: " + e, e);
        }
        String fileName = file.getFileName().toString();
        String stem = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return HwConfigJson.parse(text, file.toString(), stem);
    }

    /** Parses JSON text in the preset format; {@code sourceName} appears in error messages. */
    public static HwConfig fromJson(String json, String sourceName) {
        return HwConfigJson.parse(json, sourceName, "unnamed");
    }

    /** Reads back {@link #toCanonicalJson()} (for example the copy embedded in a program). */
    public static HwConfig fromCanonicalJson(String json) {
        return fromJson(json, "embedded hw config");
    }

    // ---- overrides ----

    /** This configuration with one {@code key=value} override (whitespace around both is ignored). */
    public HwConfig withOverride(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            String key = assignment.trim();
            HwKey k = HwKey.require(key, "override '" + assignment + "'");
            throw new HwConfigException("override '" + assignment + "': expected " + key + "=VALUE with VALUE "
                    + k.spec().expectation());
        }
        return withOverrides(Map.of(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim()));
    }

    /**
     * This configuration with values replaced, each parsed by its parameter's type (integers: decimal
     * or {@code 0x} hex, {@code _} allowed; reals: decimal with optional exponent; choices: the label).
     * Name and description are kept: the {@link #hash()} tells configurations apart.
     */
    public HwConfig withOverrides(Map<String, String> overrides) {
        Map<HwKey, Object> resolved = new EnumMap<>(HwKey.class);
        for (HwKey k : HwKey.values()) resolved.put(k, values[k.ordinal()]);
        // Sorted, so that with several bad overrides the reported one does not depend on map order.
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            String where = "override " + e.getKey() + "=" + e.getValue();
            HwKey k = HwKey.require(e.getKey(), where);
            Object v;
            try {
                v = k.spec().parse(e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new HwConfigException(where + ": " + k.key() + " " + bad.getMessage());
            }
            // Checked here as well as in the constructor only so that the message names this override.
            String complaint = k.spec().complaint(v);
            if (complaint != null) throw new HwConfigException(where + ": " + k.key() + " " + complaint);
            resolved.put(k, v);
        }
        return new HwConfig(name, description, resolved, "overrides " + new TreeMap<>(overrides));
    }

    // ---- generic access ----

    public String name() { return name; }

    public String description() { return description; }

    /** The value of {@code key}: a {@link Long}, {@link Double} or {@link String} per its type. */
    public Object value(HwKey key) {
        return values[key.ordinal()];
    }

    /** An integer parameter; throws {@link HwConfigException} for an unknown key or another type. */
    public long getLong(String key) {
        return getLong(HwKey.require(key, "getLong"));
    }

    public long getLong(HwKey key) {
        if (values[key.ordinal()] instanceof Long v) return v;
        throw wrongType(key, "getLong");
    }

    /** A real or integer parameter as {@code double}; throws for an unknown key or a choice. */
    public double getDouble(String key) {
        return getDouble(HwKey.require(key, "getDouble"));
    }

    public double getDouble(HwKey key) {
        Object v = values[key.ordinal()];
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        throw wrongType(key, "getDouble");
    }

    /** A choice parameter; throws for an unknown key or a numeric parameter. */
    public String getString(String key) {
        return getString(HwKey.require(key, "getString"));
    }

    public String getString(HwKey key) {
        if (values[key.ordinal()] instanceof String s) return s;
        throw wrongType(key, "getString");
    }

    private static HwConfigException wrongType(HwKey key, String getter) {
        return new HwConfigException(getter + ": " + key.key() + " is of type " + key.type());
    }

    /** Every parameter with its resolved value, in registry order. */
    public List<HwParam> params() {
        List<HwParam> out = new ArrayList<>(values.length);
        for (HwKey k : HwKey.values()) out.add(new HwParam(k, values[k.ordinal()]));
        return List.copyOf(out);
    }

    // ---- typed parameters ----

    /** Core clock, MHz. */
    public double clockMhz() { return getDouble(HwKey.CLOCK_MHZ); }

    /** MAC lanes over input channels. */
    public long macIc() { return getLong(HwKey.MAC_IC); }

    /** MAC lanes over output channels. */
    public long macOc() { return getLong(HwKey.MAC_OC); }

    /** MAC lanes over output pixels. */
    public long macPx() { return getLong(HwKey.MAC_PX); }

    /** On-chip scratchpad size, bytes. */
    public long sramBytes() { return getLong(HwKey.SRAM_BYTES); }

    /** SRAM port bandwidth per engine, bytes/cycle. */
    public long sramBytesPerCycle() { return getLong(HwKey.SRAM_BYTES_PER_CYCLE); }

    /** Interconnect width, bits (a multiple of 8). */
    public long busBits() { return getLong(HwKey.BUS_BITS); }

    /** Sustained DRAM bandwidth shared by LD and ST, bytes/cycle. */
    public long dramBytesPerCycle() { return getLong(HwKey.DRAM_BYTES_PER_CYCLE); }

    /** DRAM access latency, cycles. */
    public long dramLatency() { return getLong(HwKey.DRAM_LATENCY); }

    /** Addressable modelled DRAM, bytes. */
    public long dramBytes() { return getLong(HwKey.DRAM_BYTES); }

    /** Fixed cost per DMA instruction, cycles. */
    public long dmaSetup() { return getLong(HwKey.DMA_SETUP); }

    /** Cost per contiguous DMA burst (row), cycles. */
    public long dmaRowOverhead() { return getLong(HwKey.DMA_ROW_OVERHEAD); }

    /** MAC pipeline fill per EX instruction, cycles. */
    public long exFill() { return getLong(HwKey.EX_FILL); }

    /** Post-processing vector width, elements/cycle. */
    public long ppLanes() { return getLong(HwKey.PP_LANES); }

    /** Post-processing pipeline latency, cycles. */
    public long ppLatency() { return getLong(HwKey.PP_LATENCY); }

    /** CTL instruction duration, cycles. */
    public long ctlLatency() { return getLong(HwKey.CTL_LATENCY); }

    /** Per-engine instruction queue depth, instructions. */
    public long queueDepth() { return getLong(HwKey.QUEUE_DEPTH); }

    /** Instructions fetched per cycle. */
    public long fetchPerCycle() { return getLong(HwKey.FETCH_PER_CYCLE); }

    /** Timing model of the MAC array. */
    public ExModel exModel() { return exModel; }

    /** Systolic array rows, PEs (systolic models only). */
    public long exRows() { return getLong(HwKey.EX_ROWS); }

    /** Systolic array columns, PEs (systolic models only). */
    public long exCols() { return getLong(HwKey.EX_COLS); }

    /** Channels side by side in the block model's depthwise mode; 0 when the mode is off. */
    public long exDwLanes() { return getLong(HwKey.EX_DW_LANES); }

    /** Whether the block model feeds the input-channel lanes from the flattened (tap, channel) reduction ({@code ex.tap_pack=on}). */
    public boolean exTapPack() { return getString(HwKey.EX_TAP_PACK).equals("on"); }

    /** Whether EX skips all-zero weight blocks ({@code ex.zero_skip=on}). */
    public boolean exZeroSkip() { return getString(HwKey.EX_ZERO_SKIP).equals("on"); }

    // ---- derived values ----

    /**
     * MACs per cycle of the lane model: {@code mac.ic × mac.oc × mac.px} (13,824 for v3u-like, the
     * datasheet count of one R-Car V3U accelerator; at most 2^48 by the lane ranges).
     */
    public long macs() { return macIc() * macOc() * macPx(); }

    /** Interconnect bytes per cycle: {@code bus.bits / 8}. */
    public long busBytesPerCycle() { return busBits() / 8; }

    /**
     * Peak throughput in TOPS, counting a MAC as two operations: {@code 2 × macs() × clock.mhz / 10^6}
     * (22.1 for v3u-like; the V3U's 66 TOPS is three such accelerators).
     */
    public double peakTops() { return 2.0 * macs() * clockMhz() / 1e6; }

    // ---- canonical form ----

    /**
     * Canonical JSON: {@code "name"}, {@code "description"}, then every parameter in key order, one
     * per line, two-space indent, {@code \n} line ends and a final newline; integers in decimal, reals
     * in the shortest round-trip form ({@code 800}, {@code 1066.5}). It is a valid preset file.
     */
    public String toCanonicalJson() {
        return HwConfigJson.write(this, true);
    }

    /**
     * Lower-case hex SHA-256 of the UTF-8 canonical JSON of the values alone: {@link #toCanonicalJson()}
     * without the name and description lines. Name and description do not change it; any value does,
     * and so does a new registry parameter (the resolved machine has one more dimension).
     */
    public String hash() {
        return hash;
    }

    /** Equal when name, description and every value are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HwConfig c && name.equals(c.name) && description.equals(c.description)
                && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, Arrays.hashCode(values));
    }

    /** {@code name (hash prefix)}. */
    @Override
    public String toString() {
        return name + " (" + hash.substring(0, 12) + ")";
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
