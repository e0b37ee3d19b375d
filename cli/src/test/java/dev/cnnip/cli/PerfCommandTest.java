package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnip.emulator.timing.PerfInvariants;
import dev.cnnip.emulator.timing.PerfJson;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnnip perf}: the report, its files, sweeps and the rejection of bad parameters. */
class PerfCommandTest {
    @TempDir
    Path dir;

    private Path model;

    // One 3x3 pad-1 convolution, 6 -> 16 channels on 12x12: 12*12*16*3*3*6 MACs.
    private static final long MACS = 12L * 12 * 16 * 3 * 3 * 6;

    @BeforeEach
    void writeModel() throws IOException {
        model = dir.resolve("conv.onnx");
        OnnxModels.save(model, Fixtures.qlinearConv(6, 16, 12));
    }

    @Test
    void reportKeepsTheRunKeysAndAddsTheRoofline() throws IOException {
        Path json = dir.resolve("perf.json");
        Path csv = dir.resolve("perf.csv");
        CliRunner r = CliRunner.run("perf", model.toString(), "--hw", "tiny", "--json", json.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("frames/s"), r.out());
        assertTrue(r.out().contains("ideal bound"), r.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        // The keys run --perf writes, kept.
        for (String k : List.of("totalCycles", "engines", "layers", "total", "hwName")) assertTrue(root.has(k), k);
        for (String k : List.of("engine", "busy", "idle", "stallSemaphore", "stallDram")) {
            assertTrue(root.get("engines").get(0).has(k), k);
        }
        // Added: roofline terms, mapping efficiency, rates.
        for (String k : List.of("tSram", "mappingEfficiency", "limit", "dramRead", "dramWritten", "bandwidth")) {
            assertTrue(root.get("total").has(k), k);
        }
        for (String k : List.of("fps", "latencyMicros", "effectiveTops", "idealBound", "idealLimit")) assertTrue(root.has(k), k);
        PerfReport rep = PerfJson.read(Files.readString(json));
        assertEquals(MACS, rep.total().macs());
        assertEquals(List.of(), PerfInvariants.violations(rep));
        assertEquals(1e6 / (rep.totalCycles() / rep.clockMhz()), rep.fps(), 1e-6);
        assertTrue(Files.readString(csv).startsWith("layer,name,instructions,start,end,cycles,macs,dram_bytes,"));
    }

    @Test
    void programTimingDoesNotDependOnInputs() throws IOException {
        Path prog = dir.resolve("conv.cnnip");
        assertEquals(0, CliRunner.run("compile", model.toString(), "-o", prog.toString(), "--hw", "tiny").code());
        Path json = dir.resolve("p.json");
        CliRunner r = CliRunner.run("perf", prog.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        Path fromModel = dir.resolve("m.json");
        assertEquals(0, CliRunner.run("perf", model.toString(), "--hw", "tiny", "--json", fromModel.toString()).code());
        assertEquals(PerfJson.read(Files.readString(fromModel)).totalCycles(), PerfJson.read(Files.readString(json)).totalCycles());

        CliRunner bad = CliRunner.run("perf", prog.toString(), "--sweep", "mac.oc=2,4");
        assertNotEquals(0, bad.code());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.err().contains("give the ONNX model"), bad.err());
    }

    @Test
    void sweepPrintsOneRowPerPointAndTheLimitFollowsTheBottleneck() throws IOException {
        Path csv = dir.resolve("sweep.csv");
        CliRunner r = CliRunner.run("perf", model.toString(), "--hw", "tiny", "--sweep", "dram.bytes_per_cycle=1,64",
                "--sweep", "mac.oc=1,4", "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("dram.bytes_per_cycle,mac.oc,cycles,fps,mac_utilisation,dram_bytes,limit,x_ideal", lines.get(0));
        assertEquals(5, lines.size(), lines.toString());
        String[][] rows = lines.stream().skip(1).map(l -> l.split(",")).toArray(String[][]::new);
        // Grid order: the first key varies slowest.
        assertEquals(List.of("1", "1", "64", "64"), List.of(rows[0][0], rows[1][0], rows[2][0], rows[3][0]));
        assertEquals(List.of("1", "4", "1", "4"), List.of(rows[0][1], rows[1][1], rows[2][1], rows[3][1]));
        // T_mac = 124,416 MACs / (4 x lanes x 4): 7,776 cycles with mac.oc = 1, 1,944 with 4; T_dram is the
        // ~4 KB of input, weights, tables and output over 1 or 64 bytes/cycle. At 1 byte/cycle the full array
        // waits for DRAM while a quarter of it does not; at 64 bytes/cycle the MACs bound both.
        assertEquals(List.of("mac", "dram", "mac", "mac"), List.of(rows[0][6], rows[1][6], rows[2][6], rows[3][6]));
        assertTrue(Long.parseLong(rows[2][2]) > Long.parseLong(rows[3][2]), "more MAC lanes, fewer cycles");
        assertTrue(Long.parseLong(rows[0][2]) > Long.parseLong(rows[2][2]), "more bandwidth, fewer cycles");
        assertTrue(r.out().lines().count() >= 5, r.out());
    }

    @Test
    void badParametersAreRejectedInOneLineNamingTheRange() throws IOException {
        String[][] cases = {
            {"--set", "mac.ic=0", "mac.ic must be in [1, 65536], got 0"},
            {"--set", "mac.ic", "expected mac.ic=VALUE with VALUE an integer in [1, 65536]"},
            {"--set", "ex.dw_lanes=", "ex.dw_lanes expects an integer in [0, 16777216], got ''"},
            {"--set", "ex.model=systolic-xs", "ex.model must be one of block | systolic-ws | systolic-os | systolic-is"},
            {"--sweep", "ex.rows=4,0", "ex.rows must be in [1, 65536], got 0"},
            {"--sweep", "ex.rowz=4", "unknown hardware parameter 'ex.rowz'; did you mean ex.rows"},
            {"--sweep", "ex.rows=", "expected KEY=V1,V2,..."},
        };
        for (String[] c : cases) {
            CliRunner r = CliRunner.run("perf", model.toString(), "--hw", "tiny", c[0], c[1], "--json",
                    dir.resolve("never.json").toString());
            assertEquals(1, r.code(), String.join(" ", c));
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertFalse(Files.exists(dir.resolve("never.json")), "no partial output");
        }
        Path preset = Files.writeString(dir.resolve("bad.json"), "{\"ex.zero_skip\": \"maybe\"}");
        CliRunner r = CliRunner.run("perf", model.toString(), "--hw", preset.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("bad.json: ex.zero_skip must be one of off | on, got 'maybe'"), r.err());
    }
}
