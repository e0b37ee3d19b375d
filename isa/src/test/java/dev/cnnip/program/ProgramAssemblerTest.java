package dev.cnnip.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.AsmException;
import org.junit.jupiter.api.Test;

/** {@link ProgramAssembler} refuses listings that are cut short or inconsistent, naming the line. */
class ProgramAssemblerTest {
    private static final HwConfig TINY = HwConfig.preset("tiny");
    private static final String HEAD = ".segment w 0x1000 4\n.data 0102\n.data 0304\n";

    private static String error(String listing) {
        return assertThrows(AsmException.class, () -> ProgramAssembler.assemble(listing, TINY)).getMessage();
    }

    @Test
    void aCompleteListingAssembles() {
        Program p = ProgramAssembler.assemble(HEAD + "nop\nfinish\n", TINY);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, p.segments().get(0).data());
        assertEquals(2, p.instructionCount());
        // no declared size: nothing to check the data against
        assertEquals(2, ProgramAssembler.assemble(".segment w 0x1000\n.data 0102\nfinish\n", TINY).segments().get(0).size());
        // code after finish is legal (the simulator warns about it)
        assertEquals(2, ProgramAssembler.assemble("finish\nnop\n", TINY).instructionCount());
    }

    @Test
    void segmentDataShorterOrLongerThanDeclaredNamesTheSegmentLine() {
        assertEquals("line 1: segment 'w' declares 4 bytes but its .data lines give 2 (the listing is cut short?)",
                error(".segment w 0x1000 4\n.data 0102\nfinish\n"));
        assertEquals("line 4: segment 'v' declares 1 bytes but its .data lines give 2",
                error(HEAD + ".segment v 0x2000 1\n.data 0102\nfinish\n"));
    }

    @Test
    void aDataLineCutInTheMiddleIsNamed() {
        assertEquals("line 3: .data word of 3 hex digits, not whole bytes (the line is cut short?)",
                error(".segment w 0x1000 4\n.data 0102\n.data 030\n"));
        assertEquals("line 2: .data word 'zz' is not hexadecimal", error(".segment w 0x1000 1\n.data zz\nfinish\n"));
    }

    @Test
    void aListingWithoutInstructionsOrFinishIsCutShort() {
        assertEquals("line 3: the listing ends without any instruction (cut short?)", error(HEAD + "\n\n"));
        assertEquals("line 5: the listing ends without a 'finish' instruction (cut short?)", error(HEAD + "nop\nnop\n"));
        assertEquals("line 1: the listing ends without any instruction (cut short?)", error(""));
    }
}
