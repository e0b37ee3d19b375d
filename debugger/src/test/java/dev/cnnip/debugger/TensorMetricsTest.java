package dev.cnnip.debugger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SQNR, cosine and max error against numpy's float64 figures (metrics.txt, made by make_fixtures.py). */
class TensorMetricsTest {
    @Test
    void matchesNumpy() throws Exception {
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TensorMetricsTest.class.getResourceAsStream("metrics.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\\|");
                TensorMetrics.Result m = TensorMetrics.basic().measure(floats(f[1]), floats(f[0]));
                assertEquals(Double.parseDouble(f[2]), m.sqnrDb(), 1e-9);
                assertEquals(Double.parseDouble(f[3]), m.cosine(), 1e-12);
                assertEquals(Double.parseDouble(f[4]), m.maxAbsErr(), 1e-12);
                checked++;
            }
        }
        assertEquals(2, checked);
    }

    @Test
    void edgeCases() {
        TensorMetrics.Result same = TensorMetrics.basic().measure(new float[] {1, 2}, new float[] {1, 2});
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
        assertEquals(0, same.maxAbsErr());
        TensorMetrics.Result zeros = TensorMetrics.basic().measure(new float[] {0, 0}, new float[] {0, 0});
        assertEquals(1, zeros.cosine());
    }

    private static float[] floats(String csv) {
        String[] p = csv.split(",");
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) out[i] = (float) Double.parseDouble(p[i]);
        return out;
    }
}
