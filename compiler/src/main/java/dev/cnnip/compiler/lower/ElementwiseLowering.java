package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.RegWrites;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.layer.AxisQuant;
import dev.cnnip.compiler.layer.Clamp;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.isa.Reg;
import dev.cnnip.numerics.QAdd;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;

/**
 * Lowers element-wise canonical layers: quantize and dequantize, Add and Mul with broadcasting, lookup
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
    void binary(Layer l, String an, String bn, String yn, Clamp clamp, boolean isMul) {
        if (g.value(an).isConstant() && !g.value(bn).isConstant()) { // keep the activation first
            String t = an;
            an = bn;
            bn = t;
        }
        TensorRef a = operand(an);
        TensorRef b = operand(bn);
        int[] as = g.value(an).shape();
        int[] bs = g.value(bn).shape();
        TensorRef y = ref(yn);
        if (!java.util.Arrays.equals(as, y.shape())) throw l.error("output shape differs from A (broadcast A)");
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
            throw l.error("broadcast " + l.kind().substring(1) + " of " + java.util.Arrays.toString(as) + " and "
                    + java.util.Arrays.toString(bs) + " is not supported (same shape, scalar, per-channel or trailing rows)");
        }
        QParams aq = qg.paramsOf(an);
        QParams bq = qg.paramsOf(bn);
        QParams yq = qg.paramsOf(y.name());
        RegWrites clampRegs = RegWrites.of(Reg.PP_QMIN, clamp.qmin()).and(Reg.PP_QMAX, clamp.qmax());
        RegWrites regs;
        if (isMul) {
            float m = dev.cnnip.numerics.QMul.multiplier(aq.scale0(), bq.scale0(), yq.scale0());
            if (intMode) {
                dev.cnnip.numerics.Requant.Fixed f = dev.cnnip.numerics.Requant.fixed(m);
                regs = clampRegs.and(Reg.PP_MM, f.mult()).and(Reg.PP_MSH, f.shift());
            } else {
                regs = clampRegs.andFloat(Reg.PP_MM, m);
            }
            regs = regs.and(Reg.PP_AZP, aq.zp0()).and(Reg.PP_BZP, bq.zp0()).and(Reg.PP_OZP, yq.zp0());
        } else {
            QAdd.Params p = QAdd.params(aq.scale0(), aq.zp0(), bq.scale0(), bq.zp0(), yq.scale0(), yq.zp0());
            if (intMode) {
                QAdd.Fixed f = QAdd.fixed(p.rA(), p.rB());
                regs = clampRegs.and(Reg.PP_FA, f.ma()).and(Reg.PP_FB, f.mb()).and(Reg.PP_FK, f.shift())
                        .and(Reg.PP_AZP, aq.zp0()).and(Reg.PP_BZP, bq.zp0()).and(Reg.PP_OZP, yq.zp0());
            } else {
                regs = clampRegs.andFloat(Reg.PP_FA, p.rA()).andFloat(Reg.PP_FB, p.rB()).andFloat(Reg.PP_FK, p.k());
            }
        }
        pb.add(Specs.addBroadcast(y.name(), isMul ? "Mul" : "Add", l.onnxNodes(), a, b, y, regs, intMode, bmod,
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

    /** A unary operator as a table: the ONNX function evaluated by ONNX Runtime on every input code. */
    void lut(Layer.QLut l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        Node fn = l.function();
        java.util.Map<String, Tensor> consts = new java.util.HashMap<>();
        for (int i = 1; i < fn.inputs().size(); i++) {
            if (!fn.input(i).isEmpty()) consts.put(fn.input(i), g.value(fn.input(i)).constant());
        }
        Tensor table = LutTables.evaluate(fn, consts, xq, yq);
        long addr = pb.constant(y.name() + ".lut", SymbolKind.PARAM, table.dtype(), table.shape(), "ROW_MAJOR", table.shape(),
                table.data());
        pb.add(Specs.lut(y.name(), fn.opType(), l.onnxNodes(), x, y, addr));
    }

    void requant(Layer.QRequant l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        if (x.dtype().size() == 1) {
            Tensor table = LutTables.requant(xq, yq);
            long addr = pb.constant(y.name() + ".lut", SymbolKind.PARAM, table.dtype(), table.shape(), "ROW_MAJOR",
                    table.shape(), table.data());
            pb.add(Specs.lut(y.name(), "Requant", l.onnxNodes(), x, y, addr));
            return;
        }
        // wide input: the adder with a zero B computes rint(a·rA + K), K = yz − rA·xz
        TensorRef zero = pb.constantTensor(y.name() + ".zero", Tensor.zeros(x.dtype(), 1), new float[] {1f}, new int[] {0});
        QAdd.Params p = QAdd.params(xq.scale0(), xq.zp0(), 1f, 0, yq.scale0(), yq.zp0());
        RegWrites regs = RegWrites.of(Reg.PP_QMIN, yq.qmin()).and(Reg.PP_QMAX, yq.qmax());
        if (intMode) {
            QAdd.Fixed f = QAdd.fixed(p.rA(), 0f);
            regs = regs.and(Reg.PP_FA, f.ma()).and(Reg.PP_FB, 0).and(Reg.PP_FK, f.shift())
                    .and(Reg.PP_AZP, xq.zp0()).and(Reg.PP_BZP, 0).and(Reg.PP_OZP, yq.zp0());
        } else {
            regs = regs.andFloat(Reg.PP_FA, p.rA()).andFloat(Reg.PP_FB, p.rB()).andFloat(Reg.PP_FK, p.k());
        }
        pb.add(Specs.add(y.name(), "Requant", l.onnxNodes(), x, zero, y, regs, intMode));
    }

    /** QuantizeLinear ({@code quant}) or DequantizeLinear of {@code xn} into {@code yn} with parameters {@code q}. */
    void quantDequant(Layer l, String xn, String yn, AxisQuant q, boolean quant) {
        TensorRef x = ref(xn);
        TensorRef y = ref(yn);
        TensorRef qt = quant ? y : x;
        Tensor scale = q.scale();
        Tensor zp = q.zeroPoint();
        int axis = q.axis();
        int block = q.blockSize();
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
        List<String> nodes = l.onnxNodes();
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

    void softmax(Layer.QSoftmax l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int rank = x.rank();
        int axis = l.axis();
        if (axis < 0) axis += rank;
        boolean innermost = x.layout() == Layout.NHWC ? axis == 1 : axis == rank - 1;
        if (!x.dtype().isInteger() || !y.dtype().isInteger() || x.dtype().size() > 2 || y.dtype().size() > 2) {
            throw l.error("Softmax runs on 8- or 16-bit integer codes, not " + x.dtype().shortName() + " to "
                    + y.dtype().shortName());
        }
        // 8-bit codes of one type: ONNX Runtime's QLinearSoftmax table recipe (pp.softmax, bit-exact); otherwise
        // (16-bit codes, which ONNX Runtime runs in float between DequantizeLinear and QuantizeLinear) its float
        // recipe (pp.softmaxf, within 1 LSB)
        boolean table = x.dtype().size() == 1 && y.dtype() == x.dtype();
        TensorRef out = y;
        int[] back = null;
        if (!innermost) {
            // another axis: a DMA gather moves it innermost (row-major copy), the softmax runs there, and a second
            // gather writes the result in the output's physical order
            int[] p = new int[rank];
            for (int i = 0, j = 0; i < rank; i++) if (i != axis) p[j++] = i;
            p[rank - 1] = axis;
            int[] ps = new int[rank];
            for (int i = 0; i < rank; i++) ps[i] = x.shape()[p[i]];
            QParams xq0 = qg.paramsOf(x.name());
            QParams yq0 = qg.paramsOf(y.name());
            TensorRef moved = pb.tensor(new TensorRef(y.name() + ".in_last", x.dtype(), ps, Layout.ROW_MAJOR, xq0.scale(),
                    xq0.zeroPoint(), 0));
            pb.add(Specs.transpose(moved.name(), l.onnxNodes(), x, moved, p));
            out = pb.tensor(new TensorRef(y.name() + ".out_last", y.dtype(), ps, Layout.ROW_MAJOR, yq0.scale(), yq0.zeroPoint(), 0));
            int[] inv = new int[rank];
            for (int i = 0; i < rank; i++) inv[p[i]] = i;
            int[] logicalAt = y.layout() == Layout.NHWC ? new int[] {0, 2, 3, 1} : java.util.stream.IntStream.range(0, rank).toArray();
            back = new int[rank];
            for (int j = 0; j < rank; j++) back[j] = inv[logicalAt[j]];
            x = moved;
        }
        QParams xq = qg.paramsOf(l.x());
        QParams yq = qg.paramsOf(l.y());
        int d = y.shape()[axis];
        if (!table) {
            if (!xq.perTensor() || !yq.perTensor()) throw l.error("Softmax needs per-tensor input and output quantization");
            pb.add(Specs.floatSoftmax(out.name(), l.onnxNodes(), x, out, d, floatRowQuant(RegWrites.NONE, xq, yq)));
            if (back != null) pb.add(Specs.transpose(y.name(), l.onnxNodes(), out, y, back));
            return;
        }
        float[] exp = LutTables.softmaxTable(xq.scale0(), d, x.dtype().isSigned());
        int entries = dev.cnnip.isa.table.SoftmaxTable.ENTRIES;
        long addr = pb.constant(y.name() + ".exp", SymbolKind.PARAM, dev.cnnip.tensor.DType.FLOAT32, new int[] {entries},
                "ROW_MAJOR", new int[] {entries}, dev.cnnip.isa.table.SoftmaxTable.encode(exp));
        // ONNX Runtime scales by floor(1 / y_scale) in float32
        float yScale = (float) Math.floor(1.0f / yq.scale0());
        RegWrites regs = RegWrites.of(Reg.PP_YINV, Float.floatToRawIntBits(yScale)).and(Reg.PP_OZP, yq.zp0());
        pb.add(Specs.softmax(out.name(), l.onnxNodes(), x, out, d, addr, regs));
        if (back != null) pb.add(Specs.transpose(y.name(), l.onnxNodes(), out, y, back));
    }

    /**
     * LRN across channels: the group ONNX Runtime runs in float (DequantizeLinear, LRN, QuantizeLinear) as one
     * {@code pp.lrn} per chunk of pixels; the input must be stored NHWC so a pixel's channels are contiguous.
     */
    void lrn(Layer.QLrn l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        if (x.rank() != 4 || x.layout() != Layout.NHWC || y.layout() != Layout.NHWC) {
            throw l.error("LRN needs a rank-4 tensor stored NHWC (channels innermost)");
        }
        if (!x.dtype().isInteger() || !y.dtype().isInteger()) {
            throw l.error("LRN input and output must be integer codes, not " + x.dtype().shortName() + " and " + y.dtype().shortName());
        }
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        if (!xq.perTensor() || !yq.perTensor()) throw l.error("LRN needs per-tensor input and output quantization");
        var a = l.attrs();
        RegWrites regs = RegWrites.of(Reg.PP_LSIZE, a.size())
                .and(Reg.PP_LALPHA, Float.floatToRawIntBits(a.alphaOverSize()))
                .and(Reg.PP_LBETA, Float.floatToRawIntBits(a.beta()))
                .and(Reg.PP_LBIAS, Float.floatToRawIntBits(a.bias()));
        pb.add(Specs.lrn(y.name(), l.onnxNodes(), x, y, x.shape()[1], floatRowQuant(regs, xq, yq)));
    }

    /**
     * {@code fn} followed by the dequantization and quantization registers of a {@code ROWS} instruction
     * ({@code pp.lrn}, {@code pp.softmaxf}): input scale and zero point, output scale, zero point and code range.
     */
    private static RegWrites floatRowQuant(RegWrites fn, QParams xq, QParams yq) {
        RegWrites q = fn.and(Reg.PP_XS, Float.floatToRawIntBits(xq.scale0())).and(Reg.PP_XZP, xq.zp0())
                .and(Reg.PP_YS, Float.floatToRawIntBits(yq.scale0())).and(Reg.PP_OZP, yq.zp0());
        return q.and(Reg.PP_QMIN, yq.qmin()).and(Reg.PP_QMAX, yq.qmax());
    }
}
