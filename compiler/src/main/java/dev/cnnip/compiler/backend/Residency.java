package dev.cnnip.compiler.backend;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which activations also live in SRAM between their producer and their reader, and where
 * ({@link ProgramBuilder} decides). A resident tensor has the DRAM layout {@code [h][w][c]} (batch 1) at its
 * SRAM address; its producer requantizes into it and its reader reads it in place. A resident tensor that
 * is {@link #sramOnly} is never written to DRAM.
 */
final class Residency {
    /** No tensor resident. */
    static final Residency NONE = new Residency();

    private final Map<TensorRef, Long> at = new IdentityHashMap<>();
    private final Set<TensorRef> sramOnly = Collections.newSetFromMap(new IdentityHashMap<>());

    void put(TensorRef t, long sramAddress, boolean onlyInSram) {
        at.put(t, sramAddress);
        if (onlyInSram) sramOnly.add(t);
    }

    /** The SRAM address of {@code t}'s resident copy, or −1 when it lives in DRAM only. */
    long address(TensorRef t) {
        Long a = at.get(t);
        return a == null ? -1 : a;
    }

    /** Whether {@code t} is never written to DRAM. */
    boolean sramOnly(TensorRef t) {
        return sramOnly.contains(t);
    }
}
