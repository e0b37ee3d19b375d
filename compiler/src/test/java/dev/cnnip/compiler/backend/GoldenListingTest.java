package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramListing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of small tiled layers: the {@code cnnip disasm} text ({@link ProgramListing#instructions})
 * of each model in {@link #MODELS} compiled for the {@code tiny} preset with ort numerics, compared with
 * {@code src/test/resources/golden/NAME.tiny.lst}; the model itself is kept beside it as
 * {@code NAME.onnx}. A code-generation change (tiles, buffer placement, register writes, semaphores)
 * shows up as a diff of these files.
 *
 * <p>After an intended change, regenerate them and review the diff:
 * <pre>
 *   mvn -B -o -q -pl compiler -am test -Dtest=GoldenListingTest -Dsurefire.failIfNoSpecifiedTests=false -Dcnnip.updateGolden=true
 *   git diff compiler/src/test/resources/golden
 * </pre>
 * (the same flag as the emulator's golden reports). The listings are known-good, not just frozen:
 * {@code testvectors}' {@code GoldenListingsRunTest} compiles the same {@code .onnx} files, checks the
 * program is the golden listing, runs it on the emulator and compares every output with ONNX Runtime.
 */
class GoldenListingTest {
    static final Path DIR = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("cnnip.updateGolden");

    /** Name → model: a convolution tiled in four column strips, a depthwise one in two channel blocks, max pooling in four tiles, an add in four chunks. */
    static final Map<String, ModelProto> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("conv3x3-tiled", CodegenModels.conv("conv3x3-tiled", 32, 32, 16, 16, 3, 1));
        MODELS.put("depthwise3x3", CodegenModels.conv("depthwise3x3", 32, 32, 16, 16, 3, 32));
        MODELS.put("maxpool2x2", CodegenModels.maxPool("maxpool2x2", 16, 64, 64));
        MODELS.put("add", CodegenModels.add("add", 1, 32, 32, 32));
    }

    @Test
    void listingsMatchTheirGoldenFiles() throws IOException {
        StringBuilder problems = new StringBuilder();
        for (Map.Entry<String, ModelProto> e : MODELS.entrySet()) {
            String name = e.getKey();
            ModelProto model = e.getValue();
            Program p = Compiler.compile(model, name, CompileOptions.of(HwConfig.preset("tiny"), Numerics.ORT));
            String listing = ProgramListing.instructions(p);
            Path lst = DIR.resolve(name + ".tiny.lst");
            Path onnx = DIR.resolve(name + ".onnx");
            byte[] modelBytes = OnnxModels.toBytes(model);
            if (UPDATE) {
                Files.createDirectories(DIR);
                Files.writeString(lst, listing, StandardCharsets.UTF_8);
                Files.write(onnx, modelBytes);
                continue;
            }
            if (!Files.exists(lst) || !Files.exists(onnx)) {
                problems.append(name).append(": golden files missing\n");
                continue;
            }
            assertArrayEquals(Files.readAllBytes(onnx), modelBytes, name + ".onnx differs from the model the test builds");
            String golden = Files.readString(lst, StandardCharsets.UTF_8);
            if (!golden.equals(listing)) {
                List<String> want = golden.lines().toList();
                List<String> got = listing.lines().toList();
                int i = 0;
                while (i < Math.min(want.size(), got.size()) && want.get(i).equals(got.get(i))) i++;
                Path out = Path.of("target", "golden", name + ".tiny.lst");
                Files.createDirectories(out.getParent());
                Files.writeString(out, listing, StandardCharsets.UTF_8);
                problems.append(String.format("%s: listing differs at line %d (golden %d lines, now %d)%n  golden: %s%n  now:    %s%n  new listing: %s%n",
                        name, i + 1, want.size(), got.size(), i < want.size() ? want.get(i) : "(end)",
                        i < got.size() ? got.get(i) : "(end)", out.toAbsolutePath()));
            }
        }
        if (problems.length() > 0) {
            fail(problems + "if the change is intended, rerun with -Dcnnip.updateGolden=true and review git diff "
                    + "compiler/src/test/resources/golden");
        }
    }
}
