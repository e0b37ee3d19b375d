package dev.cnnip.isa;

/** How an operand field's bits are interpreted, printed and parsed. */
public enum FieldKind {
    /** Unsigned integer, printed in decimal. */
    UINT,
    /** Two's complement integer, printed in decimal. */
    SINT,
    /** Unsigned address, printed as {@code 0x} hex. */
    ADDR,
    /** An {@link ElemType} code, printed as its name. */
    TYPE,
    /** A single bit, printed 0 or 1. */
    FLAG,
    /** Requantization arithmetic: 0 = {@code f32} (ONNX Runtime's float recipe), 1 = {@code int} (multiplier and shift). */
    MODE,
    /** A register id of the instruction's engine, printed as the register name. */
    REG,
    /** A semaphore mask, printed as a comma-separated list of semaphore numbers. */
    SEMMASK
}
