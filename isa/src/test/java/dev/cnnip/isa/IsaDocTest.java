package dev.cnnip.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Keeps docs/isa.md equal to what the table renders. */
class IsaDocTest {
    @Test
    void docsMatchTable() throws IOException {
        Path doc = Paths.get("").toAbsolutePath().getParent().resolve("docs/isa.md");
        String rendered = IsaDoc.render();
        if (Boolean.getBoolean("cnnip.updateDocs")) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, rendered, StandardCharsets.UTF_8);
        }
        String current = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        assertEquals(rendered, current, "docs/isa.md is out of date: run mvn -q -pl isa test -Dtest=IsaDocTest -Dcnnip.updateDocs=true");
    }
}
