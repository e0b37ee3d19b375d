package dev.cnnip.e2e;

import dev.cnnip.tensor.Tensor;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether an integer tensor uses its code range: enough distinct codes, not mostly saturated. A check on
 * the generator's choice of scales, so that exact comparisons compare something.
 */
record CodeRange(int elements, int distinct, double atMin, double atMax) {
    static CodeRange of(Tensor t) {
        Set<Long> seen = new HashSet<>();
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < t.size(); i++) {
            long v = t.getLong(i);
            seen.add(v);
            if (v == t.dtype().min()) lo++;
            if (v == t.dtype().max()) hi++;
        }
        return new CodeRange(t.size(), seen.size(), lo / (double) t.size(), hi / (double) t.size());
    }

    /** At least min(16, half the elements) distinct codes, under 70 % at the lowest code (Relu) and 50 % at the highest. */
    boolean wellSpread() {
        return distinct >= Math.min(16, (elements + 1) / 2) && atMin < 0.7 && atMax < 0.5;
    }
}
