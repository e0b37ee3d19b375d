package dev.cnnip.isa;

/** A 128-bit word that is not a valid instruction (unknown opcode, reserved bits set, bad field value). */
public class IllegalInstructionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IllegalInstructionException(String message) {
        super(message);
    }
}
