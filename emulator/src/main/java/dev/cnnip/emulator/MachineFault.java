package dev.cnnip.emulator;

import dev.cnnip.isa.Engine;
import java.util.Optional;

/**
 * The machine stopped: an illegal instruction, an access outside a memory, a bad operand, a trap, a
 * deadlock, a watchdog, a semaphore overflow or a program without {@code finish}. The message is one
 * line naming the engine, pc (program index), mnemonic and layer when one instruction is at fault, e.g.
 * {@code fault at ex pc 42 (ex.conv, layer 3 'conv2'): SRAM read of x [0x1f000, 0x21000) outside SRAM of 0x20000 bytes}.
 * The faulting instruction had no effect; the machine state stays inspectable.
 */
public final class MachineFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What stopped the machine. */
    public enum Kind {
        /** A word of the code is not a valid instruction (found when the program is loaded). */
        ILLEGAL_INSTRUCTION,
        /** A DMA outside DRAM or SRAM, or an EX/PP access outside SRAM. */
        MEMORY_RANGE,
        /** An access outside the instruction's declared footprint (the ISA table's rule disagrees with the executor). */
        FOOTPRINT,
        /** Two accesses to overlapping ranges, at least one a write, not ordered by program order or semaphores ({@link SimOptions#checkRaces()}). */
        RACE,
        /** A register or table value the instruction cannot use. */
        BAD_OPERAND,
        /** A {@code trap} instruction. */
        TRAP,
        /** No instruction can execute but the program has not finished. */
        DEADLOCK,
        /** The instruction or cycle limit of the options was reached. */
        WATCHDOG,
        /** A semaphore would exceed 65535. */
        SEMAPHORE_OVERFLOW,
        /** Every instruction executed and none was {@code finish}. */
        NO_FINISH
    }

    private final Kind kind;
    private final Engine engine;
    private final int pc;

    MachineFault(Kind kind, Engine engine, int pc, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.engine = engine;
        this.pc = pc;
    }

    public Kind kind() {
        return kind;
    }

    /** The engine of the faulting instruction, if one instruction is at fault. */
    public Optional<Engine> engine() {
        return Optional.ofNullable(engine);
    }

    /** Program index of the faulting instruction, or −1. */
    public int pc() {
        return pc;
    }
}
