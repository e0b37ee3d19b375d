package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnip run --check-races}: a compiled, tiled convolution runs race-free; the same program with
 * the wait of its first {@code ex.conv} removed (disassembled, edited, reassembled as a user would) is
 * caught in one line naming both instructions and the range.
 */
class RaceCheckCliTest {
    @TempDir
    Path dir;

    private static final Pattern FIRST_CONV_WAIT = Pattern.compile("(?m)^(ex\\.conv [^\\n;]*?) wait=[0-9,]+");

    @Test
    void removingTheWaitOfTheFirstConvolutionIsCaught() throws IOException {
        Path m = dir.resolve("conv.onnx");
        OnnxModels.save(m, Fixtures.qlinearConv(16, 24, 20));
        Path prog = dir.resolve("c.cnnip");
        assertEquals(0, CliRunner.run("compile", m.toString(), "-o", prog.toString(), "--hw", "tiny").code());
        Tensor x = Tensor.zeros(DType.UINT8, 1, 16, 20, 20);
        Random rnd = new Random(4);
        for (int i = 0; i < x.size(); i++) x.setLong(i, rnd.nextInt(256));
        Path in = dir.resolve("x.pb");
        TensorProtos.write(in, "x", x);

        CliRunner clean = CliRunner.run("run", prog.toString(), "--input", "x=" + in, "--check-races");
        assertEquals(0, clean.code(), clean.err());
        assertTrue(clean.out().matches("(?s).*race check: \\d+ instructions, \\d+ footprint ranges, no race.*"), clean.out());

        CliRunner d = CliRunner.run("disasm", prog.toString(), "--full");
        assertEquals(0, d.code(), d.err());
        Matcher conv = FIRST_CONV_WAIT.matcher(d.out());
        assertTrue(conv.find(), "the first ex.conv waits for its loads");
        Path s = dir.resolve("racy.s");
        Files.writeString(s, conv.replaceFirst("$1"));
        Path racy = dir.resolve("racy.cnnip");
        CliRunner a = CliRunner.run("asm", s.toString(), "-o", racy.toString());
        assertEquals(0, a.code(), a.err());

        CliRunner r = CliRunner.run("run", racy.toString(), "--input", "x=" + in, "--check-races");
        assertNotEquals(0, r.code());
        String[] lines = r.errLines();
        assertEquals(1, lines.length, r.err());
        String line = lines[0];
        assertTrue(line.contains("data race on SRAM [0x"), line);
        assertTrue(line.contains("(ex.conv, layer 0 "), line);
        assertTrue(line.matches(".*ld pc \\d+ \\(ld, layer 0 '[^']+'\\) writes sram.*"), line);
        System.out.println("removed wait of the first ex.conv: " + line);
    }
}
