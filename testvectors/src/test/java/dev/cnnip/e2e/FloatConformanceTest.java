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
import org.junit.jupiter.api.Test;

/**
 * The whole ONNX node-test subset: float-operator tests are quantized with their input as calibration and
 * compared with the ONNX-generated expected outputs (computed in float by ONNX's reference) within
 * {@link Conformance#FLOAT_TOLERANCE_STEPS} steps of the output scale. At least 120 tests pass, none fails,
 * and every skip has a reason.
 */
class FloatConformanceTest {
    @Test
    void atLeast120NodeTestsPassAndNoneFails() throws IOException {
        List<Result> all = Conformance.runAll(TestData.require("onnx-node"), HwConfig.preset("tiny"));
        assertEquals(List.of(), all.stream().filter(r -> r.status() == Status.FAIL).toList(), "failed node tests");
        long passed = all.stream().filter(r -> r.status() == Status.PASS).count();
        assertTrue(passed >= 120, Conformance.summary(all));
        for (String t : List.of("test_gemm_alpha", "test_gemm_default_matrix_bias", "test_averagepool_1d_default",
                "test_maxpool_2d_dilations", "test_reshape_negative_dim", "test_clip_expanded", "test_upsample_nearest",
                "test_conv_with_autopad_same", "test_concat_3d_axis_1", "test_softmax_axis_2")) {
            Result r = all.stream().filter(x -> x.test().equals(t)).findFirst().orElseThrow();
            assertEquals(Status.PASS, r.status(), t + ": " + r.detail());
        }
        all.stream().filter(r -> r.status() == Status.SKIP).forEach(r -> assertTrue(!r.detail().isBlank(), r.test()));
        assertTrue(Conformance.RULES.contains("within 2 quantization steps"), Conformance.RULES);
        System.out.println("conformance: " + Conformance.summary(all));
        Conformance.skipReasons(all).forEach(System.out::println);
    }
}
