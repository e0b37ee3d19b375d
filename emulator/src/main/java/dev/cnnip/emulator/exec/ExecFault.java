package dev.cnnip.emulator.exec;

/**
 * An instruction cannot execute: the executor throws it before touching any memory or register, so
 * the machine state is as before the instruction. The machine turns it into a one-line machine fault
 * naming the engine, pc, mnemonic and layer; the message here is only the fault itself.
 */
public final class ExecFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Cause {
        /** An access outside SRAM or DRAM. */
        MEMORY_RANGE,
        /** An access inside the memory but outside the instruction's declared footprint. */
        FOOTPRINT,
        /** A register or table value the instruction cannot use (zero element size, negative count, …). */
        BAD_OPERAND,
        /** A {@code trap} instruction. */
        TRAP
    }

    private final Cause cause;

    public ExecFault(Cause cause, String message) {
        super(message, null, false, false);
        this.cause = cause;
    }

    /** What went wrong. */
    public Cause kind() {
        return cause;
    }

    static ExecFault operand(String message) {
        return new ExecFault(Cause.BAD_OPERAND, message);
    }
}
