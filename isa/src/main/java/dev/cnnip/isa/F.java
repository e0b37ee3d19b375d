package dev.cnnip.isa;

/**
 * Identities of the instruction fields: assembly name, kind and width. Where a field sits is given by
 * the {@link Format} that uses it; the same field may sit at different positions in different formats.
 */
public enum F {
    OP("op", FieldKind.UINT, 8, "opcode"),
    WAIT("wait", FieldKind.SEMMASK, Isa.SEMAPHORES, "semaphores to wait for (each must be > 0; each is decremented)"),
    SIGNAL("signal", FieldKind.SEMMASK, Isa.SEMAPHORES, "semaphores incremented when the instruction completes"),
    ID("id", FieldKind.UINT, 16, "layer index"),
    CODE("code", FieldKind.UINT, 16, "trap code"),
    R1("r1", FieldKind.REG, 8, "first register written (0: none)"),
    V1("v1", FieldKind.SINT, 32, "value of the first register"),
    R2("r2", FieldKind.REG, 8, "second register written (0: none)"),
    V2("v2", FieldKind.SINT, 32, "value of the second register"),
    DRAM("dram", FieldKind.ADDR, 32, "DRAM byte address"),
    SRAM("sram", FieldKind.ADDR, 24, "SRAM byte address"),
    X("x", FieldKind.ADDR, 24, "SRAM address of the input tile"),
    W("w", FieldKind.ADDR, 24, "SRAM address of the weights"),
    ACC("acc", FieldKind.ADDR, 24, "SRAM address of the accumulator tile"),
    PRM("prm", FieldKind.ADDR, 24, "SRAM address of the per-channel parameter table"),
    OUT("out", FieldKind.ADDR, 24, "SRAM address of the output tile"),
    SRC("src", FieldKind.ADDR, 24, "SRAM address of the source tile"),
    DST("dst", FieldKind.ADDR, 24, "SRAM address of the destination tile"),
    A("a", FieldKind.ADDR, 24, "SRAM address of operand A"),
    B("b", FieldKind.ADDR, 24, "SRAM address of operand B"),
    TBL("tbl", FieldKind.ADDR, 24, "SRAM address of the lookup table (one entry of type ot per input code of type it)"),
    EXP("exp", FieldKind.ADDR, 24, "SRAM address of the softmax table (256 float32 exponentials)"),
    XT("xt", FieldKind.TYPE, 3, "input element type"),
    WT("wt", FieldKind.TYPE, 3, "weight element type"),
    OT("ot", FieldKind.TYPE, 3, "output element type"),
    IT("it", FieldKind.TYPE, 3, "input element type"),
    DT("dt", FieldKind.TYPE, 3, "element type of input and output"),
    AT("at", FieldKind.TYPE, 3, "operand A element type"),
    BT("bt", FieldKind.TYPE, 3, "operand B element type"),
    ACCUM("accum", FieldKind.FLAG, 1, "1: add to the accumulators, 0: overwrite them"),
    A64("a64", FieldKind.FLAG, 1, "1: 64-bit accumulators (16-bit operands), 0: 32-bit"),
    WZPV("wzpv", FieldKind.FLAG, 1, "1: per-channel weight zero points at register wza, 0: scalar register wzp"),
    MODE("mode", FieldKind.MODE, 1, "requantization arithmetic: f32 (ONNX Runtime recipe) or int (multiplier and shift)"),
    BSCALAR("bscalar", FieldKind.FLAG, 1, "1: operand B is broadcast (one element, or bmod elements) with ONNX Runtime's scalar-B recipe");

    private final String asm;
    private final FieldKind kind;
    private final int width;
    private final String description;

    F(String asm, FieldKind kind, int width, String description) {
        this.asm = asm;
        this.kind = kind;
        this.width = width;
        this.description = description;
    }

    /** Name in assembly text ({@code x=0x100}). */
    public String asm() { return asm; }

    public FieldKind kind() { return kind; }

    /** Width in bits. */
    public int width() { return width; }

    public String description() { return description; }
}
