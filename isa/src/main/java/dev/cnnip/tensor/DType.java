package dev.cnnip.tensor;

/**
 * Element types of tensors, with their ONNX {@code TensorProto.DataType} code, size in bytes and
 * numpy {@code descr}. Integer types carry their representable range.
 */
public enum DType {
    FLOAT32(1, 4, "<f4", false, true, 0, 0),
    UINT8(2, 1, "|u1", true, false, 0, 255),
    INT8(3, 1, "|i1", true, true, -128, 127),
    UINT16(4, 2, "<u2", true, false, 0, 65535),
    INT16(5, 2, "<i2", true, true, -32768, 32767),
    INT32(6, 4, "<i4", true, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(7, 8, "<i8", true, true, Long.MIN_VALUE, Long.MAX_VALUE),
    BOOL(9, 1, "|b1", true, false, 0, 1),
    FLOAT16(10, 2, "<f2", false, true, 0, 0),
    FLOAT64(11, 8, "<f8", false, true, 0, 0),
    UINT32(12, 4, "<u4", true, false, 0, 0xFFFF_FFFFL),
    UINT64(13, 8, "<u8", true, false, 0, Long.MAX_VALUE);

    private final int onnxCode;
    private final int size;
    private final String npyDescr;
    private final boolean integer;
    private final boolean signed;
    private final long min;
    private final long max;

    DType(int onnxCode, int size, String npyDescr, boolean integer, boolean signed, long min, long max) {
        this.onnxCode = onnxCode;
        this.size = size;
        this.npyDescr = npyDescr;
        this.integer = integer;
        this.signed = signed;
        this.min = min;
        this.max = max;
    }

    /** ONNX {@code TensorProto.DataType} value. */
    public int onnxCode() { return onnxCode; }

    /** Bytes per element. */
    public int size() { return size; }

    /** numpy dtype string, little-endian. */
    public String npyDescr() { return npyDescr; }

    public boolean isInteger() { return integer; }

    public boolean isSigned() { return signed; }

    /** Smallest representable value (integer types only). */
    public long min() { return min; }

    /** Largest representable value (integer types only). */
    public long max() { return max; }

    /** Lower-case name as ONNX and numpy print it, e.g. {@code uint8}. */
    public String shortName() {
        return switch (this) {
            case FLOAT32 -> "float32";
            case FLOAT16 -> "float16";
            case FLOAT64 -> "float64";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The type with the given ONNX code, or throws {@link IllegalArgumentException} naming it. */
    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) return t;
        }
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code);
    }

    /** The type with the given numpy descr ({@code <f4}, {@code |u1}, {@code u1}, …). */
    public static DType fromNpy(String descr) {
        String d = descr.trim();
        if (d.startsWith(">") && !d.endsWith("1")) {
            throw new IllegalArgumentException("big-endian .npy data '" + descr + "' is not supported");
        }
        String core = (d.startsWith("<") || d.startsWith("|") || d.startsWith("=") || d.startsWith(">"))
                ? d.substring(1) : d;
        for (DType t : values()) {
            if (t.npyDescr.substring(1).equals(core)) return t;
        }
        if (core.equals("?")) return BOOL;
        throw new IllegalArgumentException("unsupported .npy dtype '" + descr + "'");
    }
}
