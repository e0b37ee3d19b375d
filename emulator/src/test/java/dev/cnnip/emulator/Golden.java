package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden text files in {@code src/test/resources/dev/cnnip/emulator/golden}. Run with
 * {@code -Dcnnip.updateGolden=true} to rewrite them after an intended change, then review the diff.
 */
final class Golden {
    private static final String DIR = "golden/";

    private Golden() {}

    static void check(String name, String actual) throws IOException {
        if (Boolean.getBoolean("cnnip.updateGolden")) {
            Path file = Path.of("src/test/resources/dev/cnnip/emulator", DIR, name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = Golden.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new AssertionError("golden file " + DIR + name + " is missing; run with -Dcnnip.updateGolden=true");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden " + name
                    + " differs; if intended, rerun with -Dcnnip.updateGolden=true and review the diff");
        }
    }
}
