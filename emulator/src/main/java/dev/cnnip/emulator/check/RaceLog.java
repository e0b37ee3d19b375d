package dev.cnnip.emulator.check;

import dev.cnnip.program.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts race-checked runs for the test suite: when the system property {@value #PROPERTY} names a
 * file, every race-checked run that reaches {@code finish} without a race appends one line to it
 * ({@code model, instructions in the program, instructions executed, footprint ranges checked}). The
 * build sets it per module, so the number of programs the suite checked is the number of lines.
 */
public final class RaceLog {
    /** The system property naming the log file. */
    public static final String PROPERTY = "cnnip.raceLog";

    private RaceLog() {}

    /** Records a clean run of {@code program} (nothing when the property is unset). */
    public static synchronized void clean(Program program, RaceChecker rc) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isEmpty()) return;
        String line = program.modelName() + "\t" + program.code().length / dev.cnnip.isa.Isa.BYTES + "\t" + rc.instructions() + "\t"
                + rc.accesses() + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the race log " + file, e);
        }
    }
}
