package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageErrorsTest {
    private static final List<String> COMMANDS = List.of("demo", "quantize", "compile", "run", "asm", "disasm", "conformance", "eval");

    @Test
    void editDistanceCountsSwapsAsOneEdit() {
        assertEquals(0, UsageErrors.editDistance("run", "run"));
        assertEquals(1, UsageErrors.editDistance("dmeo", "demo")); // adjacent swap
        assertEquals(1, UsageErrors.editDistance("evl", "eval"));
        assertEquals(3, UsageErrors.editDistance("ca", "abc")); // optimal string alignment; unrestricted Damerau gives 2
        assertEquals(3, UsageErrors.editDistance("", "asm"));
        assertEquals(3, UsageErrors.editDistance("kitten", "sitting"));
    }

    @Test
    void suggestsOnlyCloseNames() {
        assertEquals("demo", UsageErrors.closest("dmeo", COMMANDS));
        assertEquals("compile", UsageErrors.closest("compil", COMMANDS));
        assertEquals("disasm", UsageErrors.closest("disasm2", COMMANDS));
        assertEquals("run", UsageErrors.closest("rn", COMMANDS));
        assertNull(UsageErrors.closest("bogus", COMMANDS));
        assertNull(UsageErrors.closest("x", COMMANDS));
        assertEquals("--input", UsageErrors.closest("--inptu", List.of("--input", "--out", "--perf")));
        assertNull(UsageErrors.closest("-o", List.of("-h", "--help", "-V")), "one letter replaced is no suggestion");
    }

    @Test
    void unknownCommandsAndOptionsAreOneLineInProcessToo() {
        CliRunner r = CliRunner.run("dmeo");
        assertEquals(2, r.code());
        assertEquals("cnnip: unknown command 'dmeo' (did you mean 'demo'?); see 'cnnip --help'\n", r.err());
        CliRunner o = CliRunner.run("compile", "m.onnx", "-o", "p.cnnip", "--hww", "tiny");
        assertEquals(2, o.code());
        assertEquals("cnnip compile: unknown option '--hww' (did you mean '--hw'?); see 'cnnip compile --help'\n", o.err());
    }
}
