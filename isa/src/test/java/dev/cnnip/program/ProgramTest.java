package dev.cnnip.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.tensor.DType;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProgramTest {
    private static final HwConfig TINY = HwConfig.preset("tiny");

    @Test
    void helpers() {
        Program p = Fixtures.full();
        assertEquals(3, p.instructionCount());
        assertArrayEquals(Arrays.copyOfRange(Fixtures.code(3), 16, 32), p.instruction(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.instruction(3));
        assertEquals(ByteOrder.LITTLE_ENDIAN, p.codeBuffer().order());
        assertEquals(48, p.codeBuffer().remaining());
        assertEquals(Fixtures.weights(), p.symbol("fc_w").orElseThrow());
        assertTrue(p.symbol("nope").isEmpty());
        assertEquals(1, p.layer("fc").orElseThrow().index());
        assertEquals("conv0", p.sourceFor(0).orElseThrow().note());
        assertEquals(2, p.sourceFor(1).orElseThrow().tile());
        assertEquals(-1, p.sourceFor(2).orElseThrow().layer());
        assertEquals(-1, p.sourceFor(1000).orElseThrow().layer());
        Program later = Program.builder("t", TINY, Numerics.ORT).code(Fixtures.code(4))
                .source(new SourceEntry(2, -1, -1, "x")).build();
        assertTrue(later.sourceFor(1).isEmpty());
        assertEquals("x", later.sourceFor(3).orElseThrow().note());
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] code = Fixtures.code(1);
        Program p = Program.builder("t", TINY, Numerics.HW).code(code).build();
        code[0] = 99;
        p.code()[1] = 99;
        assertArrayEquals(Fixtures.code(1), p.code());

        int[] shape = {2, 3};
        Symbol s = new Symbol("s", DType.INT8, shape, "ROW_MAJOR", shape, 0, 6, new float[0], new int[0], 0,
                SymbolKind.ACTIVATION, -1);
        shape[0] = 7;
        s.shape()[1] = 7;
        assertArrayEquals(new int[] {2, 3}, s.shape());
        assertEquals(6, s.elementCount());

        byte[] data = {1, 2};
        DramSegment seg = new DramSegment("d", 0, data);
        data[0] = 9;
        seg.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, seg.data());
        assertEquals(new DramSegment("d", 0, new byte[] {1, 2}), seg);
    }

    @Test
    void programInvariants() {
        rejects(b -> b.code(new byte[17]), "code has 17 bytes, not a multiple of 16");
        rejects(b -> b.dramSize(TINY.dramBytes() + 1), "dram_size 16777217 exceeds dram.bytes 16777216 of hw config tiny");
        rejects(b -> b.dramSize(100).segment(new DramSegment("w", 96, new byte[8])), "segment 'w' [0x60, 0x68) lies outside dram_size 100");
        rejects(b -> b.dramSize(100).segment(new DramSegment("a", 0, new byte[8])).segment(new DramSegment("b", 4, new byte[8])),
                "segment 'a' [0x0, 0x8) overlaps segment 'b' [0x4, 0xc)");
        rejects(b -> b.dramSize(100).segment(new DramSegment("a", 0, new byte[1])).segment(new DramSegment("a", 4, new byte[1])),
                "duplicate segment name 'a'");
        rejects(b -> b.dramSize(40).symbol(Fixtures.input()), "symbol 'input' [0x0, 0x30) lies outside dram_size 40");
        rejects(b -> b.dramSize(100).symbol(Fixtures.input()).symbol(Fixtures.input()), "duplicate symbol name 'input'");
        rejects(b -> b.dramSize(2048).symbol(Fixtures.output()), "symbol 'logits' names layer 1 of 0");
        rejects(b -> b.layer(new LayerInfo(1, "l", "Conv", List.of(), List.of(), List.of(), 0)), "layer 'l' has index 1 at position 0");
        rejects(b -> b.code(Fixtures.code(3)).source(new SourceEntry(1, -1, -1, "")).source(new SourceEntry(1, -1, -1, "")),
                "source map insn 1 follows 1");
        rejects(b -> b.code(Fixtures.code(3)).source(new SourceEntry(3, -1, -1, "")), "source map insn 3 beyond the 3 instructions");
        rejects(b -> b.code(Fixtures.code(3)).source(new SourceEntry(0, 0, -1, "")), "source map insn 0 names layer 0 of 0");
        rejects(b -> b.input("ghost"), "input 'ghost' is not a symbol");
        rejects(b -> b.dramSize(100).symbol(Fixtures.input()).output("input"), "output 'input' is a symbol of kind INPUT");
        rejects(b -> b.dramSize(100).symbol(Fixtures.input()).input("input").input("input"), "duplicate input 'input'");
        rejects(b -> b.model("m", "ABC"), "model sha256 must be 64 lower-case hex digits or empty");
        rejects(b -> b.model("two\nlines", ""), "model name must be a single line");
        assertThrows(IllegalArgumentException.class, () -> Program.builder("", TINY, Numerics.HW).build());
    }

    @Test
    void symbolInvariants() {
        Executable perAxisCount = () -> new Symbol("w", DType.INT8, new int[] {4, 2}, "OIHW", new int[] {4, 2}, 0, 8,
                new float[] {1, 1, 1}, new int[0], 0, SymbolKind.WEIGHT, -1);
        assertMessage(perAxisCount, "symbol 'w': 3 scales along axis 0 of size 4");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4}, "X", new int[] {4}, 0, 4,
                new float[] {1}, new int[] {128}, 0, SymbolKind.WEIGHT, -1), "symbol 'w': zero point 128 outside the int8 range");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4}, "X", new int[] {4}, 0, 4,
                new float[] {1}, new int[] {1, 2}, 0, SymbolKind.WEIGHT, -1), "symbol 'w': 2 zero points for 1 scales");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4}, "X", new int[] {4}, 0, 4,
                new float[] {0f}, new int[0], 0, SymbolKind.WEIGHT, -1), "symbol 'w': scale must be finite and > 0");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4}, "X", new int[] {4}, 0, 4,
                new float[] {1}, new int[0], 1, SymbolKind.WEIGHT, -1), "symbol 'w': axis must be 0 unless quantized per axis");
        assertMessage(() -> new Symbol("w", DType.INT16, new int[] {4}, "X", new int[] {4}, 0, 7,
                new float[0], new int[0], 0, SymbolKind.WEIGHT, -1), "symbol 'w': 7 bytes cannot hold 4 int16 elements");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4, 4}, "X", new int[] {4, 3}, 0, 16,
                new float[0], new int[0], 0, SymbolKind.WEIGHT, -1), "symbol 'w': physical shape [4, 3] holds fewer elements");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {-1}, "X", new int[] {4}, 0, 16,
                new float[0], new int[0], 0, SymbolKind.WEIGHT, -1), "symbol 'w' shape [-1] has a negative dimension");
        assertMessage(() -> new Symbol("w", DType.INT8, new int[] {4}, "N C", new int[] {4}, 0, 16,
                new float[0], new int[0], 0, SymbolKind.WEIGHT, -1), "symbol 'w': layout must be letters, digits and _");
        assertMessage(() -> new Symbol("", DType.INT8, new int[] {4}, "X", new int[] {4}, 0, 16,
                new float[0], new int[0], 0, SymbolKind.WEIGHT, -1), "symbol name must not be empty");
        assertMessage(() -> new SourceEntry(0, -2, 0, ""), "source entry for insn 0: layer must be >= -1, got -2");
        assertMessage(() -> new LayerInfo(0, "l", "", List.of(), List.of(), List.of(), 0), "layer 0 op must not be empty");
        assertMessage(() -> new DramSegment("s", -1, new byte[0]), "segment 's' address must be >= 0, got -1");
    }

    private static void rejects(Consumer<Program.Builder> setup, String message) {
        Program.Builder b = Program.builder("t", TINY, Numerics.HW);
        setup.accept(b);
        assertMessage(b::build, message);
    }

    private static void assertMessage(Executable e, String prefix) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(prefix), "message '" + x.getMessage() + "' does not start with '" + prefix + "'");
    }
}
