package dev.cnnip.e2e;

import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A graph input of a generated model and the distribution of its random values: normal with
 * {@code mean} and {@code std} (in codes for integer inputs, rounded and clamped to the type's range).
 */
record InputSpec(String name, DType dtype, int[] shape, double mean, double std) {
    InputSpec {
        shape = shape.clone();
    }

    Tensor random(SplittableRandom rnd) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            double v = mean + std * gaussian(rnd);
            if (dtype.isInteger()) {
                t.setLong(i, Math.max(dtype.min(), Math.min(dtype.max(), Math.round(v))));
            } else {
                t.setDouble(i, v);
            }
        }
        return t;
    }

    /**
     * A standard normal deviate (Box–Muller with {@link StrictMath}, so that generated models and inputs
     * are the same bytes on every platform).
     */
    static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * rnd.nextDouble());
    }
}
