package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.QAdd;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;

/**
 * Lowers element-wise canonical nodes: quantize and dequantize, Add and Mul with broadcasting, lookup
 * tables of unary operators, requantization, softmax.
 */
final class ElementwiseLowering extends LoweringBase {
    ElementwiseLowering(QGraph qg, ProgramBuilder pb) {
        super(qg, pb);
    }

    /**
     * Add or Mul of two quantized tensors. B may equal A's shape, be a single element, hold one value per
     * channel of a rank-4 A (ONNX Runtime then runs its scalar-B recipe channel by channel), or match A's
     * trailing dimensions (rows of a row-major A).
     */
    void binary(Node n, boolean isMul) {
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
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_MM, f.mult(), Reg.PP_MSH, f.shift(),
                    Reg.PP_AZP, aq.zp0(), Reg.PP_BZP, bq.zp0(), Reg.PP_OZP, yq.zp0()};
            } else {
                regs = new Object[] {Reg.PP_QMIN, qmin, Reg.PP_QMAX, qmax, Reg.PP_MM, Float.floatToRawIntBits(m),
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

    void lut(Node n) {
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

    void requant(Node n) {
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

    void quantDequant(Node n) {
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

    void softmax(Node n) {
        TensorRef x = ref(n.input(0));
        TensorRef y = ref(n.output(0));
        int rank = x.rank();
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) axis += rank;
        boolean innermost = x.layout() == Layout.NHWC ? axis == 1 : axis == rank - 1;
        if (!innermost) throw new GraphException(n, "Softmax must run over the innermost stored axis");
        if (x.dtype().size() != 1 || y.dtype() != x.dtype()) {
            throw new GraphException(n, "Softmax runs on 8-bit codes (same type in and out), not " + x.dtype().shortName());
        }
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        int d = x.shape()[axis];
        float[] table = LutTables.softmaxTable(xq.scale0(), d, x.dtype().isSigned());
        int entries = dev.cnnip.isa.table.SoftmaxTable.ENTRIES;
        long addr = pb.constant(y.name() + ".exp", SymbolKind.PARAM, dev.cnnip.tensor.DType.FLOAT32, new int[] {entries},
                "ROW_MAJOR", new int[] {entries}, dev.cnnip.isa.table.SoftmaxTable.encode(table));
        // ONNX Runtime scales by floor(1 / y_scale) in float32
        float yScale = (float) Math.floor(1.0f / yq.scale0());
        Object[] regs = {Reg.PP_YINV, Float.floatToRawIntBits(yScale), Reg.PP_OZP, yq.zp0()};
        pb.add(Specs.softmax(y.name(), Canonicalizer.onnxNodes(n), x, y, d, addr, regs));
    }
}
