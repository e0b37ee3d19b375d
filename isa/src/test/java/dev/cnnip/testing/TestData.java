package dev.cnnip.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party test data (../shared/testdata). Tests that need it call {@link #require}:
 * it skips the test when the data is absent, and fails it instead when the environment variable
 * {@code CNNIP_REQUIRE_TESTDATA=1} is set (as CI does).
 */
public final class TestData {
    private TestData() {}

    /** The test data root: system property {@code cnnip.testdata}, else {@code ../shared/testdata} upwards. */
    public static Path root() {
        String prop = System.getProperty("cnnip.testdata");
        if (prop != null && Files.isDirectory(Paths.get(prop))) return Paths.get(prop).toAbsolutePath().normalize();
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/testdata").normalize();
            if (Files.isDirectory(candidate)) return candidate;
        }
        return Paths.get(prop != null ? prop : "../shared/testdata").toAbsolutePath().normalize();
    }

    /** Whether CI demands the data ({@code CNNIP_REQUIRE_TESTDATA=1}). */
    public static boolean required() {
        return "1".equals(System.getenv("CNNIP_REQUIRE_TESTDATA"));
    }

    /** The file or folder {@code relative} under the root; skips (or fails under CI) when missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String msg = "test data " + p + " is missing";
            if (required()) Assertions.fail(msg + " and CNNIP_REQUIRE_TESTDATA=1");
            Assumptions.abort(msg);
        }
        return p;
    }
}
