package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.verify.EvalProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Evaluation progress goes through the one progress bar, {@link ProgressReporter}. */
class ConsoleProgressTest {
    @Test
    void noReporterMeansQuiet() {
        assertSame(EvalProgress.QUIET, ConsoleProgress.of(ProgressReporter.NONE));
    }

    @Test
    void stepsFromManyThreadsReachTheBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (EvalProgress.Task t = ConsoleProgress.of(ProgressReporter.bar(out)).start("ISS", 400)) {
            IntStream.range(0, 400).parallel().forEach(i -> t.step());
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("ISS") && shown.contains("400/400 items"), shown);
    }
}
