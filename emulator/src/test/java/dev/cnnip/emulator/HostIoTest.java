package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Host I/O: logical ↔ physical layouts, input checks, the one-call simulator. */
class HostIoTest {
    private static final int[] NCHW = {1, 3, 4, 5};
    private static final int[] NHWC_PADDED = {1, 4, 5, 4}; // channels padded 3 -> 4

    private static Symbol sym(String name, DType t, int[] shape, String layout, int[] phys, long addr, SymbolKind kind) {
        long bytes = Tensor.numElements(phys) * t.size();
        return new Symbol(name, t, shape, layout, phys, addr, bytes, new float[0], new int[0], 0, kind, -1);
    }

    /** Copies the 80 physical bytes of x (0x100) to y (0x400) through SRAM. */
    private static Program copyProgram() {
        return TestPrograms.tiny().dram(0x1000)
                .symbol(sym("x", DType.UINT8, NCHW, "NHWC", NHWC_PADDED, 0x100, SymbolKind.INPUT))
                .symbol(sym("y", DType.UINT8, NCHW, "NHWC", NHWC_PADDED, 0x400, SymbolKind.OUTPUT))
                .symbol(sym("t", DType.INT16, new int[] {2, 3}, "ROW_MAJOR", new int[] {2, 4}, 0x800, SymbolKind.ACTIVATION))
                .symbol(sym("q", DType.UINT8, new int[] {2}, "NC8HW", new int[] {2}, 0x900, SymbolKind.ACTIVATION))
                .input("x").output("y")
                .asm("ld.set esz=80\nld dram=0x100 sram=0 signal=0\nst.set esz=80\nst dram=0x400 sram=0 wait=0\nfinish")
                .build();
    }

    private static Tensor randomInput(long seed) {
        Tensor t = Tensor.zeros(DType.UINT8, NCHW);
        Random rnd = new Random(seed);
        for (int i = 0; i < t.size(); i++) t.setLong(i, rnd.nextInt(256));
        return t;
    }

    @ParameterizedTest(name = "serial={0}")
    @ValueSource(booleans = {false, true})
    void nhwcRoundTripThroughTheMachine(boolean serial) {
        Program p = copyProgram();
        Tensor x = randomInput(1);
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        m.writeInput("x", x);
        // Physical layout: element (0, c, h, w) at ((h * 5 + w) * 4 + c); the padding channel is zero.
        for (int c = 0; c < 4; c++) {
            for (int h = 0; h < 4; h++) {
                for (int w = 0; w < 5; w++) {
                    int expect = c < 3 ? (int) x.getLong((c * 4 + h) * 5 + w) : 0;
                    assertEquals(expect, m.state().dram().u8(0x100 + (h * 5 + w) * 4 + c), "c" + c + " h" + h + " w" + w);
                }
            }
        }
        assertTrue(m.readSymbol("x").contentEquals(x));
        m.run();
        Map<String, Tensor> out = m.outputs();
        assertEquals(List.of("y"), List.copyOf(out.keySet()));
        assertTrue(out.get("y").contentEquals(x), "y is x after the copy");

        SimResult r = Simulator.run(p, Map.of("x", randomInput(2)), SimOptions.defaults().withSerial(serial));
        assertTrue(r.outputs().get("y").contentEquals(randomInput(2)));
        assertEquals(p.instructionCount(), r.retiredCount());
        assertEquals(Map.of(), r.semaphoreBalances());
        assertEquals(List.of(), r.warnings());
        assertEquals(r.perfReport().totalCycles(), r.perfReport().total().cycles());
    }

    @Test
    void rowMajorWithPaddingAndFloat() {
        Symbol s = sym("t", DType.INT16, new int[] {2, 3}, "ROW_MAJOR", new int[] {2, 4}, 0, SymbolKind.ACTIVATION);
        Tensor t = Tensor.ofLongs(DType.INT16, new int[] {2, 3}, 1, -2, 3, 400, -500, 600);
        byte[] phys = Layouts.toPhysical(s, t);
        assertArrayEquals(new byte[] {1, 0, -2, -1, 3, 0, 0, 0, (byte) 144, 1, 12, -2, 88, 2, 0, 0}, phys);
        assertTrue(Layouts.toLogical(s, phys).contentEquals(t));

        Symbol f = sym("f", DType.FLOAT32, new int[] {1, 2, 2, 2}, "NHWC", new int[] {1, 2, 2, 2}, 0, SymbolKind.INPUT);
        Tensor ft = Tensor.ofFloats(new int[] {1, 2, 2, 2}, 0, 1, 2, 3, 4, 5, 6, 7);
        Tensor back = Layouts.toLogical(f, Layouts.toPhysical(f, ft));
        assertTrue(back.contentEquals(ft));
        // NHWC order: (h0 w0 c0), (h0 w0 c1) = logical 0, 4.
        Tensor physView = new Tensor(DType.FLOAT32, new int[] {8}, Layouts.toPhysical(f, ft));
        assertEquals(4f, physView.getFloat(1));
    }

    @Test
    void errorsNameTheSymbol() {
        Machine m = new Machine(copyProgram());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.writeInput("x", Tensor.zeros(DType.INT8, NCHW)));
        assertEquals("input 'x': expected uint8[1, 3, 4, 5], got int8[1, 3, 4, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.writeInput("x", Tensor.zeros(DType.UINT8, 1, 4, 5, 3)));
        assertEquals("input 'x': expected uint8[1, 3, 4, 5], got uint8[1, 4, 5, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.writeInput("y", Tensor.zeros(DType.UINT8, NCHW)));
        assertEquals("symbol 'y' is OUTPUT, not an INPUT", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.writeInput("z", Tensor.zeros(DType.UINT8, NCHW)));
        assertEquals("no symbol 'z' in the program (inputs: x)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.readSymbol("q"));
        assertEquals("symbol 'q': unknown layout 'NC8HW' (known: ROW_MAJOR, NHWC, OHWI)", e.getMessage());
        assertEquals(DType.INT16, m.readSymbol("t").dtype(), "intermediate symbols are readable");
        e = assertThrows(IllegalArgumentException.class, () -> Simulator.run(copyProgram(), Map.of(), SimOptions.defaults()));
        assertEquals("missing input 'x'", e.getMessage());
    }
}
