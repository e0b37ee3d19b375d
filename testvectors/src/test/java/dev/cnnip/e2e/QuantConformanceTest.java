package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.testing.TestData;
import dev.cnnip.verify.Conformance;
import dev.cnnip.verify.Conformance.Result;
import dev.cnnip.verify.Conformance.Status;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ONNX backend node tests of the quantization operators: every one passes on the simulator, except
 * those whose element types the engines cannot hold (8-bit floats, 4-bit floats, 4- and 2-bit integers),
 * which are skipped with a reason naming the type. No node test fails.
 */
class QuantConformanceTest {
    private static final Pattern QUANT_TEST =
            Pattern.compile("test_(qlinearconv|qlinearmatmul|quantizelinear|dequantizelinear)(_.*)?");
    private static final Pattern NARROW_TYPE_REASON =
            Pattern.compile(".*element type (float8e\\w+|float4e\\w+|u?int4|u?int2) of .*");
    private static final Pattern SUMMARY = Pattern.compile("\\d+ passed, \\d+ failed, \\d+ skipped");

    @Test
    void quantizationNodeTestsPassOrNameTheMissingType() throws IOException {
        List<Result> all = Conformance.runAll(TestData.require("onnx-node"), HwConfig.preset("v3u-like"));
        List<Result> quant = all.stream().filter(r -> QUANT_TEST.matcher(r.test()).matches()).toList();
        assertTrue(quant.size() >= 30, quant.size() + " quantization node tests");
        for (Result r : quant) {
            if (r.status() == Status.SKIP) {
                assertTrue(NARROW_TYPE_REASON.matcher(r.detail()).matches(), r.test() + " skipped: " + r.detail());
            } else {
                assertEquals(Status.PASS, r.status(), r.test() + ": " + r.detail());
            }
        }
        assertEquals(List.of(), all.stream().filter(r -> r.status() == Status.FAIL).toList(), "failed node tests");
        String summary = Conformance.summary(all);
        assertTrue(SUMMARY.matcher(summary).matches(), summary);
        long passed = quant.stream().filter(r -> r.status() == Status.PASS).count();
        assertTrue(passed >= 20, passed + " quantization tests pass");
        System.out.printf("conformance: %s; quantization operators: %d of %d pass, %d skipped for 2/4/8-bit types%n",
                summary, passed, quant.size(), quant.size() - passed);
    }
}
