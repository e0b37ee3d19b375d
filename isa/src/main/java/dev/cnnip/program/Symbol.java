package dev.cnnip.program;

import dev.cnnip.tensor.DType;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named tensor in DRAM. Arrays are copied in and out.
 *
 * <p>Quantization follows ONNX: {@code real = scale × (q − zeroPoint)}; {@code scale} is empty (not
 * quantized), one value (per tensor, then {@code axis} is 0) or one per index of {@code shape[axis]}
 * (per axis). {@code zeroPoint} is empty (all zero) or as long as {@code scale}, in the range of {@code dtype}.
 *
 * @param name          unique symbol name (usually the ONNX tensor name), one line
 * @param dtype         element type as stored
 * @param shape         logical (ONNX) shape, dimensions {@code >= 0}
 * @param layout        physical layout name: letters, digits and {@code _}, e.g. {@code NHWC}, {@code ROW_MAJOR}
 * @param physicalShape shape in memory, in {@code layout} order; may pad, so it holds at least as many
 *                      elements as {@code shape}
 * @param address       first byte in DRAM
 * @param bytes         bytes reserved, at least {@code elements(physicalShape) × dtype.size()}
 * @param scale         quantization scales, finite and {@code > 0}
 * @param zeroPoint     quantization zero points
 * @param axis          quantization axis when per axis, else 0
 * @param kind          what the tensor is for
 * @param layer         index of the producing layer, or -1 for none
 */
public record Symbol(String name, DType dtype, int[] shape, String layout, int[] physicalShape, long address,
                     long bytes, float[] scale, int[] zeroPoint, int axis, SymbolKind kind, int layer) {
    private static final Pattern LAYOUT = Pattern.compile("[A-Za-z0-9_]+");

    public Symbol {
        Checks.name(name, "symbol name");
        String what = "symbol '" + name + "'";
        Objects.requireNonNull(dtype, what + " dtype");
        Objects.requireNonNull(kind, what + " kind");
        shape = shape.clone();
        physicalShape = physicalShape.clone();
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
        if (!LAYOUT.matcher(layout).matches()) {
            throw new IllegalArgumentException(what + ": layout must be letters, digits and _, got '" + layout + "'");
        }
        Checks.nonNegative(address, what + " address");
        Checks.nonNegative(bytes, what + " bytes");
        long logical = elements(shape, what + " shape");
        long physical = elements(physicalShape, what + " physical shape");
        if (physical < logical) {
            throw new IllegalArgumentException(what + ": physical shape " + Arrays.toString(physicalShape)
                    + " holds fewer elements than shape " + Arrays.toString(shape));
        }
        if (physical > bytes / dtype.size()) {
            throw new IllegalArgumentException(what + ": " + bytes + " bytes cannot hold " + physical + " "
                    + dtype.shortName() + " elements");
        }
        checkQuantization(what, dtype, shape, scale, zeroPoint, axis);
        if (layer < -1) throw new IllegalArgumentException(what + ": layer must be >= -1, got " + layer);
    }

    private static long elements(int[] dims, String what) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException(what + " " + Arrays.toString(dims) + " has a negative dimension");
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(dims) + " has too many elements", e);
            }
        }
        return n;
    }

    private static void checkQuantization(String what, DType dtype, int[] shape, float[] scale, int[] zeroPoint, int axis) {
        for (float s : scale) {
            if (!(Float.isFinite(s) && s > 0)) throw new IllegalArgumentException(what + ": scale must be finite and > 0, got " + s);
        }
        if (zeroPoint.length != 0 && zeroPoint.length != scale.length) {
            throw new IllegalArgumentException(what + ": " + zeroPoint.length + " zero points for " + scale.length + " scales");
        }
        for (int z : zeroPoint) {
            if (dtype.isInteger() && (z < dtype.min() || z > dtype.max())) {
                throw new IllegalArgumentException(what + ": zero point " + z + " outside the " + dtype.shortName() + " range");
            }
        }
        if (scale.length > 1) {
            if (axis < 0 || axis >= shape.length) {
                throw new IllegalArgumentException(what + ": axis " + axis + " outside shape " + Arrays.toString(shape));
            }
            if (shape[axis] != scale.length) {
                throw new IllegalArgumentException(what + ": " + scale.length + " scales along axis " + axis
                        + " of size " + shape[axis]);
            }
        } else if (axis != 0) {
            // One canonical form per meaning, so equal symbols serialize to equal bytes.
            throw new IllegalArgumentException(what + ": axis must be 0 unless quantized per axis, got " + axis);
        }
    }

    @Override public int[] shape() { return shape.clone(); }

    @Override public int[] physicalShape() { return physicalShape.clone(); }

    @Override public float[] scale() { return scale.clone(); }

    @Override public int[] zeroPoint() { return zeroPoint.clone(); }

    /** Number of logical elements: the product of {@link #shape()} (1 for a scalar). */
    public long elementCount() {
        return elements(shape, "shape");
    }

    /** Whether the symbol carries quantization parameters. */
    public boolean isQuantized() {
        return scale.length > 0;
    }

    /** One past the last byte: {@code address + bytes}. */
    public long end() {
        return address + bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Symbol s && name.equals(s.name) && dtype == s.dtype && Arrays.equals(shape, s.shape)
                && layout.equals(s.layout) && Arrays.equals(physicalShape, s.physicalShape) && address == s.address
                && bytes == s.bytes && Arrays.equals(scale, s.scale) && Arrays.equals(zeroPoint, s.zeroPoint)
                && axis == s.axis && kind == s.kind && layer == s.layer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), layout, Arrays.hashCode(physicalShape), address,
                bytes, Arrays.hashCode(scale), Arrays.hashCode(zeroPoint), axis, kind, layer);
    }

    @Override
    public String toString() {
        return "Symbol[" + name + " " + kind + " " + dtype.shortName() + Arrays.toString(shape) + " " + layout
                + Arrays.toString(physicalShape) + " @0x" + Long.toHexString(address) + "+" + bytes
                + (isQuantized() ? " scale=" + Arrays.toString(scale) + " zp=" + Arrays.toString(zeroPoint)
                        + " axis=" + axis : "")
                + " layer=" + layer + "]";
    }
}
