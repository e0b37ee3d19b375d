package dev.cnnip.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HwConfigTest {
    /** SHA-256 of the v3u-like values; computed once. A change means every recorded hash changes: deliberate only. */
    private static final String V3U_LIKE_HASH = "cbac6afcde9cfe2855175149c95d297bc84b851ff7f876d644276d4a14eef394";

    @TempDir Path tmp;

    static List<String> presets() {
        return HwConfig.presetNames();
    }

    @Test
    void defaultsAreTheV3uLikeMachine() {
        HwConfig c = HwConfig.defaults();
        assertEquals("v3u-like", c.name());
        assertEquals(800.0, c.clockMhz());
        assertEquals(24, c.macIc());
        assertEquals(24, c.macOc());
        assertEquals(24, c.macPx());
        assertEquals(13_824, c.macs());
        assertEquals(2 * 1024 * 1024, c.sramBytes());
        assertEquals(256, c.sramBytesPerCycle());
        assertEquals(512, c.busBits());
        assertEquals(64, c.busBytesPerCycle());
        assertEquals(32, c.dramBytesPerCycle());
        assertEquals(100, c.dramLatency());
        assertEquals(256L * 1024 * 1024, c.dramBytes());
        assertEquals(32, c.dmaSetup());
        assertEquals(2, c.dmaRowOverhead());
        assertEquals(16, c.exFill());
        assertEquals(64, c.ppLanes());
        assertEquals(8, c.ppLatency());
        assertEquals(1, c.ctlLatency());
        assertEquals(16, c.queueDepth());
        assertEquals(1, c.fetchPerCycle());
        assertEquals(ExModel.BLOCK, c.exModel());
        assertEquals(32, c.exRows());
        assertEquals(32, c.exCols());
        // Three accelerators of this size are the V3U's published 66 TOPS.
        assertEquals(66.4, 3 * c.peakTops(), 0.1);
    }

    @Test
    void v3uLikePresetSetsNothingButTheRegistryDefaults() {
        HwConfig empty = HwConfig.fromJson("{}", "empty");
        assertEquals(empty.hash(), HwConfig.defaults().hash());
        assertTrue(HwConfig.defaults().params().stream().allMatch(HwParam::isDefault));
    }

    @Test
    void registryDeclaresTheDocumentedProvenance() {
        assertEquals(Provenance.DATASHEET, HwKey.CLOCK_MHZ.provenance());
        assertEquals(Provenance.DATASHEET, HwKey.SRAM_BYTES.provenance());
        assertEquals(Provenance.DATASHEET, HwKey.BUS_BITS.provenance());
        assertEquals(Provenance.ASSUMED, HwKey.MAC_IC.provenance());
        assertEquals(Provenance.KNOB, HwKey.DRAM_BYTES.provenance());
        assertEquals(Provenance.KNOB, HwKey.EX_MODEL.provenance());
        assertEquals("datasheet", Provenance.DATASHEET.label());
        for (HwKey k : HwKey.values()) {
            assertTrue(k.key().matches("[a-z]+\\.[a-z_]+"), k.key());
            assertFalse(k.description().isBlank(), k.key());
            assertEquals(k, HwKey.find(k.key()).orElseThrow());
        }
    }

    @ParameterizedTest
    @MethodSource("presets")
    void eachPresetLoadsWithItsNameAndADescription(String name) {
        HwConfig c = HwConfig.preset(name);
        assertEquals(name, c.name());
        assertFalse(c.description().isBlank());
        assertEquals(c, HwConfig.load(name));
        assertEquals(c.macIc() * c.macOc() * c.macPx(), c.macs());
    }

    @Test
    void presetListMatchesTheResourceFolder() throws IOException, URISyntaxException {
        Path dir = Path.of(HwConfig.class.getResource("/hw/").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> onDisk = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json")).map(f -> f.substring(0, f.length() - 5))
                    .collect(Collectors.toSet());
            assertEquals(Set.copyOf(HwConfig.presetNames()), onDisk);
        }
    }

    @Test
    void presetValues() {
        HwConfig tiny = HwConfig.preset("tiny");
        assertEquals(64, tiny.macs());
        assertEquals(65_536, tiny.sramBytes());
        assertEquals(8, tiny.busBytesPerCycle());
        assertEquals(8, tiny.dramBytesPerCycle());
        assertEquals(16L << 20, tiny.dramBytes());

        HwConfig nv = HwConfig.preset("nv-small");
        assertEquals(64, nv.macs());
        assertEquals(128 * 1024, nv.sramBytes());

        HwConfig sys = HwConfig.preset("systolic-32");
        assertEquals(ExModel.SYSTOLIC_WS, sys.exModel());
        assertEquals(32, sys.exRows());
        assertEquals(32, sys.exCols());
        assertEquals(sys.exRows() * sys.exCols(), sys.macs());
    }

    @Test
    void overridesAreParsedByType() {
        HwConfig c = HwConfig.preset("tiny")
                .withOverride("mac.ic=8")
                .withOverride(" sram.bytes = 0x2_0000 ")
                .withOverride("clock.mhz=1066.5")
                .withOverride("ex.model=systolic-os")
                .withOverride("dram.latency=010"); // decimal, not octal
        assertEquals(8, c.macIc());
        assertEquals(8 * 4 * 4, c.macs());
        assertEquals(0x20000, c.sramBytes());
        assertEquals(1066.5, c.clockMhz());
        assertEquals(ExModel.SYSTOLIC_OS, c.exModel());
        assertEquals(10, c.dramLatency());
        assertEquals("tiny", c.name());

        HwConfig m = HwConfig.defaults().withOverrides(Map.of("pp.lanes", "32", "ex.rows", "1_024"));
        assertEquals(32, m.ppLanes());
        assertEquals(1024, m.exRows());
    }

    @Test
    void overridesAreRejectedWithTheKeyNamed() {
        HwConfig c = HwConfig.defaults();
        assertMessage(() -> c.withOverride("mac.icc=8"), "unknown hardware parameter 'mac.icc'", "did you mean mac.ic");
        assertMessage(() -> c.withOverride("bytes=8"), "did you mean", "dram.bytes", "sram.bytes");
        assertMessage(() -> c.withOverride("zzz=1"), "unknown hardware parameter 'zzz'", "sections are");
        assertMessage(() -> c.withOverride("mac.ic=abc"), "mac.ic expects an integer", "'abc'");
        assertMessage(() -> c.withOverride("mac.ic=4.5"), "mac.ic expects an integer");
        assertMessage(() -> c.withOverride("mac.ic=0"), "mac.ic must be in [1, 65536], got 0");
        assertMessage(() -> c.withOverride("sram.bytes=-1"), "sram.bytes must be in", "got -1");
        assertMessage(() -> c.withOverride("dram.bytes=99999999999999999999"), "dram.bytes is out of range");
        assertMessage(() -> c.withOverride("bus.bits=12"), "bus.bits must be a multiple of 8");
        assertMessage(() -> c.withOverride("clock.mhz=NaN"), "clock.mhz expects a number");
        assertMessage(() -> c.withOverride("clock.mhz=800f"), "clock.mhz expects a number");
        assertMessage(() -> c.withOverride("clock.mhz=0"), "clock.mhz must be in [1, 100000], got 0");
        assertMessage(() -> c.withOverride("ex.model=systolic"), "ex.model must be one of block | systolic-ws | systolic-os");
        // Every rejection names the parameter and what it accepts, in one line.
        assertMessage(() -> c.withOverride("mac.ic"), "override 'mac.ic': expected mac.ic=VALUE with VALUE an integer in [1, 65536]");
        assertMessage(() -> c.withOverride("mac.ic="), "mac.ic expects an integer in [1, 65536], got ''");
        assertMessage(() -> c.withOverride("clock.mhz=fast"), "clock.mhz expects a number in [1, 100000], got 'fast'");
        assertMessage(() -> c.withOverride("ex.dw_lanes=-1"), "ex.dw_lanes must be in [0, 16777216], got -1");
        assertMessage(() -> c.withOverride("ex.zero_skip=yes"), "ex.zero_skip must be one of off | on, got 'yes'");
        assertMessage(() -> c.withOverride("bus.bits=12"), "bus.bits must be a multiple of 8 in [8, 1048576], got 12");
        assertMessage(() -> c.withOverride("ex.modle=block"), "unknown hardware parameter 'ex.modle'; did you mean ex.model");
        assertEquals("systolic-is", c.withOverride("ex.model=systolic-is").getString("ex.model"));
    }

    @Test
    void typedGettersCheckKeyAndType() {
        HwConfig c = HwConfig.defaults();
        assertEquals(24, c.getLong("mac.ic"));
        assertEquals(24.0, c.getDouble("mac.ic"));
        assertEquals(800.0, c.getDouble("clock.mhz"));
        assertEquals("block", c.getString("ex.model"));
        assertMessage(() -> c.getLong("clock.mhz"), "clock.mhz is of type REAL");
        assertMessage(() -> c.getString("mac.ic"), "mac.ic is of type INTEGER");
        assertMessage(() -> c.getDouble("ex.model"), "ex.model is of type CHOICE");
        assertMessage(() -> c.getLong("sram.byte"), "unknown hardware parameter 'sram.byte'", "sram.bytes");
    }

    @Test
    void filesAreValidatedWithTheFileNamed() throws IOException {
        Path ok = write("mine.json", "{\"mac.ic\": 8, \"clock.mhz\": 600}");
        HwConfig c = HwConfig.load(ok.toString());
        assertEquals("mine", c.name());
        assertEquals(8 * 24 * 24, c.macs());
        assertEquals(600.0, c.clockMhz());

        assertFileError("{\"mac.ic\": 8,}", "malformed JSON at line 1");
        assertFileError("{\"mac.ic\": 8} {}", "malformed JSON");
        assertFileError("", "empty JSON document");
        assertFileError("[1, 2]", "expected a JSON object");
        assertFileError("{\"mac.ic\": 8, \"mac.ic\": 9}", "malformed JSON", "mac.ic");
        assertFileError("{\"mac.icc\": 8}", "unknown hardware parameter 'mac.icc'", "did you mean mac.ic");
        assertFileError("{\"mac.ic\": \"8\"}", "mac.ic expects an integer in [1, 65536], got \"8\"");
        assertFileError("{\"mac.ic\": 8.5}", "mac.ic expects an integer in [1, 65536], got 8.5");
        assertFileError("{\"sram.bytes\": 0}", "sram.bytes must be in [1, 1099511627776], got 0");
        assertFileError("{\"clock.mhz\": \"fast\"}", "clock.mhz expects a number");
        assertFileError("{\"ex.model\": 3}", "ex.model expects one of block | systolic-ws | systolic-os | systolic-is, got 3");
        assertFileError("{\"name\": 3}", "name must be a string");
        assertFileError("{\"name\": \" \"}", "name must be a non-empty single line");
    }

    @Test
    void unknownPresetAndMissingFile() {
        assertMessage(() -> HwConfig.preset("v3h"), "unknown hardware preset 'v3h'", "tiny");
        assertMessage(() -> HwConfig.load("v3h"), "'v3h' is neither a hardware preset", "v3u-like");
        String missing = tmp.resolve("nope.json").toString();
        assertMessage(() -> HwConfig.load(missing), missing + ": hardware config file not found");
    }

    @Test
    void hashIsStableAndCoversValuesOnly() {
        assertEquals(V3U_LIKE_HASH, HwConfig.defaults().hash());
        assertEquals(V3U_LIKE_HASH, HwConfig.preset("v3u-like").hash());

        HwConfig renamed = HwConfig.fromJson("{\"name\": \"other\", \"description\": \"same values\"}", "test");
        assertEquals(V3U_LIKE_HASH, renamed.hash());
        assertNotEquals(HwConfig.defaults(), renamed);

        assertNotEquals(V3U_LIKE_HASH, HwConfig.defaults().withOverride("dma.setup=33").hash());
        assertNotEquals(V3U_LIKE_HASH, HwConfig.defaults().withOverride("clock.mhz=800.5").hash());
        assertNotEquals(V3U_LIKE_HASH, HwConfig.defaults().withOverride("ex.model=systolic-ws").hash());
        // Setting a value to its default is no change.
        assertEquals(V3U_LIKE_HASH, HwConfig.defaults().withOverride("mac.ic=24").hash());
    }

    @Test
    void hashIsSha256OfTheCanonicalValues() throws Exception {
        HwConfig c = HwConfig.preset("tiny");
        String valuesOnly = c.toCanonicalJson().lines()
                .filter(l -> !l.startsWith("  \"name\"") && !l.startsWith("  \"description\""))
                .collect(Collectors.joining("\n", "", "\n"));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(valuesOnly.getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest), c.hash());
    }

    @Test
    void canonicalJsonIsSortedAndStable() {
        String json = HwConfig.defaults().toCanonicalJson();
        List<String> keys = json.lines().filter(l -> l.startsWith("  \"")).map(l -> l.substring(3, l.indexOf('"', 3)))
                .toList();
        assertEquals(List.of("name", "description"), keys.subList(0, 2));
        List<String> params = keys.subList(2, keys.size());
        assertEquals(params.stream().sorted().toList(), params);
        assertEquals(HwKey.values().length, params.size());
        assertTrue(json.contains("\n  \"clock.mhz\": 800,\n"), json);
        assertTrue(json.contains("\n  \"ex.model\": \"block\",\n"), json);
        assertTrue(json.endsWith("}\n"));
        assertEquals(json, HwConfig.preset("v3u-like").toCanonicalJson());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void canonicalJsonRoundTrips(String name) {
        HwConfig c = HwConfig.preset(name).withOverride("clock.mhz=1066.67");
        HwConfig back = HwConfig.fromCanonicalJson(c.toCanonicalJson());
        assertEquals(c, back);
        assertEquals(c.hash(), back.hash());
        assertEquals(c.toCanonicalJson(), back.toCanonicalJson());
    }

    @Test
    void descriptionsWithSpecialCharactersRoundTrip() {
        HwConfig c = HwConfig.fromJson("{\"name\": \"q\", \"description\": \"a \\\"quoted\\\" \\\\ tab\\t µ\\u0001\"}", "t");
        assertEquals(c, HwConfig.fromCanonicalJson(c.toCanonicalJson()));
    }

    @Test
    void paramsListEveryKeyInRegistryOrder() {
        HwConfig tiny = HwConfig.preset("tiny");
        List<HwParam> params = tiny.params();
        assertEquals(HwKey.values().length, params.size());
        for (int i = 0; i < params.size(); i++) assertEquals(HwKey.values()[i], params.get(i).param());
        HwParam ic = params.get(HwKey.MAC_IC.ordinal());
        assertEquals("mac.ic", ic.key());
        assertEquals(4L, ic.value());
        assertEquals("lanes", ic.unit());
        assertEquals(Provenance.ASSUMED, ic.provenance());
        assertFalse(ic.isDefault());
        HwParam clock = params.get(HwKey.CLOCK_MHZ.ordinal());
        assertEquals("800", clock.valueText());
        assertTrue(clock.isDefault());
    }

    @ParameterizedTest
    @ValueSource(doubles = {800, 1066.67, 0.1, 0.002, 1e21, 1.5e-7, 123456789.125, Double.MIN_VALUE, Double.MAX_VALUE})
    void realsUseTheShortestRoundTripText(double v) {
        String text = Reals.format(v);
        assertEquals(v, Double.parseDouble(text));
        assertFalse(text.endsWith(".0"), text);
    }

    @Test
    void realFormattingIsFixed() {
        assertEquals("800", Reals.format(800));
        assertEquals("0.002", Reals.format(0.002));
        assertEquals("0.1", Reals.format(0.1));
        assertEquals("1066.67", Reals.format(1066.67));
        assertEquals("1E+21", Reals.format(1e21));
        assertEquals("1.5E-7", Reals.format(1.5e-7));
        assertEquals("-2.5", Reals.format(-2.5));
    }

    @Test
    void closeMatches() {
        assertEquals("mac.ic", HwKey.closeMatches("mac.icc").get(0));
        assertTrue(HwKey.closeMatches("latency").containsAll(List.of("dram.latency", "pp.latency", "ctl.latency")));
        assertTrue(HwKey.closeMatches("sram.bytes_per_cyle").contains("sram.bytes_per_cycle"));
        assertEquals(List.of(), HwKey.closeMatches("completely.unrelated"));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private void assertFileError(String text, String... fragments) throws IOException {
        Path f = write("bad.json", text);
        String[] all = Stream.concat(Stream.of(f + ": "), Stream.of(fragments)).toArray(String[]::new);
        assertMessage(() -> HwConfig.fromFile(f), all);
    }

    private static void assertMessage(Runnable r, String... fragments) {
        HwConfigException e = assertThrows(HwConfigException.class, r::run);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String f : fragments) assertTrue(m.contains(f), "message '" + m + "' lacks '" + f + "'");
    }
}
