package dev.cnnip.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.SymbolKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-convolution model's middle tensor stays in SRAM only by default (never stored to DRAM); its
 * vectors must be the same files as when it is written through to DRAM, where the exporter reads it
 * straight from memory. (VectorExportTest checks the default export against ONNX Runtime and a direct
 * convolution.)
 */
class SramOnlyVectorsTest {
    @TempDir
    Path dir;

    @Test
    void anSramOnlyTensorGivesTheSameVectorsAsItsWriteThroughCopy() throws IOException {
        CompileOptions base = CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT);
        Program sramOnly = Compiler.compile(TwoConvs.model(), "two_convs.onnx", base);
        Program through = Compiler.compile(TwoConvs.model(), "two_convs.onnx", base.withKeepInDram(true));
        assertEquals(SymbolKind.SRAM_ACTIVATION, sramOnly.symbol("m").orElseThrow().kind(), "the default keeps m in SRAM only");
        assertEquals(SymbolKind.ACTIVATION, through.symbol("m").orElseThrow().kind());
        Path a = dir.resolve("sram");
        Path b = dir.resolve("through");
        VectorExporter.export(sramOnly, TwoConvs.inputs(), VectorOptions.defaults(), a, false, VectorExporter.FileListener.NONE);
        VectorExporter.export(through, TwoConvs.inputs(), VectorOptions.defaults(), b, false, VectorExporter.FileListener.NONE);
        List<Path> npys = npys(b);
        assertTrue(npys.stream().anyMatch(p -> p.toString().endsWith("acc.npy")), "accumulators exported");
        assertEquals(npys, npys(a));
        for (Path p : npys) assertArrayEquals(Files.readAllBytes(b.resolve(p)), Files.readAllBytes(a.resolve(p)), p.toString());
    }

    private static List<Path> npys(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("layers"))) {
            return s.filter(p -> p.toString().endsWith(".npy")).map(root::relativize).sorted().toList();
        }
    }
}
