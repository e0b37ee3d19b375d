package dev.cnnip.emulator.check;

import dev.cnnip.emulator.mem.AccessGuard;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.MemAccess;

/**
 * Holds the declared footprint of the instruction executing now and vets the executor's bulk accesses
 * against it: an access is allowed when one declared range of the same space, direction and operand
 * covers it. Disarmed (between instructions, host I/O) it allows everything.
 */
public final class FootprintGuard {
    private Footprint armed;
    private final AccessGuard sram = (a, l, w, what) -> check(MemAccess.Space.SRAM, a, l, w, what);
    private final AccessGuard dram = (a, l, w, what) -> check(MemAccess.Space.DRAM, a, l, w, what);

    /** The guard to install on the SRAM. */
    public AccessGuard sram() {
        return sram;
    }

    /** The guard to install on the DRAM. */
    public AccessGuard dram() {
        return dram;
    }

    /** Vets the following accesses against {@code footprint}. */
    public void arm(Footprint footprint) {
        this.armed = footprint;
    }

    /** Allows every access again. */
    public void disarm() {
        this.armed = null;
    }

    private String check(MemAccess.Space space, long address, long length, boolean write, String what) {
        if (armed == null) return null;
        long end = address + length;
        if (armed.covering(space, write, what, address, end) != null) return null;
        StringBuilder sb = new StringBuilder("outside the instruction's declared footprint (");
        boolean any = false;
        for (MemAccess a : armed.accesses()) {
            if (a.space() == space && a.write() == write && a.operand().equals(what)) {
                sb.append(any ? ", " : "").append(what).append(": ").append(MemAccess.hexRange(a.start(), a.end()));
                any = true;
            }
        }
        if (!any) sb.append("no ").append(space).append(write ? " write" : " read").append(" of ").append(what).append(" declared");
        return sb.append(')').toString();
    }
}
