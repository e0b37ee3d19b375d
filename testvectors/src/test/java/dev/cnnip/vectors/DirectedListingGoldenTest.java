package dev.cnnip.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.isa.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The directed unit vectors' programs, every opcode of the table, as one reviewed listing (DRAM data
 * lines left out). Rewrite with {@code -Dcnnip.updateGolden=true} after an intended change and review the diff.
 */
class DirectedListingGoldenTest {
    private static final String NAME = "golden/directed-unit-vectors.s";

    @Test
    void directedProgramsMatchTheGoldenListing() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Opcode op : Opcode.values()) {
            for (String line : InstructionVectors.listing(UnitVectorGen.make(op, "directed", 0)).split("\n")) {
                if (!line.startsWith(".data ")) sb.append(line).append('\n');
            }
            sb.append('\n');
        }
        String actual = sb.toString();
        if (Boolean.getBoolean("cnnip.updateGolden")) {
            Path file = Path.of("src/test/resources/dev/cnnip/vectors", NAME);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream(NAME)) {
            if (in == null) throw new AssertionError(NAME + " is missing; run with -Dcnnip.updateGolden=true");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual,
                    NAME + " differs; if intended, rerun with -Dcnnip.updateGolden=true and review the diff");
        }
    }
}
