package dev.cnnip.emulator.exec;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Reg;
import java.util.Arrays;

/**
 * The 32-bit registers of one engine, indexed by register id, holding the reset values of {@link Reg}
 * until a SET instruction writes them. LD and ST each have their own file; CTL has no registers.
 */
public final class RegisterFile {
    private final Engine engine;
    private final int[] values;

    /** A file at reset for {@code engine}. */
    public RegisterFile(Engine engine) {
        this.engine = engine;
        this.values = new int[Reg.maxId(engine) + 1];
        reset();
    }

    /** Puts every register back to its reset value. */
    public void reset() {
        Arrays.fill(values, 0);
        for (Reg r : Reg.of(engine)) values[r.id()] = r.reset();
    }

    public Engine engine() {
        return engine;
    }

    /** Value of register {@code r}, which must belong to this engine. */
    public int get(Reg r) {
        if (!r.group().engines().contains(engine)) {
            throw new IllegalArgumentException("engine " + engine.label() + " has no register " + r.asm());
        }
        return values[r.id()];
    }

    /** Writes register id {@code id} (validated by the instruction decoder). */
    void set(int id, int value) {
        values[id] = value;
    }

    /** Values by register id (index 0 unused), a copy. */
    public int[] snapshot() {
        return values.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(engine.label()).append(" {");
        for (Reg r : Reg.of(engine)) sb.append(' ').append(r.asm()).append('=').append(values[r.id()]);
        return sb.append(" }").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterFile f && f.engine == engine && Arrays.equals(f.values, values);
    }

    @Override
    public int hashCode() {
        return engine.hashCode() * 31 + Arrays.hashCode(values);
    }
}
