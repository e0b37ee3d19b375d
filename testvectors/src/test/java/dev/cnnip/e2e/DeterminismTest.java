package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiling the same model twice gives the same program file, byte for byte. */
class DeterminismTest {
    @Test
    void compilingTwiceGivesTheSameBytes() throws IOException {
        List<GeneratedModel> first = RandomModels.all();
        List<GeneratedModel> second = RandomModels.all(); // separately generated, equal models
        long bytes = 0;
        for (int i = 0; i < first.size(); i++) {
            for (Numerics n : Numerics.values()) {
                byte[] a = ProgramFile.toBytes(Sim.compile(first.get(i), n));
                byte[] b = ProgramFile.toBytes(Sim.compile(second.get(i), n));
                assertArrayEquals(a, b, first.get(i).name() + " (" + n + ")");
                Program back = ProgramFile.fromBytes(a, first.get(i).name());
                assertArrayEquals(a, ProgramFile.toBytes(back), first.get(i).name() + " (" + n + ") reads back");
                bytes += a.length;
            }
        }
        System.out.printf("determinism: %d programs compiled twice, %d bytes identical%n", 2 * first.size(), bytes);
    }
}
