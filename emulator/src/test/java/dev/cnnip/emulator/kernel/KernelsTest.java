package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The choice between the vector and the scalar kernels. */
class KernelsTest {
    @Test
    void autoNeedsTheModuleAndC2() {
        assertTrue(Kernels.decide("auto", true, () -> true));
        assertFalse(Kernels.decide("auto", true, () -> false), "the Vector API without C2 runs its slow fallback");
        assertFalse(Kernels.decide("auto", false, () -> fail("C2 is asked only when the module is present")));
        assertFalse(Kernels.decide("off", true, () -> true));
        assertFalse(Kernels.decide("SCALAR", true, () -> true));
        assertTrue(Kernels.decide("on", true, () -> false), "on forces the vector kernels");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.decide("on", false, () -> true));
        assertEquals("cnnip.vector=on needs the JVM option --add-modules jdk.incubator.vector", e.getMessage());
    }

    @Test
    void c2FromTheHotSpotFlags() {
        assertTrue(Kernels.c2Enabled("true", "true", "4", "default"));
        assertFalse(Kernels.c2Enabled("true", "true", "1", "default"), "-XX:TieredStopAtLevel=1: C1 only");
        assertFalse(Kernels.c2Enabled("true", "true", "3", "default"));
        assertTrue(Kernels.c2Enabled("true", "false", "1", "default"), "-XX:-TieredCompilation: C2 only");
        assertFalse(Kernels.c2Enabled("false", "false", "4", "default"), "-Xint");
        assertFalse(Kernels.c2Enabled("true", "true", "4", "quick-only"));
        assertTrue(Kernels.c2Enabled("true", "true", "4", "high-only"));
    }

    /** The flags as a child JVM really reads them: this JVM has C2, one started C1-only has not. */
    @Test
    void readsTheRunningJvmsFlags() {
        assertTrue(Kernels.optimisingCompiler(), "the tests run with C2");
        assertEquals("vector=true", probe());
        assertEquals("vector=false", probe("-XX:TieredStopAtLevel=1"));
        assertEquals("vector=false", probe("-Dcnnip.vector=off"));
    }

    private static String probe(String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsProbe.class.getName()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("the probe JVM did not end");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            // The JVM warns about the incubator module on standard error; the probe's line is the last.
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
