package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.emulator.Machine;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Serial mode (every instruction waits for the one before) and overlapped mode leave the same bytes in every
 * input, output and activation tensor; overlapping never costs cycles; every semaphore ends at zero.
 */
class SerialOverlapTest {
    private static final Set<SymbolKind> DATA = EnumSet.of(SymbolKind.INPUT, SymbolKind.OUTPUT, SymbolKind.ACTIVATION,
            SymbolKind.SRAM_ACTIVATION);

    @Test
    void serialAndOverlappedAgree() {
        int programs = 0;
        long symbols = 0;
        long serialCycles = 0;
        long overlappedCycles = 0;
        for (GeneratedModel g : RandomModels.all()) {
            Map<String, Tensor> in = g.randomInputs();
            for (Numerics n : Numerics.values()) {
                Program p = Sim.compile(g, n);
                Machine serial = Sim.run(p, in, true);
                Machine overlapped = Sim.run(p, in, false);
                String what = g.name() + " (" + n + ")";
                for (Symbol s : p.symbols()) {
                    if (!DATA.contains(s.kind())) continue;
                    assertArrayEquals(serial.readSymbol(s.name()).data(), overlapped.readSymbol(s.name()).data(),
                            what + ": symbol " + s.name());
                    symbols++;
                }
                long sc = serial.perfReport().totalCycles();
                long oc = overlapped.perfReport().totalCycles();
                assertEquals("serial", serial.perfReport().mode());
                assertEquals("overlapped", overlapped.perfReport().mode());
                assertTrue(oc <= sc, what + ": overlapped " + oc + " cycles, serial " + sc);
                assertEquals(Map.of(), serial.semaphoreBalances(), what + " serial");
                assertEquals(Map.of(), overlapped.semaphoreBalances(), what + " overlapped");
                programs++;
                serialCycles += sc;
                overlappedCycles += oc;
            }
        }
        System.out.printf("serial vs overlapped: %d programs, %d tensors byte-identical; %d serial vs %d overlapped cycles "
                + "in all (overlap saves %.1f %%)%n", programs, symbols, serialCycles, overlappedCycles,
                100.0 * (serialCycles - overlappedCycles) / serialCycles);
        assertTrue(overlappedCycles < serialCycles, "overlap saves cycles somewhere");
    }
}
