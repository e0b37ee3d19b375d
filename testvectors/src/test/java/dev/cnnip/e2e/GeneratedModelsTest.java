package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cnnip.e2e.TilingProbe.Kind;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generated model catalogue: stable, varied enough, and with layers that must be tiled every way. */
class GeneratedModelsTest {
    private static final String GOLDEN = "generated-models.txt";

    /** What the catalogue must exercise, as {@link ModelFeatures} reads it from the ONNX graphs. */
    private static final Set<String> REQUIRED = Set.of(
            "conv:qop", "conv:qdq", "conv:act-uint8", "conv:act-int8",
            "conv:kernel-1", "conv:kernel-3", "conv:kernel-5", "conv:kernel-7", "conv:kernel-non-square",
            "conv:stride-1", "conv:stride-2", "conv:stride-3", "conv:dilation-1", "conv:dilation-2",
            "conv:pads-symmetric", "conv:pads-asymmetric", "conv:depthwise", "conv:grouped", "conv:bias", "conv:no-bias",
            "conv:input-non-square", "conv:input-side-1", "conv:input-side-36+", "conv:input-channels-1",
            "conv:input-channels-40+",
            "weights:int8", "weights:uint8", "weights:uint8-non-zero-zp", "weights:per-tensor", "weights:per-channel",
            "act:relu", "act:clip",
            "matmul:qop-const", "matmul:qop-dynamic", "matmul:qdq-const", "matmul:a-rank-2", "matmul:a-rank-3",
            "matmul:dynamic-b-rank-2", "matmul:dynamic-b-rank-3", "gemm", "gemm:transB",
            "maxpool", "maxpool:ceil", "maxpool:pads", "add:qop", "add:qdq", "gap:qop", "gap:qdq", "flatten", "reshape",
            "chain:2-4", "quantize-input", "dequantize-output");

    @Test
    void catalogueMatchesItsGoldenListing() throws IOException {
        List<GeneratedModel> models = RandomModels.all();
        String actual = listing(models);
        String golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            golden = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!golden.equals(actual)) {
            Path out = Path.of("target", GOLDEN);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
            List<String> want = golden.lines().toList();
            List<String> got = actual.lines().toList();
            int i = 0;
            while (i < Math.min(want.size(), got.size()) && want.get(i).equals(got.get(i))) i++;
            fail("the generated models changed at line " + (i + 1) + ":\n  golden:    "
                    + (i < want.size() ? want.get(i) : "(end)") + "\n  generated: " + (i < got.size() ? got.get(i) : "(end)")
                    + "\nif intended, copy " + out.toAbsolutePath() + " to src/test/resources/dev/cnnip/e2e/" + GOLDEN);
        }
        // generating twice gives the same models
        List<GeneratedModel> again = RandomModels.all();
        for (int i = 0; i < models.size(); i++) {
            assertArrayEquals(OnnxModels.toBytes(models.get(i).model()), OnnxModels.toBytes(again.get(i).model()),
                    models.get(i).name());
        }
    }

    @Test
    void catalogueIsVaried() {
        List<GeneratedModel> models = RandomModels.all();
        assertTrue(models.size() >= 20, models.size() + " models");
        assertEquals(models.size(), models.stream().map(GeneratedModel::name).distinct().count(), "names are unique");
        Set<String> found = new TreeSet<>();
        for (GeneratedModel g : models) found.addAll(ModelFeatures.of(g.model()));
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(found);
        assertTrue(missing.isEmpty(), "features not exercised: " + missing);
        assertTrue(models.stream().anyMatch(g -> g.form() == ModelWriter.Form.QOPERATOR));
        assertTrue(models.stream().anyMatch(g -> g.form() == ModelWriter.Form.QDQ));
        assertTrue(models.stream().anyMatch(g -> g.hw().equals("v3u-like")));
        System.out.printf("generated models: %d (%d QOperator, %d QDQ), %d features%n", models.size(),
                models.stream().filter(g -> g.form() == ModelWriter.Form.QOPERATOR).count(),
                models.stream().filter(g -> g.form() == ModelWriter.Form.QDQ).count(), found.size());
    }

    /**
     * Some layers' input and output together are well above the tiny preset's SRAM, and across the catalogue
     * the compiler splits layers by rows, by columns, into output-channel blocks and into input-channel chunks.
     */
    @Test
    void largeLayersAreTiledEveryWay() {
        long sram = HwConfig.preset("tiny").sramBytes();
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Set<String> large = new HashSet<>();
        for (GeneratedModel g : RandomModels.all()) {
            if (!g.hw().equals("tiny")) continue;
            Program p = Sim.compile(g, Numerics.ORT);
            for (LayerInfo l : p.layers()) {
                long bytes = 0;
                for (String t : l.inputs()) bytes += symbolBytes(p, t);
                for (String t : l.outputs()) bytes += symbolBytes(p, t);
                if (bytes > 1.5 * sram) large.add(g.name() + "/" + l.name());
            }
            for (Map<Kind, Integer> k : TilingProbe.of(p).values()) {
                k.forEach((kind, n) -> {
                    if (n > 0) kinds.add(kind);
                });
            }
        }
        assertTrue(large.size() >= 3, "layers above 1.5 x SRAM: " + large);
        assertEquals(EnumSet.allOf(Kind.class), kinds, "kinds of tiling seen");
        System.out.println("layers above 1.5 x the tiny SRAM: " + large.stream().sorted().collect(Collectors.joining(", ")));
    }

    private static long symbolBytes(Program p, String name) {
        Symbol s = p.symbol(name).orElseThrow();
        long n = s.dtype().size();
        for (int d : s.shape()) n *= d;
        return n;
    }

    /** One line per model: name, form, preset, model digest, description. */
    static String listing(List<GeneratedModel> models) {
        StringBuilder sb = new StringBuilder("# generated by RandomModels (seed " + RandomModels.SEED
                + "): name | form | preset | model SHA-256 (16 hex) | layers\n");
        for (GeneratedModel g : models) {
            sb.append(String.join(" | ", g.name(), g.form().name(), g.hw(),
                    sha256(OnnxModels.toBytes(g.model())).substring(0, 16), g.description())).append('\n');
        }
        return sb.toString();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
