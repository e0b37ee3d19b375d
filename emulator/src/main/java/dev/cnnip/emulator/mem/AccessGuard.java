package dev.cnnip.emulator.mem;

/**
 * Vets each bulk access an instruction makes to one memory, once per range before the first byte
 * moves (the executor's range checks call it, not the per-element accessors). The machine installs one
 * that holds the executing instruction's declared footprint.
 */
@FunctionalInterface
public interface AccessGuard {
    /** Allows everything (host I/O, tests of bare memories). */
    AccessGuard NONE = (address, length, write, what) -> null;

    /**
     * Checks an access of {@code length > 0} bytes at {@code address} to the operand named {@code what}.
     *
     * @return null when allowed, else why not (one clause, e.g. {@code outside the declared footprint (b: [0x10, 0x20))})
     */
    String check(long address, long length, boolean write, String what);
}
