package dev.cnnip.verify.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.emulator.Machine;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in failing case end to end, and the report's renderings against its figures. */
class QuantDebugDemoTest {
    private static QuantDebugDemo.Result res;

    @BeforeAll
    static void run() {
        res = QuantDebugDemo.run(HwConfig.preset("v3u-like"), Numerics.ORT);
    }

    @Test
    void theOutlierConsumerIsFoundClassifiedResolutionAndTheFixGains() {
        CompareReport r = res.report();
        LayerView conv3 = r.layer("relu3").orElseThrow();
        assertEquals(Diagnosis.RESOLUTION, conv3.diagnosis(), conv3.reason());
        assertTrue(conv3.widenActivations().containsAll(List.of("conv2", "conv3")), conv3.widenActivations().toString());
        assertTrue(r.flagged().stream().allMatch(v -> v.diagnosis() == Diagnosis.RESOLUTION), CompareText.write(r));
        // the outlier tensor itself: a wide range whose median channel gets few codes
        LayerView conv2 = r.layer("relu2").orElseThrow();
        assertTrue(conv2.channelSqnrDb() < 30, "median channel SQNR " + conv2.channelSqnrDb());
        FixReport f = r.fix().orElseThrow();
        assertTrue(f.after().outputSqnrDb() > f.before().outputSqnrDb() + 3, f.before() + " -> " + f.after());
        assertTrue(f.after().cost().cycles() > f.before().cost().cycles(), "16 bits cost cycles");
        assertTrue(f.afterReport().layer("relu3").orElseThrow().isolated().sqnrDb() > conv3.isolated().sqnrDb() + 10);
        // ORT numerics: every compared layer's codes equal ONNX Runtime's on the quantized model
        assertTrue(r.layers().stream().allMatch(v -> Boolean.TRUE.equals(v.bitExact())), r.bitExactNote());
    }

    @Test
    void theFirstConvolutionIsolatedEqualsAccumulated() {
        // its input is the quantized image in both runs, so the two figures must be the same
        LayerView conv1 = res.report().layer("relu1").orElseThrow();
        assertEquals(conv1.accumulated().sqnrDb(), conv1.isolated().sqnrDb(), 1e-9);
    }

    @Test
    void outputSqnrEqualsADirectComputation() {
        QuantFix.Built b = QuantDebugDemo.build(res.floatModel(),
                DemoModel.inputs(2026, QuantDebugDemo.CALIBRATION_ITEMS), dev.cnnip.compiler.quant.BitsOverrides.none(),
                HwConfig.preset("v3u-like"), Numerics.ORT);
        List<Map<String, Tensor>> items = DemoModel.inputs(2026, QuantDebugDemo.CALIBRATION_ITEMS + QuantDebugDemo.COMPARED_ITEMS)
                .subList(QuantDebugDemo.CALIBRATION_ITEMS, QuantDebugDemo.CALIBRATION_ITEMS + QuantDebugDemo.COMPARED_ITEMS);
        double signal = 0;
        double noise = 0;
        try (OrtRunner ort = OrtRunner.create(res.floatModel(), OrtOptions.defaults())) {
            for (Map<String, Tensor> item : items) {
                Machine m = new Machine(b.program());
                item.forEach(m::writeInput);
                m.run();
                Tensor y = m.outputs().get(DemoModel.OUTPUT);
                Tensor x = ort.run(item).get(DemoModel.OUTPUT);
                for (int i = 0; i < x.size(); i++) {
                    signal += x.getDouble(i) * x.getDouble(i);
                    noise += (x.getDouble(i) - y.getDouble(i)) * (x.getDouble(i) - y.getDouble(i));
                }
            }
        }
        assertEquals(10 * Math.log10(signal / noise), res.report().output().figures().sqnrDb(), 1e-6);
    }

    @Test
    void theJsonHoldsTheTablesNumbersUnderTheIssuesKeys() throws Exception {
        CompareReport r = res.report();
        JsonNode root = new ObjectMapper().readTree(CompareJson.write(r));
        assertEquals(r.output().name(), root.get("output").get("name").asText());
        assertEquals(r.output().figures().sqnrDb(), root.get("output").get("sqnr_db").asDouble(), 0);
        assertEquals(r.layers().size(), root.get("layers").size());
        for (int i = 0; i < r.layers().size(); i++) {
            LayerView v = r.layers().get(i);
            JsonNode l = root.get("layers").get(i);
            for (String k : List.of("name", "op", "bits", "scale", "zero_point", "calib_min", "calib_max", "seen_min", "seen_max",
                    "saturated", "sqnr_db", "sqnr_isolated_db", "cosine", "rmse_over_scale", "max_abs_error", "bit_exact",
                    "diagnosis")) {
                assertTrue(l.has(k), "layer " + v.name() + " lacks " + k);
            }
            assertEquals(v.name(), l.get("name").asText());
            assertEquals(v.bits(), l.get("bits").asInt());
            assertEquals(v.scale(), (float) l.get("scale").asDouble(), 0);
            assertEquals(v.accumulated().sqnrDb(), l.get("sqnr_db").asDouble(), 0);
            assertEquals(v.isolated().sqnrDb(), l.get("sqnr_isolated_db").asDouble(), 0);
            assertEquals(v.saturated(), l.get("saturated").asDouble(), 0);
            assertEquals(v.diagnosis().key(), l.get("diagnosis").asText());
            assertEquals(v.bitExact(), l.get("bit_exact").asBoolean());
            // the table prints the same figure, rounded
            assertTrue(CompareText.write(r).contains(String.format(java.util.Locale.ROOT, "%.2f", v.accumulated().sqnrDb())));
        }
        assertEquals(r.fix().orElseThrow().after().outputSqnrDb(), root.get("fix").get("after").get("sqnr_db").asDouble(), 0);
    }

    @Test
    void theHtmlIsSelfContainedWithItsPlots() {
        String h = CompareHtml.write(res.report());
        assertFalse(h.contains("<script"), "no scripts");
        assertFalse(h.matches("(?s).*(src|href)=.*"), "no external resources");
        long svgs = h.split("<svg", -1).length - 1;
        // SQNR chart, fix chart, and a scatter plot and histogram per layer
        assertEquals(2 + 2L * res.report().layers().size(), svgs);
        assertTrue(h.contains("stroke-dasharray"), "the y = x line");
        assertTrue(h.contains("Fix: before and after"));
    }
}
