package dev.cnnip.vectors;

import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.util.Objects;

/**
 * One tensor of a layer's vectors, in logical layout.
 *
 * @param name   tensor name: the DRAM symbol's name, {@code <output>.acc} for accumulators,
 *               {@code <table>.bias} for the bias column of a requantization table
 * @param role   {@link Role}
 * @param tensor the values (logical shape, row-major)
 * @param symbol the DRAM symbol it comes from (its layout, address and quantization), or null for
 *               accumulators, which live only in SRAM
 * @param layout physical layout of the source (accumulators: that of the output they become)
 */
public record CapturedTensor(String name, Role role, Tensor tensor, Symbol symbol, String layout) {
    /** What a tensor is to its layer. */
    public enum Role {
        INPUT, WEIGHTS, BIAS, ACC, OUTPUT;

        /** Lower-case name as the manifest writes it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Role fromLabel(String s) {
            for (Role r : values()) if (r.label().equals(s)) return r;
            throw new IllegalArgumentException("unknown tensor role '" + s + "'");
        }
    }

    public CapturedTensor {
        Objects.requireNonNull(name);
        Objects.requireNonNull(role);
        Objects.requireNonNull(tensor);
        Objects.requireNonNull(layout);
    }
}
