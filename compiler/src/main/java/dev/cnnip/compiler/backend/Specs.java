package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.LookupTable;
import java.util.List;

/**
 * Public factories for the backend's layer ops, used by the compiler's lowering of the canonical layers.
 * The layer-op records themselves stay package-private to the backend; their parameters arrive as typed
 * records ({@link ConvShape}, {@link ConvWindow}, {@link ConvWeights}, {@link ConvQuant}, {@link PoolShape},
 * {@link RegWrites}).
 */
public final class Specs {
    private Specs() {}

    /** A convolution layer (MatMul and GEMM as 1×1 convolutions); see {@link ConvSpec}. */
    public static LayerOp conv(String name, String op, List<String> nodes, TensorRef x, TensorRef y, ConvShape shape,
                               ConvWindow window, ConvWeights weights, ConvQuant quant) {
        return new ConvLayerOp(name, op, nodes, new ConvSpec(name, x, y, shape, window, weights, quant));
    }

    /** A max-pooling layer over NHWC tensors. */
    public static LayerOp maxPool(String name, List<String> nodes, TensorRef x, TensorRef y, PoolShape shape,
                                  ConvWindow window) {
        return new PoolLayerOp(name, nodes, new PoolSpec(x, y, shape, window, ElemType.of(x.dtype()), false, null));
    }

    /**
     * Quantized average pooling (ONNX Runtime's QLinearAveragePool recipe); {@code regs} hold the scales,
     * zero points and saturation range.
     */
    public static LayerOp averagePool(String name, List<String> nodes, TensorRef x, TensorRef y, PoolShape shape,
                                      ConvWindow window, boolean countIncludePad, RegWrites regs) {
        return new PoolLayerOp(name, nodes, new PoolSpec(x, y, shape, window, ElemType.of(x.dtype()), countIncludePad,
                regs));
    }

    /** QuantizeLinear over the physical element order with a per-entry table {scale f32, zp int32}. */
    public static LayerOp quantize(String name, List<String> nodes, TensorRef x, TensorRef y, long table, int channels,
                                   int inner) {
        return new StreamLayerOp(name, "Quantize", nodes, new StreamSpec(StreamSpec.Kind.QUANTIZE, x, null, y, table,
                channels * 8, channels, inner, RegWrites.of(Reg.PP_C, channels).and(Reg.PP_INNER, inner), false, 0, false));
    }

    /** DequantizeLinear over the physical element order with a per-entry table {scale f32, zp int32}. */
    public static LayerOp dequantize(String name, List<String> nodes, TensorRef x, TensorRef y, long table, int channels,
                                     int inner) {
        return new StreamLayerOp(name, "Dequantize", nodes, new StreamSpec(StreamSpec.Kind.DEQUANTIZE, x, null, y, table,
                channels * 8, channels, inner, RegWrites.of(Reg.PP_C, channels).and(Reg.PP_INNER, inner), false, 0, false));
    }

    /**
     * Quantized addition or multiplication ({@code op} "Add" or "Mul") with B broadcast: element i of A
     * pairs with B[i mod bmod]; {@code scalarRecipe} selects ONNX Runtime's scalar-B arithmetic.
     */
    public static LayerOp addBroadcast(String name, String op, List<String> nodes, TensorRef a, TensorRef b, TensorRef y,
                                       RegWrites regs, boolean intMode, int bmod, boolean scalarRecipe) {
        StreamSpec.Kind k = op.equals("Mul") ? StreamSpec.Kind.MUL : StreamSpec.Kind.ADD;
        return new StreamLayerOp(name, op, nodes, new StreamSpec(k, a, b, y, -1, 0, 1, 1, regs, intMode, bmod, scalarRecipe));
    }

    /** The adder under another operator name (e.g. a requantization with a zero B). */
    public static LayerOp add(String name, String op, List<String> nodes, TensorRef a, TensorRef b, TensorRef y,
                              RegWrites regs, boolean intMode) {
        boolean scalar = b.elements() == 1 && a.elements() > 1;
        return new StreamLayerOp(name, op, nodes, new StreamSpec(StreamSpec.Kind.ADD, a, b, y, -1, 0, 1, 1, regs, intMode, 0,
                scalar));
    }

    /** Table lookup: one entry of the output type per input code (256 for 8-bit inputs, 65,536 for 16-bit ones). */
    public static LayerOp lut(String name, String op, List<String> nodes, TensorRef x, TensorRef y, long table) {
        int bytes = (int) LookupTable.bytes(ElemType.of(x.dtype()), ElemType.of(y.dtype()));
        return new StreamLayerOp(name, op, nodes, new StreamSpec(StreamSpec.Kind.LUT, x, null, y, table, bytes, 1, 1,
                RegWrites.NONE, false, 0, false));
    }

    /** NHWC ↔ NCHW copy of a rank-4 tensor. */
    public static LayerOp relayout(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int c, int h, int w,
                                   boolean toRowMajor) {
        return new RelayoutLayerOp(name, nodes, x, y, n, c, h, w, x.dtype().size(), toRowMajor);
    }

    /**
     * A transpose that copies data; see {@link TransposeLayerOp}. {@code perm} permutes {@code x}'s logical
     * axes; {@code y} is stored row-major. An NHWC input is read through its physical strides.
     */
    public static LayerOp transpose(String name, List<String> nodes, TensorRef x, TensorRef y, int[] perm) {
        int eb = x.dtype().size();
        long[] pstride = physicalStrides(x);
        int[] where = x.layout() == Layout.NHWC ? new int[] {0, 3, 1, 2} : null; // physical position of logical axis
        int[] shape = x.shape();
        int[] dims = new int[perm.length];
        long[] xs = new long[perm.length];
        for (int j = 0; j < perm.length; j++) {
            dims[j] = shape[perm[j]];
            xs[j] = pstride[where == null ? perm[j] : where[perm[j]]];
        }
        return new TransposeLayerOp(name, "Transpose", nodes, x, y, dims, xs, 0, eb);
    }

    /**
     * A strided window of {@code x} (Slice, a piece of Split) copied by the DMA gather of {@link TransposeLayerOp}:
     * output element {@code i} along logical axis {@code a} is input element {@code starts[a] + i·steps[a]};
     * {@code x} and {@code y} have the same layout, so the output's physical axes follow the input's.
     */
    public static LayerOp slice(String name, String op, List<String> nodes, TensorRef x, TensorRef y, int[] starts, int[] steps) {
        if (x.layout() != y.layout()) throw new BackendException("layer '" + name + "' (" + op + "): input and output layouts differ");
        int eb = x.dtype().size();
        long[] pstride = physicalStrides(x);
        int[] logicalOf = x.layout() == Layout.NHWC ? new int[] {0, 2, 3, 1} : null; // logical axis at physical position
        int[] ys = y.physicalShape();
        long[] xs = new long[ys.length];
        long base = 0;
        for (int j = 0; j < ys.length; j++) {
            int a = logicalOf == null ? j : logicalOf[j];
            xs[j] = pstride[j] * steps[a];
            base += pstride[j] * starts[a];
        }
        return new TransposeLayerOp(name, op, nodes, x, y, ys, xs, base, eb);
    }

    /** Byte stride of each physical axis of {@code x} (row-major over its physical shape). */
    private static long[] physicalStrides(TensorRef x) {
        int[] ps = x.physicalShape();
        long[] stride = new long[ps.length];
        long s = x.dtype().size();
        for (int i = ps.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= ps[i];
        }
        return stride;
    }

    /**
     * Zero insertion for a transposed convolution; see {@link ZeroInsertLayerOp}. {@code fill} is the DRAM address
     * of one output row of the input zero point's code.
     */
    public static LayerOp zeroInsert(String name, List<String> nodes, TensorRef x, TensorRef u, int sh, int sw, long fill) {
        int[] s = x.shape();
        return new ZeroInsertLayerOp(name, nodes, x, u, s[0], s[2], s[3], s[1], sh, sw, fill);
    }

    /** Concatenation; see {@link ConcatLayerOp}. */
    public static LayerOp concat(String name, List<String> nodes, List<TensorRef> inputs, TensorRef y, long outer,
                                 long[] inners, long[] tables) {
        return new ConcatLayerOp(name, nodes, List.copyOf(inputs), y, outer, inners.clone(), tables.clone());
    }

    /** Nearest-neighbour upsampling of an NHWC tensor by integer factors. */
    public static LayerOp resize(String name, List<String> nodes, TensorRef x, TensorRef y, int n, int h, int w, int c,
                                 int sh, int sw) {
        return new ResizeLayerOp(name, nodes, x, y, n, h, w, c, sh, sw);
    }

    /** Nearest-neighbour Resize of an NHWC tensor by any row and column index maps; see {@link NearestGatherLayerOp}. */
    public static LayerOp nearestGather(String name, List<String> nodes, TensorRef x, TensorRef y, int[] rows, int[] cols) {
        int[] s = x.shape();
        return new NearestGatherLayerOp(name, nodes, x, y, s[0], s[2], s[3], s[1], rows.clone(), cols.clone());
    }

    /** Bilinear taps of an NHWC tensor gathered per image row; see {@link TapGatherLayerOp}. */
    public static LayerOp tapGather(String name, List<String> nodes, TensorRef x, TensorRef g, int[] taps) {
        int[] s = x.shape();
        return new TapGatherLayerOp(name, nodes, x, g, s[0], s[2], s[3], s[1], taps.clone());
    }

    /** Softmax over the innermost physical axis of {@code c} 8-bit elements, with the exponential table at {@code table}. */
    public static LayerOp softmax(String name, List<String> nodes, TensorRef x, TensorRef y, int c, long table,
                                  RegWrites regs) {
        return new SoftmaxLayerOp(name, nodes, x, y, c, table, regs);
    }

    /** Softmax over the innermost physical axis of {@code c} elements computed in float ({@code pp.softmaxf}). */
    public static LayerOp floatSoftmax(String name, List<String> nodes, TensorRef x, TensorRef y, int c, RegWrites regs) {
        return new FloatRowsLayerOp(name, nodes, "Softmax", Opcode.PP_SOFTMAXF, x, y, c, regs);
    }

    /** Local response normalisation across the {@code c} channels of each pixel of an NHWC tensor. */
    public static LayerOp lrn(String name, List<String> nodes, TensorRef x, TensorRef y, int c, RegWrites regs) {
        return new FloatRowsLayerOp(name, nodes, "LRN", Opcode.PP_LRN, x, y, c, regs);
    }
}
