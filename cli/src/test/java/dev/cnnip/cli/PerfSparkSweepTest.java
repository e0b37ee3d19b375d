package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnip perf --sweep … --spark local[2]}: the points run as Spark tasks in local mode and give the
 * same table, CSV and JSON as the sweep run in the command's process, a point that does not compile
 * included (its error on its row and on stderr).
 */
class PerfSparkSweepTest {
    @TempDir
    Path dir;

    @Test
    void sparkSweepRowsEqualTheLocalSweepRows() throws IOException {
        Path model = dir.resolve("conv.onnx");
        OnnxModels.save(model, Fixtures.qlinearConv(6, 16, 12));
        String[] sweep = {"perf", model.toString(), "--hw", "tiny", "--sweep", "dram.bytes_per_cycle=1,64",
                "--sweep", "mac.oc=1,4", "--sweep", "sram.bytes=256,65536"};
        CliRunner local = CliRunner.run(concat(sweep, "--csv", dir.resolve("local.csv").toString(), "--json",
                dir.resolve("local.json").toString()));
        CliRunner spark = CliRunner.run(concat(sweep, "--spark", "local[2]", "--csv", dir.resolve("spark.csv").toString(),
                "--json", dir.resolve("spark.json").toString()));
        assertEquals(local.code(), spark.code(), spark.err());
        assertEquals(local.out(), spark.out());
        assertEquals(Files.readString(dir.resolve("local.csv")), Files.readString(dir.resolve("spark.csv")));
        assertEquals(Files.readString(dir.resolve("local.json")), Files.readString(dir.resolve("spark.json")));
        // 8 points; the 256-byte SRAM cannot hold the layer's tiles, so half of them fail, on both runners.
        assertEquals(9, Files.readAllLines(dir.resolve("spark.csv")).size());
        assertTrue(local.out().contains("4 of 8 points failed"), local.out());
        assertEquals(4, local.err().lines().filter(l -> l.startsWith("cnnip perf: point ")).count(), local.err());
        assertEquals(local.err().lines().filter(l -> l.startsWith("cnnip perf: point ")).toList(),
                spark.err().lines().filter(l -> l.startsWith("cnnip perf: point ")).toList());
    }

    @Test
    void sparkWithoutSweepIsRefused() throws IOException {
        Path model = dir.resolve("conv.onnx");
        OnnxModels.save(model, Fixtures.qlinearConv(6, 16, 12));
        CliRunner r = CliRunner.run("perf", model.toString(), "--hw", "tiny", "--spark", "local[2]");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--spark needs --sweep"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
