package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * Every memory range one instruction may touch, computed by its opcode's footprint rule
 * ({@link Opcode#footprint}) from the instruction and its engine's registers. The emulator faults on an
 * access outside it, the race checker tracks it and the compiler derives hazards from it, so the three
 * cannot disagree.
 *
 * @param accesses the ranges, non-empty each, in operand order
 */
public record Footprint(List<MemAccess> accesses) {
    /** Touches no memory (control, SET and SYNC instructions). */
    public static final Footprint NONE = new Footprint(List.of());

    public Footprint {
        accesses = List.copyOf(accesses);
    }

    /** The accesses of one space. */
    public List<MemAccess> of(MemAccess.Space space) {
        List<MemAccess> out = new ArrayList<>();
        for (MemAccess a : accesses) if (a.space() == space) out.add(a);
        return out;
    }

    /** The declared access that covers {@code [lo, hi)} as {@code operand} in this space and direction, or null. */
    public MemAccess covering(MemAccess.Space space, boolean write, String operand, long lo, long hi) {
        for (MemAccess a : accesses) {
            if (a.space() == space && a.write() == write && a.operand().equals(operand) && a.covers(lo, hi)) return a;
        }
        return null;
    }

    public boolean isEmpty() {
        return accesses.isEmpty();
    }

    /** Collects ranges; empty ranges (a zero count) are left out. */
    static final class Builder {
        private final List<MemAccess> list = new ArrayList<>();

        Builder sramRead(String operand, long start, long bytes) {
            return add(MemAccess.Space.SRAM, false, operand, start, bytes);
        }

        Builder sramWrite(String operand, long start, long bytes) {
            return add(MemAccess.Space.SRAM, true, operand, start, bytes);
        }

        Builder add(MemAccess.Space space, boolean write, String operand, long start, long bytes) {
            if (bytes > 0) list.add(new MemAccess(space, write, operand, start, Footprints.sat(start, bytes)));
            return this;
        }

        Footprint build() {
            return list.isEmpty() ? NONE : new Footprint(list);
        }
    }
}
