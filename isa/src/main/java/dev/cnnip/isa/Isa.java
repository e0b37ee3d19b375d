package dev.cnnip.isa;

/** Constants of the instruction encoding shared by every format. */
public final class Isa {
    private Isa() {}

    /** Bits per instruction. */
    public static final int BITS = 128;
    /** Bytes per instruction (one {@code $readmemh} line of 32 hex digits). */
    public static final int BYTES = BITS / 8;
    /** Counting semaphores; instructions carry a wait and a signal mask over them. */
    public static final int SEMAPHORES = 16;
    /** First bit of the operand fields; bits below hold opcode, wait and signal masks. */
    public static final int OPERAND_LSB = 40;
}
