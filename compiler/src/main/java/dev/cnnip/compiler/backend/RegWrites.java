package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * Register writes of one engine, in order: what a layer sets before its instructions (scales, zero
 * points, saturation range, tile sizes). The emitter skips writes that would not change a register and
 * packs the rest two per {@code set} instruction, in this order.
 *
 * @param writes the writes, in emission order
 */
public record RegWrites(List<Write> writes) {
    /** One register write: the 32-bit value (reinterpreted float bits for float registers). */
    public record Write(Reg reg, int value) {
        public Write {
            if (reg == null) throw new IllegalArgumentException("register is missing");
        }
    }

    /** No writes. */
    public static final RegWrites NONE = new RegWrites(List.of());

    public RegWrites {
        writes = List.copyOf(writes);
    }

    /** A single write. */
    public static RegWrites of(Reg reg, int value) {
        return new RegWrites(List.of(new Write(reg, value)));
    }

    /** These writes followed by {@code reg = value}. */
    public RegWrites and(Reg reg, int value) {
        List<Write> w = new ArrayList<>(writes.size() + 1);
        w.addAll(writes);
        w.add(new Write(reg, value));
        return new RegWrites(w);
    }

    /** These writes followed by a float register's bits ({@link Float#floatToRawIntBits}). */
    public RegWrites andFloat(Reg reg, float value) {
        return and(reg, Float.floatToRawIntBits(value));
    }
}
