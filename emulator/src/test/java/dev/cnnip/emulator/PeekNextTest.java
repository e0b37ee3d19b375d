package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.program.Program;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Machine#peekNext()}: names the instruction the next step retires and changes nothing. */
class PeekNextTest {
    @Test
    void peekNamesTheNextRetirementAndLeavesOrderTimingAndResultsAlone() {
        for (boolean serial : new boolean[] {false, true}) {
            Pipeline pl = new Pipeline(6, 7);
            Program p = pl.program(TestPrograms.TINY, false);
            Machine plain = TestPrograms.run(p, serial);
            List<Integer> plainOrder = order(p, serial);
            Machine peeked = new Machine(p, SimOptions.defaults().withSerial(serial));
            List<Integer> peekedOrder = new ArrayList<>();
            while (true) {
                int next = peeked.peekNext();
                assertEquals(next, peeked.peekNext(), "peeking twice gives the same answer");
                RetireEvent e = peeked.step();
                if (e == null) {
                    assertEquals(-1, next);
                    break;
                }
                assertEquals(next, e.pc(), "serial=" + serial + ", retirement " + e.seq());
                peekedOrder.add(e.pc());
            }
            assertEquals(-1, peeked.peekNext(), "nothing after finish");
            assertEquals(plainOrder, peekedOrder);
            assertEquals(plain.perfReport().totalCycles(), peeked.perfReport().totalCycles());
            for (int t = 0; t < pl.tiles; t++) {
                for (int m = 0; m < Pipeline.M; m++) {
                    for (int n = 0; n < Pipeline.N; n++) {
                        assertEquals(pl.expected(t, m, n),
                                peeked.state().dram().u8(Pipeline.Y_DRAM + 32L * t + m * Pipeline.N + n));
                    }
                }
            }
        }
    }

    private static List<Integer> order(Program p, boolean serial) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        List<Integer> out = new ArrayList<>();
        for (RetireEvent e; (e = m.step()) != null; ) out.add(e.pc());
        return out;
    }
}
