package dev.cnnip.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void typosPrefixesAndNothingClose() {
        List<String> cmds = List.of("step", "stepi", "continue", "tensor", "timeline");
        assertEquals("continue", Suggest.closest("contniue", cmds));
        assertEquals("tensor", Suggest.closest("tesnor", cmds));
        assertEquals("timeline", Suggest.closest("time", cmds));
        assertNull(Suggest.closest("zzzzzz", cmds));
        assertEquals(3, dev.cnnip.text.EditDistance.levenshtein("kitten", "sitting"));
    }
}
