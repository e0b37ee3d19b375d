package dev.cnnip.vectors;

import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random inputs for {@code --seeds N}: the same seed gives the same tensors on every machine
 * ({@link SplittableRandom}, one stream per input in program order).
 * <ul>
 * <li>integer inputs: uniform over the element type's range;</li>
 * <li>float inputs: uniform over the range the first layer's quantized output represents,
 * {@code [scale·(qmin − zp), scale·(qmax − zp)]}, so every code of the quantizer is reachable; {@code [0, 1)}
 * when no layer quantizes the input.</li>
 * </ul>
 */
public final class RandomInputs {
    private RandomInputs() {}

    public static VectorExporter.InputSet generate(Program p, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (String name : p.inputs()) {
            SplittableRandom r = root.split();
            Symbol s = p.symbol(name).orElseThrow();
            Tensor t = Tensor.zeros(s.dtype(), s.shape());
            if (s.dtype().isInteger()) {
                for (int i = 0; i < t.size(); i++) t.setLong(i, s.dtype().min() + r.nextLong(s.dtype().max() - s.dtype().min() + 1));
            } else {
                double[] range = floatRange(p, name);
                for (int i = 0; i < t.size(); i++) t.setDouble(i, range[0] + (range[1] - range[0]) * r.nextDouble());
            }
            tensors.put(name, t);
            origins.put(name, "seed " + seed);
        }
        return new VectorExporter.InputSet(tensors, origins);
    }

    private static double[] floatRange(Program p, String input) {
        for (LayerInfo l : p.layers()) {
            if (!l.inputs().contains(input)) continue;
            for (String out : l.outputs()) {
                Symbol o = p.symbol(out).orElse(null);
                if (o == null || o.scale().length != 1 || !o.dtype().isInteger() || o.dtype() == DType.INT64) continue;
                double sc = o.scale()[0];
                int zp = o.zeroPoint().length == 0 ? 0 : o.zeroPoint()[0];
                return new double[] {sc * (o.dtype().min() - zp), sc * (o.dtype().max() - zp)};
            }
        }
        return new double[] {0, 1};
    }
}
