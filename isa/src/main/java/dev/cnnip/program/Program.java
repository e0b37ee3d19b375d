package dev.cnnip.program;

import dev.cnnip.hw.HwConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled program: everything the emulator needs, like the hardware's view of a network.
 * Immutable and self-validating; {@link ProgramFile} stores it.
 *
 * <p>Invariants checked by the constructor (violations throw {@link IllegalArgumentException}):
 * {@code code} holds whole 16-byte instructions; {@code dramSize <= hwConfig.dramBytes()};
 * segments lie inside {@code [0, dramSize)}, do not overlap and have unique names; symbols lie inside
 * DRAM (they may overlap: activation buffers are reused), {@code SRAM_ACTIVATION} symbols inside SRAM with a
 * producing layer, and have unique names; {@code layers.get(i).index() == i};
 * source-map entries have strictly increasing {@code insn} below {@link #instructionCount()}; every layer
 * reference names an existing layer; inputs and outputs name distinct symbols of kind INPUT and OUTPUT.
 *
 * @param toolVersion version of the tool that wrote it, non-empty
 * @param code        instructions, 16 little-endian bytes each (copied in and out)
 * @param dramSize    bytes of DRAM the program addresses
 * @param segments    initial DRAM contents; the rest of DRAM starts as zero
 * @param symbols     named tensors in DRAM
 * @param sourceMap   instruction ranges → layer, tile and note (see {@link #sourceFor})
 * @param layers      the layers, in execution order
 * @param numerics    requantization arithmetic the program was compiled for
 * @param hwConfig    the machine it was compiled for
 * @param modelName   source model name, may be empty (hand-written programs)
 * @param modelSha256 lower-case hex SHA-256 of the model file, or empty
 * @param inputs      input symbol names, in graph order
 * @param outputs     output symbol names, in graph order
 */
public record Program(String toolVersion, byte[] code, long dramSize, List<DramSegment> segments,
                      List<Symbol> symbols, List<SourceEntry> sourceMap, List<LayerInfo> layers, Numerics numerics,
                      HwConfig hwConfig, String modelName, String modelSha256, List<String> inputs,
                      List<String> outputs) {
    /** Bytes per instruction (128 bits). */
    public static final int INSTRUCTION_BYTES = 16;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Program {
        Checks.name(toolVersion, "tool version");
        code = code.clone();
        if (code.length % INSTRUCTION_BYTES != 0) {
            throw new IllegalArgumentException("code has " + code.length + " bytes, not a multiple of " + INSTRUCTION_BYTES);
        }
        Objects.requireNonNull(numerics, "numerics");
        Objects.requireNonNull(hwConfig, "hwConfig");
        Checks.nonNegative(dramSize, "dram_size");
        if (dramSize > hwConfig.dramBytes()) {
            throw new IllegalArgumentException("dram_size " + dramSize + " exceeds dram.bytes " + hwConfig.dramBytes()
                    + " of hw config " + hwConfig.name());
        }
        segments = List.copyOf(segments);
        symbols = List.copyOf(symbols);
        sourceMap = List.copyOf(sourceMap);
        layers = List.copyOf(layers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Checks.line(modelName, "model name");
        if (!modelSha256.isEmpty() && !SHA256_HEX.matcher(modelSha256).matches()) {
            throw new IllegalArgumentException("model sha256 must be 64 lower-case hex digits or empty, got '" + modelSha256 + "'");
        }
        checkSegments(segments, dramSize);
        checkLayers(layers);
        checkSymbols(symbols, dramSize, hwConfig, layers.size());
        checkSourceMap(sourceMap, code.length / INSTRUCTION_BYTES, layers.size());
        checkEndpoints("input", inputs, SymbolKind.INPUT, symbols);
        checkEndpoints("output", outputs, SymbolKind.OUTPUT, symbols);
    }

    private static void checkSegments(List<DramSegment> segments, long dramSize) {
        Set<String> names = new HashSet<>();
        for (DramSegment s : segments) {
            if (!names.add(s.name())) throw new IllegalArgumentException("duplicate segment name '" + s.name() + "'");
            if (!Checks.fits(s.address(), s.size(), dramSize)) {
                throw new IllegalArgumentException("segment '" + s.name() + "' " + range(s.address(), s.end())
                        + " lies outside dram_size " + dramSize);
            }
        }
        List<DramSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong(DramSegment::address));
        for (int i = 1; i < sorted.size(); i++) {
            DramSegment a = sorted.get(i - 1);
            DramSegment b = sorted.get(i);
            if (b.address() < a.end()) {
                throw new IllegalArgumentException("segment '" + a.name() + "' " + range(a.address(), a.end())
                        + " overlaps segment '" + b.name() + "' " + range(b.address(), b.end()));
            }
        }
    }

    private static void checkLayers(List<LayerInfo> layers) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).index() != i) {
                throw new IllegalArgumentException("layer '" + layers.get(i).name() + "' has index "
                        + layers.get(i).index() + " at position " + i);
            }
        }
    }

    private static void checkSymbols(List<Symbol> symbols, long dramSize, HwConfig hwConfig, int layerCount) {
        Set<String> names = new HashSet<>();
        for (Symbol s : symbols) {
            if (!names.add(s.name())) throw new IllegalArgumentException("duplicate symbol name '" + s.name() + "'");
            if (s.kind() == SymbolKind.SRAM_ACTIVATION) {
                if (!Checks.fits(s.address(), s.bytes(), hwConfig.sramBytes())) {
                    throw new IllegalArgumentException("SRAM symbol '" + s.name() + "' " + range(s.address(), s.end())
                            + " lies outside sram.bytes " + hwConfig.sramBytes());
                }
                if (s.layer() < 0) throw new IllegalArgumentException("SRAM symbol '" + s.name() + "' has no producing layer");
            } else if (!Checks.fits(s.address(), s.bytes(), dramSize)) {
                throw new IllegalArgumentException("symbol '" + s.name() + "' " + range(s.address(), s.end())
                        + " lies outside dram_size " + dramSize);
            }
            if (s.layer() >= layerCount) {
                throw new IllegalArgumentException("symbol '" + s.name() + "' names layer " + s.layer() + " of " + layerCount);
            }
        }
    }

    private static void checkSourceMap(List<SourceEntry> map, int instructions, int layerCount) {
        int previous = -1;
        for (SourceEntry e : map) {
            if (e.insn() <= previous) {
                throw new IllegalArgumentException("source map insn " + e.insn() + " follows " + previous
                        + "; entries must be strictly increasing");
            }
            if (e.insn() >= instructions) {
                throw new IllegalArgumentException("source map insn " + e.insn() + " beyond the " + instructions + " instructions");
            }
            if (e.layer() >= layerCount) {
                throw new IllegalArgumentException("source map insn " + e.insn() + " names layer " + e.layer() + " of " + layerCount);
            }
            previous = e.insn();
        }
    }

    private static void checkEndpoints(String what, List<String> names, SymbolKind kind, List<Symbol> symbols) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) throw new IllegalArgumentException("duplicate " + what + " '" + n + "'");
            Symbol s = symbols.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(what + " '" + n + "' is not a symbol"));
            if (s.kind() != kind) throw new IllegalArgumentException(what + " '" + n + "' is a symbol of kind " + s.kind());
        }
    }

    private static String range(long start, long end) {
        return "[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")";
    }

    /** A copy of the code. */
    @Override
    public byte[] code() {
        return code.clone();
    }

    /** A read-only little-endian view of the code. */
    public ByteBuffer codeBuffer() {
        return ByteBuffer.wrap(code).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of 128-bit instructions. */
    public int instructionCount() {
        return code.length / INSTRUCTION_BYTES;
    }

    /** The 16 bytes of instruction {@code index} (0-based), little-endian. */
    public byte[] instruction(int index) {
        Objects.checkIndex(index, instructionCount());
        return Arrays.copyOfRange(code, index * INSTRUCTION_BYTES, (index + 1) * INSTRUCTION_BYTES);
    }

    /** The symbol with this name. */
    public Optional<Symbol> symbol(String name) {
        return symbols.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The layer with this name. */
    public Optional<LayerInfo> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * The source entry in force at instruction {@code insn}: the one with the greatest
     * {@code insn <= insn}; empty before the first entry.
     */
    public Optional<SourceEntry> sourceFor(int insn) {
        int lo = 0;
        int hi = sourceMap.size() - 1;
        SourceEntry found = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            SourceEntry e = sourceMap.get(mid);
            if (e.insn() <= insn) {
                found = e;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Program p && toolVersion.equals(p.toolVersion) && Arrays.equals(code, p.code)
                && dramSize == p.dramSize && segments.equals(p.segments) && symbols.equals(p.symbols)
                && sourceMap.equals(p.sourceMap) && layers.equals(p.layers) && numerics == p.numerics
                && hwConfig.equals(p.hwConfig) && modelName.equals(p.modelName) && modelSha256.equals(p.modelSha256)
                && inputs.equals(p.inputs) && outputs.equals(p.outputs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(toolVersion, Arrays.hashCode(code), dramSize, segments, symbols, sourceMap, layers,
                numerics, hwConfig, modelName, modelSha256, inputs, outputs);
    }

    @Override
    public String toString() {
        return "Program[" + (modelName.isEmpty() ? "(no model)" : modelName) + ", " + instructionCount()
                + " instructions, " + layers.size() + " layers, " + symbols.size() + " symbols, dram " + dramSize
                + " bytes, " + numerics + ", hw " + hwConfig + ", tool " + toolVersion + "]";
    }

    /** A builder starting from an empty program (no code, DRAM, symbols or model) for the given machine. */
    public static Builder builder(String toolVersion, HwConfig hwConfig, Numerics numerics) {
        return new Builder(toolVersion, hwConfig, numerics);
    }

    /** Collects the parts of a {@link Program}; {@link #build()} validates them. */
    public static final class Builder {
        private final String toolVersion;
        private final HwConfig hwConfig;
        private final Numerics numerics;
        private byte[] code = new byte[0];
        private long dramSize;
        private final List<DramSegment> segments = new ArrayList<>();
        private final List<Symbol> symbols = new ArrayList<>();
        private final List<SourceEntry> sourceMap = new ArrayList<>();
        private final List<LayerInfo> layers = new ArrayList<>();
        private String modelName = "";
        private String modelSha256 = "";
        private final List<String> inputs = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();

        private Builder(String toolVersion, HwConfig hwConfig, Numerics numerics) {
            this.toolVersion = toolVersion;
            this.hwConfig = hwConfig;
            this.numerics = numerics;
        }

        public Builder code(byte[] code) { this.code = code.clone(); return this; }

        public Builder dramSize(long bytes) { this.dramSize = bytes; return this; }

        public Builder segment(DramSegment s) { segments.add(s); return this; }

        public Builder symbol(Symbol s) { symbols.add(s); return this; }

        public Builder source(SourceEntry e) { sourceMap.add(e); return this; }

        public Builder layer(LayerInfo l) { layers.add(l); return this; }

        public Builder model(String name, String sha256) { modelName = name; modelSha256 = sha256; return this; }

        public Builder input(String symbolName) { inputs.add(symbolName); return this; }

        public Builder output(String symbolName) { outputs.add(symbolName); return this; }

        public Program build() {
            return new Program(toolVersion, code, dramSize, segments, symbols, sourceMap, layers, numerics, hwConfig,
                    modelName, modelSha256, inputs, outputs);
        }
    }
}
