package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.Graph;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.QAdd;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers a canonical quantized graph ({@link QGraph}) to backend layers: places weights and parameter
 * tables in DRAM, computes requantization multipliers with ONNX Runtime's association
 * ({@code M = (xs · ws[c]) / ys} in float32), and hands the layers to the {@link ProgramBuilder}.
 */
public final class LayerBuilder {
    private final QGraph qg;
    private final Graph g;
    private final ProgramBuilder pb;
    private final boolean intMode;

    private LayerBuilder(QGraph qg, ProgramBuilder pb) {
        this.qg = qg;
        this.g = qg.graph();
        this.pb = pb;
        this.intMode = pb.numerics() == Numerics.HW;
    }

    /** Lowers every node and builds the program. */
    public static Program build(QGraph qg, ProgramBuilder pb, String modelName, String modelSha256) {
        LayerBuilder lb = new LayerBuilder(qg, pb);
        for (Node n : qg.graph().nodes()) lb.lower(n);
        List<TensorRef> ins = new ArrayList<>();
        for (String in : qg.graph().inputs()) ins.add(lb.ref(in));
        List<TensorRef> outs = new ArrayList<>();
        for (String out : qg.graph().outputs()) outs.add(lb.ref(out));
        return pb.build(ins, outs, modelName, modelSha256);
    }

    /** The activation tensor of value {@code name}, registered on first use. */
    private TensorRef ref(String name) {
        if (pb.hasTensor(name)) return pb.tensor(name);
        Value v = g.value(name);
        if (v.isConstant()) throw new GraphException("tensor '" + name + "' is a constant where an activation is expected");
        QParams p = qg.params().get(name);
        TensorRef t = p == null ? new TensorRef(name, v.dtype(), v.shape(), null, null, 0)
                : new TensorRef(name, v.dtype(), v.shape(), p.scale(), p.zeroPoint(), p.axis());
        return pb.tensor(t);
    }

    private void lower(Node n) {
        switch (n.opType()) {
            case "QConv" -> conv(n);
            case "QMatMul" -> matmul(n);
            case "QGlobalAveragePool" -> globalAveragePool(n);
            case "QAdd" -> binary(n, false);
            case "QMul" -> binary(n, true);
            case "QMaxPool" -> maxPool(n);
            case "QReshape" -> reshape(n);
            case "Quantize", "Dequantize" -> quantDequant(n);
            case "QLut" -> lut(n);
            case "QRequant" -> requant(n);
            case "QResize" -> resize(n);
            case "QTranspose" -> transpose(n);
            case "QConcat" -> concat(n);
            case "QSoftmax" -> softmax(n);
            default -> throw new GraphException(n, "no lowering for canonical op " + n.opType());
        }
    }

    // ---------------------------------------------------------------- convolution family

    private void conv(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        Tensor w = g.value(n.input(1)).constant();
        if (w == null) throw new GraphException(n, "weights must be constant");
        int[] xs = x.shape();
        int[] ws = w.shape();
        int oc = ws[0];
        int icg = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int groups = (int) n.attrInt("group", 1);
        ConvGeometry geo = ConvGeometry.of(n, xs[2], xs[3], kh, kw, false);
        // ONNX [oc][ic/g][kh][kw] -> the engines' [oc][kh][kw][ic/g]
        ElemType wt = ElemType.of(w.dtype());
        Tensor wl = Tensor.zeros(w.dtype(), oc, kh, kw, icg);
        for (int o = 0; o < oc; o++) {
            for (int c = 0; c < icg; c++) {
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        wl.setLong(((o * kh + a) * kw + b) * icg + c, w.getLong(((o * icg + c) * kh + a) * kw + b));
                    }
                }
            }
        }
        long wAddr = pb.constant(y.name() + ".weights", SymbolKind.WEIGHT, w.dtype(), ws, "OHWI",
                new int[] {oc, kh, kw, icg}, wl.data());
        float[] wScale = perChannel(n, (Tensor) n.attrs().get("w_scale"), oc, "weight scale");
        int[] wZp = zeroPoints(n, (Tensor) n.attrs().get("w_zero_point"), oc);
        int[] bias = biasOf(n, n.input(2), oc);
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        float[] m = new float[oc];
        for (int c = 0; c < oc; c++) m[c] = (xq.scale0() * wScale[c]) / yq.scale0();
        emitConv(n, "Conv", x, y, xs[0], xs[2], xs[3], xs[1], geo.oh(), geo.ow(), oc, geo, groups, wt, wZp, wAddr, false, 0,
                bias, m);
    }

    private void globalAveragePool(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        int[] xs = x.shape();
        int c = xs[1];
        int h = xs[2];
        int w = xs[3];
        Tensor ones = Tensor.zeros(DType.INT8, c, h, w, 1);
        for (int i = 0; i < ones.size(); i++) ones.setLong(i, 1);
        long wAddr = pb.constant(y.name() + ".ones", SymbolKind.WEIGHT, DType.INT8, new int[] {c, 1, h, w}, "OHWI",
                new int[] {c, h, w, 1}, ones.data());
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        float[] m = new float[c];
        // ONNX Runtime's QLinearGlobalAveragePool: M = xs / (ys * (float) N), then the QLinearConv rule
        for (int i = 0; i < c; i++) m[i] = xq.scale0() / (yq.scale0() * (float) (h * w));
        ConvGeometry geo = new ConvGeometry(h, w, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1);
        emitConv(n, "GlobalAveragePool", x, y, xs[0], h, w, c, 1, 1, c, geo, c, ElemType.S8, new int[c], wAddr, false, 0,
                new int[c], m);
    }

    private void matmul(Node n) {
        TensorRef a = ref(n.input(0));
        int[] as = a.shape();
        if (as.length < 2 || as.length > 3) throw new GraphException(n, "MatMul input A must have rank 2 or 3, not " + as.length);
        int batch = as.length == 3 ? as[0] : 1;
        int mRows = as[as.length - 2];
        int k = as[as.length - 1];
        TensorRef y = ref(n.output(0));
        Value bv = g.value(n.input(1));
        boolean transB = n.attrInt("transB", 0) != 0;
        int[] bs = bv.shape();
        int nCols = transB ? bs[0] : bs[bs.length - 1];
        QParams aq = qg.paramsOf(a.name());
        QParams yq = qg.paramsOf(y.name());
        float[] wScale = perChannel(n, (Tensor) n.attrs().get("w_scale"), nCols, "B scale");
        int[] wZp = zeroPoints(n, (Tensor) n.attrs().get("w_zero_point"), nCols);
        int[] bias = biasOf(n, n.input(2), nCols);
        float[] m = new float[nCols];
        for (int c = 0; c < nCols; c++) m[c] = (aq.scale0() * wScale[c]) / yq.scale0();
        ElemType wt = ElemType.of(bv.dtype());
        ConvGeometry geo = new ConvGeometry(1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, mRows);
        if (bv.isConstant()) {
            Tensor b = bv.constant();
            if (bs.length != 2) throw new GraphException(n, "constant B must be 2-D");
            Tensor wl = Tensor.zeros(b.dtype(), nCols, 1, 1, k); // [n][k]
            for (int o = 0; o < nCols; o++) {
                for (int i = 0; i < k; i++) wl.setLong(o * k + i, transB ? b.getLong(o * k + i) : b.getLong(i * nCols + o));
            }
            long wAddr = pb.constant(y.name() + ".weights", SymbolKind.WEIGHT, b.dtype(), new int[] {nCols, 1, 1, k}, "OHWI",
                    new int[] {nCols, 1, 1, k}, wl.data());
            emitConv(n, "MatMul", a, y, batch, 1, mRows, k, 1, mRows, nCols, geo, 1, wt, wZp, wAddr, false, 0, bias, m);
        } else {
            TensorRef b = ref(n.input(1));
            if (transB) throw new GraphException(n, "transposed dynamic B is not supported");
            int bBatch = bs.length == 3 ? bs[0] : 1;
            if (bBatch != 1 && bBatch != batch) throw new GraphException(n, "batch dimensions of A and B differ");
            long stride = bBatch == 1 ? 0 : (long) k * nCols * b.dtype().size();
            emitConv(n, "MatMul", a, y, batch, 1, mRows, k, 1, mRows, nCols, geo, 1, wt, wZp, -1, true, stride, bias, m,
                    b);
        }
    }

    private void emitConv(Node n, String op, TensorRef x, TensorRef y, int batch, int ih, int iw, int ic, int oh, int ow,
                          int oc, ConvGeometry geo, int groups, ElemType wt, int[] wZp, long wAddr, boolean dynamic,
                          long batchStride, int[] bias, float[] m, TensorRef... dynamicB) {
        long params = pb.constant(y.name() + ".requant", SymbolKind.PARAM, DType.INT32, new int[] {oc, 3}, "ROW_MAJOR",
                new int[] {oc, 3}, RequantTable.build(bias, m, intMode));
        boolean uniform = true;
        for (int z : wZp) uniform &= z == wZp[0];
        long zTable = uniform ? -1 : pb.constant(y.name() + ".wzp", SymbolKind.PARAM, DType.INT32, new int[] {oc},
                "ROW_MAJOR", new int[] {oc}, RequantTable.ints(wZp));
        QParams xq = qg.paramsOf(x.name());
        int qmin = (int) n.attrInt("qmin", y.dtype().min());
        int qmax = (int) n.attrInt("qmax", y.dtype().max());
        pb.add(Specs.conv(y.name(), op, Canonicalizer.onnxNodes(n), x, y, batch, ih, iw, ic, oh, ow, oc, geo.kh(), geo.kw(),
                geo.sh(), geo.sw(), geo.dh(), geo.dw(), geo.pt(), geo.pl(), groups, wt, xq.zp0(), wZp[0], zTable, wAddr,
                dynamic ? dynamicB[0] : null, batchStride, params, qmin, qmax, intMode));
    }

    // ---------------------------------------------------------------- element-wise and pooling

    /**
     * Add or Mul of two quantized tensors. B may equal A's shape, be a single element, hold one value per
     * channel of a rank-4 A (ONNX Runtime then runs its scalar-B recipe channel by channel), or match A's
     * trailing dimensions (rows of a row-major A).
     */
    private void binary(Node n, boolean isMul) {
        String an = n.input(0);
        String bn = n.input(1);
        if (g.value(an).isConstant() && !g.value(bn).isConstant()) { // keep the activation first
            String t = an;
            an = bn;
            bn = t;
        }
        TensorRef a = operand(an);
        TensorRef b = operand(bn);
        int[] as = g.value(an).shape();
        int[] bs = g.value(bn).shape();
        TensorRef y = ref(n.output(0));
        if (!java.util.Arrays.equals(as, y.shape())) throw new GraphException(n, "output shape differs from A (broadcast A)");
        int bmod = 0;
        boolean scalarRecipe;
        long bElems = dev.cnnip.tensor.Tensor.numElements(bs);
        if (java.util.Arrays.equals(as, bs) && a.layout() == b.layout()) {
            scalarRecipe = false;
        } else if (bElems == 1) {
            scalarRecipe = true;
        } else if (as.length == 4 && a.layout() == Layout.NHWC && bElems == as[1] && onlyAxis(bs, as.length, 1)) {
            bmod = as[1];
            scalarRecipe = true;
        } else if (a.layout() == Layout.ROW_MAJOR && trailing(as, bs)) {
            bmod = (int) bElems;
            scalarRecipe = false;
        } else {
            throw new GraphException(n, "broadcast " + n.opType().substring(1) + " of " + java.util.Arrays.toString(as) + " and "
                    + java.util.Arrays.toString(bs) + " is not supported (same shape, scalar, per-channel or trailing rows)");
        }
        QParams aq = qg.paramsOf(an);
        QParams bq = qg.paramsOf(bn);
        QParams yq = qg.paramsOf(y.name());
        int qmin = (int) n.attrInt("qmin", y.dtype().min());
        int qmax = (int) n.attrInt("qmax", y.dtype().max());
        Object[] regs;
        if (isMul) {
            float m = dev.cnnip.numerics.QMul.multiplier(aq.scale0(), bq.scale0(), yq.scale0());
            if (intMode) {
                dev.cnnip.numerics.Requant.Fixed f = dev.cnnip.numerics.Requant.fixed(m);
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_FA, f.mult(), Reg.PP_FK, f.shift(),
                    Reg.PP_AZP, aq.zp0(), Reg.PP_BZP, bq.zp0(), Reg.PP_OZP, yq.zp0()};
            } else {
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_FA, Float.floatToRawIntBits(m),
                    Reg.PP_AZP, aq.zp0(), Reg.PP_BZP, bq.zp0(), Reg.PP_OZP, yq.zp0()};
            }
        } else {
            QAdd.Params p = QAdd.params(aq.scale0(), aq.zp0(), bq.scale0(), bq.zp0(), yq.scale0(), yq.zp0());
            if (intMode) {
                QAdd.Fixed f = QAdd.fixed(p.rA(), p.rB());
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_FA, f.ma(), Reg.PP_FB, f.mb(), Reg.PP_FK,
                    f.shift(), Reg.PP_AZP, aq.zp0(), Reg.PP_BZP, bq.zp0(), Reg.PP_OZP, yq.zp0()};
            } else {
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_FA, Float.floatToRawIntBits(p.rA()),
                    Reg.PP_FB, Float.floatToRawIntBits(p.rB()), Reg.PP_FK, Float.floatToRawIntBits(p.k())};
            }
        }
        pb.add(Specs.addBroadcast(y.name(), isMul ? "Mul" : "Add", Canonicalizer.onnxNodes(n), a, b, y, regs, intMode, bmod,
                scalarRecipe));
    }

    /** Whether {@code bs} (broadcast against rank {@code rank}) is 1 everywhere but {@code axis}. */
    private static boolean onlyAxis(int[] bs, int rank, int axis) {
        int off = rank - bs.length;
        for (int i = 0; i < bs.length; i++) if (i + off != axis && bs[i] != 1) return false;
        return off <= axis;
    }

    /** Whether {@code bs} without leading ones equals the trailing dimensions of {@code as}. */
    private static boolean trailing(int[] as, int[] bs) {
        int k = 0;
        while (k < bs.length && bs[k] == 1) k++;
        int len = bs.length - k;
        if (len > as.length) return false;
        for (int i = 0; i < len; i++) if (bs[k + i] != as[as.length - len + i]) return false;
        return true;
    }

    /** An activation, or a constant operand placed in DRAM with its quantization. */
    private TensorRef operand(String name) {
        Value v = g.value(name);
        if (!v.isConstant()) return ref(name);
        QParams p = qg.paramsOf(name);
        Tensor c = v.constant();
        // stored flat in its row-major order; the caller decides from the logical shape how it broadcasts
        return pb.constantTensor(name, c.rank() == 4 ? c.reshape(c.size()) : c, p.scale(), p.zeroPoint());
    }

    private void maxPool(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        int[] xs = x.shape();
        long[] k = n.attrInts("kernel_shape", null);
        if (xs.length != 4 || k == null || k.length != 2) throw new GraphException(n, "only 2-D max pooling is supported");
        if (n.outputs().size() > 1) throw new GraphException(n, "MaxPool indices output is not supported");
        ConvGeometry geo = ConvGeometry.of(n, xs[2], xs[3], (int) k[0], (int) k[1], n.attrInt("ceil_mode", 0) != 0);
        pb.add(Specs.maxPool(y.name(), Canonicalizer.onnxNodes(n), x, y, xs[0], xs[2], xs[3], xs[1], geo.oh(), geo.ow(),
                geo.kh(), geo.kw(), geo.sh(), geo.sw(), geo.dh(), geo.dw(), geo.pt(), geo.pl()));
    }

    private void reshape(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        boolean xKeeps = keepsRowMajorOrder(x);
        boolean yKeeps = keepsRowMajorOrder(y);
        if (xKeeps && yKeeps) {
            pb.alias(y, x);
            return;
        }
        if (x.layout() == Layout.NHWC && y.layout() == Layout.ROW_MAJOR) {
            int[] s = x.shape();
            pb.add(Specs.relayout(y.name(), Canonicalizer.onnxNodes(n), x, y, s[0], s[1], s[2], s[3], true));
            return;
        }
        if (x.layout() == Layout.ROW_MAJOR && y.layout() == Layout.NHWC) {
            int[] s = y.shape();
            pb.add(Specs.relayout(y.name(), Canonicalizer.onnxNodes(n), x, y, s[0], s[1], s[2], s[3], false));
            return;
        }
        throw new GraphException(n, "reshape between " + java.util.Arrays.toString(x.shape()) + " and "
                + java.util.Arrays.toString(y.shape()) + " needs two layout changes, which is not supported");
    }

    /** Whether the tensor's physical order equals its logical row-major order. */
    private static boolean keepsRowMajorOrder(TensorRef t) {
        if (t.layout() == Layout.ROW_MAJOR) return true;
        int[] s = t.shape();
        return s[1] == 1 || (long) s[2] * s[3] == 1;
    }

    private void quantDequant(Node n) {
        boolean quant = n.opType().equals("Quantize");
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        TensorRef qt = quant ? y : x;
        Tensor scale = (Tensor) n.attrs().get("scale");
        Tensor zp = (Tensor) n.attrs().get("zero_point");
        int axis = (int) n.attrInt("axis", 1);
        int block = (int) n.attrInt("block_size", 0);
        int[] shape = qt.shape();
        if (axis < 0) axis += shape.length;
        float[] s;
        int[] z;
        int channels;
        int inner;
        if (scale.size() == 1) {
            s = new float[] {scale.getFloat(0)};
            z = new int[] {zp == null ? 0 : (int) zp.getLong(0)};
            channels = 1;
            inner = 1;
        } else if (block == 0 && qt.layout() == Layout.ROW_MAJOR) {
            s = scale.toFloatArray();
            z = zp == null ? new int[s.length] : java.util.Arrays.stream(zp.toLongArray()).mapToInt(v -> (int) v).toArray();
            channels = shape[axis];
            inner = 1;
            for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        } else if (block == 0 && qt.layout() == Layout.NHWC && axis == 1) {
            s = scale.toFloatArray();
            z = zp == null ? new int[s.length] : java.util.Arrays.stream(zp.toLongArray()).mapToInt(v -> (int) v).toArray();
            channels = shape[1];
            inner = 1;
        } else {
            // blocked or per-axis in an order the table cannot follow: one entry per element, in physical order
            int count = (int) qt.elements();
            s = new float[count];
            z = new int[count];
            int[] phys = qt.layout().physical(shape);
            for (int p = 0; p < count; p++) {
                int[] logical = logicalIndex(p, phys, qt.layout());
                int si = scaleIndex(logical, scale.shape(), axis, block);
                s[p] = scale.getFloat(si);
                z[p] = zp == null ? 0 : (int) zp.getLong(si);
            }
            channels = count;
            inner = 1;
        }
        long table = pb.constant(y.name() + ".qtable", SymbolKind.PARAM, DType.INT32, new int[] {channels, 2}, "ROW_MAJOR",
                new int[] {channels, 2}, RequantTable.scales(s, z));
        List<String> nodes = Canonicalizer.onnxNodes(n);
        pb.add(quant ? Specs.quantize(y.name(), nodes, x, y, table, channels, inner)
                : Specs.dequantize(y.name(), nodes, x, y, table, channels, inner));
    }

    private static int[] logicalIndex(int p, int[] phys, Layout layout) {
        int[] idx = new int[phys.length];
        for (int i = phys.length - 1; i >= 0; i--) {
            idx[i] = p % phys[i];
            p /= phys[i];
        }
        if (layout == Layout.NHWC) return new int[] {idx[0], idx[3], idx[1], idx[2]};
        return idx;
    }

    /** Index into a scale tensor for a logical element: per axis, or blocked along the axis. */
    private static int scaleIndex(int[] logical, int[] scaleShape, int axis, int block) {
        if (scaleShape.length <= 1) return logical[axis] / Math.max(1, block);
        int idx = 0;
        for (int i = 0; i < scaleShape.length; i++) {
            int v = i == axis && block > 0 ? logical[i] / block : logical[i];
            idx = idx * scaleShape[i] + Math.min(v, scaleShape[i] - 1);
        }
        return idx;
    }

    private void lut(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        java.util.Map<String, Tensor> consts = new java.util.HashMap<>();
        for (int i = 1; i < n.inputs().size(); i++) {
            if (!n.input(i).isEmpty()) consts.put(n.input(i), g.value(n.input(i)).constant());
        }
        java.util.Map<String, Object> attrs = new java.util.LinkedHashMap<>(n.attrs());
        String op = (String) attrs.remove("lut_op");
        attrs.remove("onnx_nodes");
        Node fn = new Node(n.name(), op, "", n.inputs(), n.outputs(), attrs);
        Tensor table = LutTables.evaluate(fn, consts, xq, yq);
        long addr = pb.constant(y.name() + ".lut", SymbolKind.PARAM, table.dtype(), table.shape(), "ROW_MAJOR", table.shape(),
                table.data());
        pb.add(Specs.lut(y.name(), op, Canonicalizer.onnxNodes(n), x, y, addr));
    }

    private void requant(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        if (x.dtype().size() == 1) {
            Tensor table = LutTables.requant(xq, yq);
            long addr = pb.constant(y.name() + ".lut", SymbolKind.PARAM, table.dtype(), table.shape(), "ROW_MAJOR",
                    table.shape(), table.data());
            pb.add(Specs.lut(y.name(), "Requant", Canonicalizer.onnxNodes(n), x, y, addr));
            return;
        }
        // wide input: the adder with a zero B computes rint(a·rA + K), K = yz − rA·xz
        TensorRef zero = pb.constantTensor(y.name() + ".zero", Tensor.zeros(x.dtype(), 1), new float[] {1f}, new int[] {0});
        QAdd.Params p = QAdd.params(xq.scale0(), xq.zp0(), 1f, 0, yq.scale0(), yq.zp0());
        Object[] regs;
        if (intMode) {
            QAdd.Fixed f = QAdd.fixed(p.rA(), 0f);
            regs = new Object[] {Reg.PP_QMIN, yq.qmin(), Reg.PP_QMAX, yq.qmax(), Reg.PP_FA, f.ma(), Reg.PP_FB, 0, Reg.PP_FK,
                f.shift(), Reg.PP_AZP, xq.zp0(), Reg.PP_BZP, 0, Reg.PP_OZP, yq.zp0()};
        } else {
            regs = new Object[] {Reg.PP_QMIN, yq.qmin(), Reg.PP_QMAX, yq.qmax(), Reg.PP_FA, Float.floatToRawIntBits(p.rA()),
                Reg.PP_FB, Float.floatToRawIntBits(p.rB()), Reg.PP_FK, Float.floatToRawIntBits(p.k())};
        }
        pb.add(Specs.add(y.name(), "Requant", Canonicalizer.onnxNodes(n), x, zero, y, regs, intMode));
    }

    private void resize(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        int[] xs = x.shape();
        int[] ys = y.shape();
        if (x.layout() != Layout.NHWC || xs[0] != ys[0] || xs[1] != ys[1] || ys[2] % xs[2] != 0 || ys[3] % xs[3] != 0) {
            throw new GraphException(n, "only nearest upsampling of NCHW images by integer factors is supported");
        }
        int sh = ys[2] / xs[2];
        int sw = ys[3] / xs[3];
        checkNearest(n, xs[2], sh);
        checkNearest(n, xs[3], sw);
        pb.add(Specs.resize(y.name(), Canonicalizer.onnxNodes(n), x, y, xs[0], xs[2], xs[3], xs[1], sh, sw));
    }

    /** The node's coordinate mapping must send output index o to input o / s (what the DMA pattern does). */
    private static void checkNearest(Node n, int in, int s) {
        if (!n.attrString("mode", "nearest").equals("nearest")) throw new GraphException(n, "only nearest Resize is supported");
        String ct = n.attrString("coordinate_transformation_mode", "half_pixel");
        String nm = n.attrString("nearest_mode", "round_prefer_floor");
        for (int o = 0; o < in * s; o++) {
            double orig = switch (ct) {
                case "asymmetric" -> (double) o / s;
                case "half_pixel", "pytorch_half_pixel" -> (o + 0.5) / s - 0.5;
                case "align_corners" -> in * s == 1 ? 0 : (double) o * (in - 1) / (in * s - 1);
                default -> throw new GraphException(n, "coordinate_transformation_mode " + ct + " is not supported");
            };
            long idx = switch (nm) {
                case "floor" -> (long) Math.floor(orig);
                case "ceil" -> (long) Math.ceil(orig);
                case "round_prefer_ceil" -> (long) Math.floor(orig + 0.5);
                default -> (long) Math.ceil(orig - 0.5); // round_prefer_floor
            };
            idx = Math.max(0, Math.min(in - 1, idx));
            if (idx != o / s) {
                throw new GraphException(n, "nearest mapping (" + ct + ", " + nm + ") is not a plain repetition by " + s);
            }
        }
    }

    private void transpose(Node n) {
        TensorRef x = ref(n.input(0));
        long[] perm = n.attrInts("perm", null);
        Value yv = g.value(n.output(0));
        boolean toNhwcOrder = perm != null && java.util.Arrays.equals(perm, new long[] {0, 2, 3, 1}) && x.layout() == Layout.NHWC;
        boolean toNchwOrder = perm != null && java.util.Arrays.equals(perm, new long[] {0, 3, 1, 2}) && x.rank() == 4
                && x.layout() == Layout.ROW_MAJOR;
        if (!toNhwcOrder && !toNchwOrder) {
            throw new GraphException(n, "Transpose " + java.util.Arrays.toString(perm) + " needs a data copy, which is not supported");
        }
        QParams p = qg.params().get(n.output(0));
        TensorRef y = pb.tensor(new TensorRef(n.output(0), yv.dtype(), yv.shape(), toNhwcOrder ? Layout.ROW_MAJOR : Layout.NHWC,
                p == null ? null : p.scale(), p == null ? null : p.zeroPoint(), 0));
        pb.alias(y, x); // same bytes: NCHW data stored NHWC is the row-major order of its NHWC transpose
    }

    private void concat(Node n) {
        List<TensorRef> ins = new ArrayList<>();
        for (String in : n.inputs()) ins.add(operand(in));
        Layout layout = ins.get(0).layout();
        for (TensorRef t : ins) {
            if (t.layout() != layout) throw new GraphException(n, "inputs are stored in different layouts");
        }
        Value yv = g.value(n.output(0));
        QParams yq = qg.paramsOf(n.output(0));
        TensorRef y = pb.hasTensor(n.output(0)) ? pb.tensor(n.output(0)) : pb.tensor(new TensorRef(n.output(0), yv.dtype(),
                yv.shape(), layout, yq.scale(), yq.zeroPoint(), 0));
        int rank = yv.rank();
        int axis = (int) n.attrInt("axis", 0);
        if (axis < 0) axis += rank;
        int paxis = layout == Layout.NHWC ? new int[] {0, 3, 1, 2}[axis] : axis;
        int[] py = y.physicalShape();
        long outer = 1;
        for (int i = 0; i < paxis; i++) outer *= py[i];
        long[] inners = new long[ins.size()];
        long[] tables = new long[ins.size()];
        for (int k = 0; k < ins.size(); k++) {
            int[] pk = ins.get(k).physicalShape();
            long inner = 1;
            for (int i = paxis; i < pk.length; i++) inner *= pk[i];
            inners[k] = inner;
            QParams iq = qg.paramsOf(ins.get(k).name());
            if (iq.sameAs(yq)) {
                tables[k] = -1;
            } else {
                if (iq.dtype().size() != 1) throw new GraphException(n, "requantizing 16-bit Concat inputs is not supported");
                Tensor t = LutTables.requant(iq, yq);
                tables[k] = pb.constant(y.name() + ".requant" + k, SymbolKind.PARAM, t.dtype(), t.shape(), "ROW_MAJOR",
                        t.shape(), t.data());
            }
        }
        pb.add(Specs.concat(y.name(), Canonicalizer.onnxNodes(n), ins, y, outer, inners, tables));
    }

    private void softmax(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        int rank = x.rank();
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) axis += rank;
        boolean innermost = x.layout() == Layout.NHWC ? axis == 1 : axis == rank - 1;
        if (!innermost) throw new GraphException(n, "Softmax must run over the innermost stored axis");
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        Object[] regs = {Reg.PP_FA, Float.floatToRawIntBits(xq.scale0()), Reg.PP_AZP, xq.zp0(),
            Reg.PP_FB, Float.floatToRawIntBits(yq.scale0()), Reg.PP_OZP, yq.zp0(), Reg.PP_QMIN, yq.qmin(), Reg.PP_QMAX, yq.qmax()};
        pb.add(Specs.softmax(y.name(), Canonicalizer.onnxNodes(n), x, y, x.shape()[axis], regs));
    }

    // ---------------------------------------------------------------- parameters

    private static float[] perChannel(Node n, Tensor t, int channels, String what) {
        if (t == null) throw new GraphException(n, what + " is missing");
        if (t.size() != 1 && t.size() != channels) {
            throw new GraphException(n, what + " has " + t.size() + " values for " + channels + " channels");
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) out[c] = t.getFloat(t.size() == 1 ? 0 : c);
        return out;
    }

    private static int[] zeroPoints(Node n, Tensor t, int channels) {
        int[] out = new int[channels];
        if (t == null) return out;
        if (t.size() != 1 && t.size() != channels) {
            throw new GraphException(n, "weight zero point has " + t.size() + " values for " + channels + " channels");
        }
        for (int c = 0; c < channels; c++) out[c] = (int) t.getLong(t.size() == 1 ? 0 : c);
        return out;
    }

    private int[] biasOf(Node n, String name, int channels) {
        int[] out = new int[channels];
        if (name.isEmpty()) return out;
        Tensor b = g.value(name).constant();
        if (b == null) throw new GraphException(n, "bias must be constant");
        if (b.size() != channels) throw new GraphException(n, "bias has " + b.size() + " values for " + channels + " channels");
        for (int c = 0; c < channels; c++) out[c] = (int) b.getLong(c);
        return out;
    }
}
