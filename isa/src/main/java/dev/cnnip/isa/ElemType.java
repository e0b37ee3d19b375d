package dev.cnnip.isa;

import dev.cnnip.tensor.DType;

/** Element types named by 3-bit type fields of instructions. */
public enum ElemType {
    U8(0, 1, false, 0, 255, DType.UINT8),
    S8(1, 1, true, -128, 127, DType.INT8),
    U16(2, 2, false, 0, 65535, DType.UINT16),
    S16(3, 2, true, -32768, 32767, DType.INT16),
    S32(4, 4, true, Integer.MIN_VALUE, Integer.MAX_VALUE, DType.INT32),
    F32(5, 4, true, 0, 0, DType.FLOAT32);

    private final int code;
    private final int bytes;
    private final boolean signed;
    private final int min;
    private final int max;
    private final DType dtype;

    ElemType(int code, int bytes, boolean signed, int min, int max, DType dtype) {
        this.code = code;
        this.bytes = bytes;
        this.signed = signed;
        this.min = min;
        this.max = max;
        this.dtype = dtype;
    }

    /** Encoding in a type field. */
    public int code() { return code; }

    /** Bytes per element. */
    public int bytes() { return bytes; }

    public boolean signed() { return signed; }

    /** Smallest code (integer types). */
    public int min() { return min; }

    /** Largest code (integer types). */
    public int max() { return max; }

    public boolean isInteger() { return this != F32; }

    /** The tensor element type. */
    public DType dtype() { return dtype; }

    /** Assembly name: u8, s8, u16, s16, s32, f32. */
    public String asm() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static ElemType fromCode(int code) {
        for (ElemType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown element type code " + code);
    }

    public static ElemType fromAsm(String s) {
        for (ElemType t : values()) if (t.asm().equals(s)) return t;
        throw new IllegalArgumentException("unknown element type '" + s + "' (u8, s8, u16, s16, s32, f32)");
    }

    /** The element type for a tensor type; throws for types the engines do not handle. */
    public static ElemType of(DType d) {
        for (ElemType t : values()) if (t.dtype == d) return t;
        throw new IllegalArgumentException("element type " + d.shortName() + " is not supported by the engines");
    }
}
