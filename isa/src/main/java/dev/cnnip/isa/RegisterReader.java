package dev.cnnip.isa;

/** The register values an instruction sees: the emulator's register file, or the compiler's shadow copy. */
@FunctionalInterface
public interface RegisterReader {
    /** The 32-bit value of register {@code r} of the instruction's engine. */
    int get(Reg r);
}
