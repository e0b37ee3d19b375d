package dev.cnnip.compiler.backend;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which activations also live in SRAM between their producer and their last reader, and where
 * ({@link ResidencyPlanner} decides). A resident tensor has its DRAM (physical) layout at its SRAM address
 * ({@code [h][w][c]} for a rank-4 tensor of batch 1); its producer writes into it and its readers read it in
 * place. A reshape view of a resident tensor (an alias: same bytes, same order) is read from the same SRAM
 * copy. A resident tensor that is {@link #sramOnly} is never written to DRAM.
 */
final class Residency {
    /** No tensor resident. */
    static final Residency NONE = new Residency();

    private final Map<TensorRef, Long> at = new IdentityHashMap<>();
    private final Map<TensorRef, Long> extent = new IdentityHashMap<>();
    private final Set<TensorRef> sramOnly = Collections.newSetFromMap(new IdentityHashMap<>());

    /** {@code t} resident at {@code sramAddress}, its region {@code bytes} long (slack included). */
    void put(TensorRef t, long sramAddress, long bytes, boolean onlyInSram) {
        at.put(t, sramAddress);
        extent.put(t, bytes);
        if (onlyInSram) sramOnly.add(t);
    }

    void remove(TensorRef t) {
        at.remove(t);
        extent.remove(t);
        sramOnly.remove(t);
    }

    /** The SRAM address of {@code t}'s resident copy (or of the tensor it is a view of), or −1 when it lives in DRAM only. */
    long address(TensorRef t) {
        if (t == null) return -1;
        Long a = at.get(root(t));
        return a == null ? -1 : a;
    }

    /** Bytes of the SRAM region of {@code t}'s resident copy (or of the tensor it is a view of), 0 when not resident. */
    long extent(TensorRef t) {
        if (t == null) return 0;
        Long b = extent.get(root(t));
        return b == null ? 0 : b;
    }

    /** Whether {@code t} is never written to DRAM. */
    boolean sramOnly(TensorRef t) {
        return t != null && sramOnly.contains(t);
    }

    static TensorRef root(TensorRef t) {
        return t.aliasOf() != null ? t.aliasOf() : t;
    }
}
