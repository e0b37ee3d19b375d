package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.PoolShape;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.RegWrites;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.layer.PoolAttrs;
import dev.cnnip.compiler.layer.ResizeAttrs;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers canonical layers that move values without arithmetic: max pooling, reshapes (views or NHWC
 * relayouts), transposes that are views, concatenation and nearest-neighbour upsampling.
 */
final class MovementLowering extends LoweringBase {
    MovementLowering(QGraph qg, ProgramBuilder pb) {
        super(qg, pb);
    }

    void maxPool(Layer.QMaxPool l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int[] xs = x.shape();
        if (xs.length != 4) throw l.error("only 2-D max pooling is supported");
        ConvGeometry geo = geometry(l, xs, l.attrs());
        pb.add(Specs.maxPool(y.name(), l.onnxNodes(), x, y, new PoolShape(xs[0], xs[2], xs[3], xs[1], geo.oh(), geo.ow()),
                window(geo)));
    }

    /** Quantized AveragePool: ONNX Runtime's float recipe on the PP engine. */
    void averagePool(Layer.QAveragePool l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int[] xs = x.shape();
        if (xs.length != 4) throw l.error("only 2-D average pooling is supported");
        ConvGeometry geo = geometry(l, xs, l.attrs());
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        RegWrites regs = RegWrites.of(Reg.PP_XS, Float.floatToRawIntBits(xq.scale0())).and(Reg.PP_XZP, xq.zp0())
                .andFloat(Reg.PP_YS, yq.scale0()).and(Reg.PP_OZP, yq.zp0())
                .and(Reg.PP_QMIN, l.clamp().qmin()).and(Reg.PP_QMAX, l.clamp().qmax());
        pb.add(Specs.averagePool(y.name(), l.onnxNodes(), x, y, new PoolShape(xs[0], xs[2], xs[3], xs[1], geo.oh(), geo.ow()),
                window(geo), l.attrs().countIncludePad(), regs));
    }

    private static ConvGeometry geometry(Layer l, int[] xs, PoolAttrs p) {
        return p.window().geometry(l.describe(), xs[2], xs[3], p.kh(), p.kw(), p.ceilMode());
    }

    void reshape(Layer.QReshape l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        boolean xKeeps = keepsRowMajorOrder(x);
        boolean yKeeps = keepsRowMajorOrder(y);
        if (xKeeps && yKeeps) {
            pb.alias(y, x);
            return;
        }
        if (x.layout() == Layout.NHWC && y.layout() == Layout.ROW_MAJOR) {
            int[] s = x.shape();
            pb.add(Specs.relayout(y.name(), l.onnxNodes(), x, y, s[0], s[1], s[2], s[3], true));
            return;
        }
        if (x.layout() == Layout.ROW_MAJOR && y.layout() == Layout.NHWC) {
            int[] s = y.shape();
            pb.add(Specs.relayout(y.name(), l.onnxNodes(), x, y, s[0], s[1], s[2], s[3], false));
            return;
        }
        throw l.error("reshape between " + java.util.Arrays.toString(x.shape()) + " and "
                + java.util.Arrays.toString(y.shape()) + " needs two layout changes, which is not supported");
    }

    /** Slice and the pieces of Split: a DMA gather with the input's strides times the steps (no arithmetic). */
    void slice(Layer.QSlice l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        if (y.elements() == 0) throw l.error("an empty slice is not supported");
        if (!qg.paramsOf(l.x()).sameAs(qg.paramsOf(l.y()))) {
            throw l.error("input and output quantization differ; requantizing Slice is not supported");
        }
        var s = l.slice();
        if (s.equals(dev.cnnip.compiler.layer.SliceAttrs.whole(x.shape()))) { // the whole tensor in order: a view
            pb.alias(y, x);
            return;
        }
        pb.add(Specs.slice(y.name(), "Slice", l.onnxNodes(), x, y, s.starts(), s.steps()));
    }

    /**
     * Nearest Resize of an NCHW image on the DMA engines, with ONNX Runtime's index mapping (any coordinate
     * transformation and nearest mode, scales or sizes, up or down): a plain repetition by integer factors is the
     * scattering copy of {@code Specs.resize}, anything else the row and column gather of {@code Specs.nearestGather}.
     */
    void resize(Layer.QResize l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int[] xs = x.shape();
        int[] ys = y.shape();
        ResizeAttrs a = l.attrs();
        if (!a.mode().equals("nearest")) throw l.error("only nearest and linear Resize are supported, not mode " + a.mode());
        if (x.layout() != Layout.NHWC || xs[0] != ys[0] || xs[1] != ys[1]) {
            throw l.error("only Resize of NCHW images over H and W is supported");
        }
        int[] rows;
        int[] cols;
        try {
            rows = a.nearestIndices(xs[2], ys[2], a.scale(2, xs[2], ys[2]));
            cols = a.nearestIndices(xs[3], ys[3], a.scale(3, xs[3], ys[3]));
        } catch (IllegalArgumentException e) {
            throw l.error(e.getMessage());
        }
        if (ys[2] % xs[2] == 0 && ys[3] % xs[3] == 0 && repeats(rows, ys[2] / xs[2]) && repeats(cols, ys[3] / xs[3])) {
            pb.add(Specs.resize(y.name(), l.onnxNodes(), x, y, xs[0], xs[2], xs[3], xs[1], ys[2] / xs[2], ys[3] / xs[3]));
        } else {
            pb.add(Specs.nearestGather(y.name(), l.onnxNodes(), x, y, rows, cols));
        }
    }

    /** Whether output index o maps to input o / s for every o. */
    private static boolean repeats(int[] idx, int s) {
        for (int o = 0; o < idx.length; o++) if (idx[o] != o / s) return false;
        return true;
    }

    void transpose(Layer.QTranspose l) {
        TensorRef x = ref(l.x());
        int[] perm = l.perm();
        Value yv = g.value(l.y());
        boolean toNhwcOrder = perm != null && java.util.Arrays.equals(perm, new int[] {0, 2, 3, 1}) && x.layout() == Layout.NHWC;
        boolean toNchwOrder = perm != null && java.util.Arrays.equals(perm, new int[] {0, 3, 1, 2}) && x.rank() == 4
                && x.layout() == Layout.ROW_MAJOR;
        QParams p = qg.params().get(l.y());
        if (!toNhwcOrder && !toNchwOrder) { // a data copy on the DMA engines, output row-major
            int[] full = perm;
            if (full == null) { // ONNX's default: the axes reversed
                full = new int[x.rank()];
                for (int i = 0; i < full.length; i++) full[i] = full.length - 1 - i;
            }
            TensorRef y = pb.tensor(new TensorRef(l.y(), yv.dtype(), yv.shape(), Layout.ROW_MAJOR,
                    p == null ? null : p.scale(), p == null ? null : p.zeroPoint(), 0));
            pb.add(Specs.transpose(y.name(), l.onnxNodes(), x, y, full));
            return;
        }
        TensorRef y = pb.tensor(new TensorRef(l.y(), yv.dtype(), yv.shape(), toNhwcOrder ? Layout.ROW_MAJOR : Layout.NHWC,
                p == null ? null : p.scale(), p == null ? null : p.zeroPoint(), 0));
        pb.alias(y, x); // same bytes: NCHW data stored NHWC is the row-major order of its NHWC transpose
    }

    void concat(Layer.QConcat l) {
        List<TensorRef> ins = new ArrayList<>();
        for (String in : l.inputs()) ins.add(operand(in));
        Layout layout = ins.get(0).layout();
        for (TensorRef t : ins) {
            if (t.layout() != layout) throw l.error("inputs are stored in different layouts");
        }
        Value yv = g.value(l.y());
        QParams yq = qg.paramsOf(l.y());
        TensorRef y = pb.hasTensor(l.y()) ? pb.tensor(l.y()) : pb.tensor(new TensorRef(l.y(), yv.dtype(),
                yv.shape(), layout, yq.scale(), yq.zeroPoint(), 0));
        int rank = yv.rank();
        int axis = l.axis();
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
                if (iq.dtype().size() != 1) throw l.error("requantizing 16-bit Concat inputs is not supported");
                Tensor t = LutTables.requant(iq, yq);
                tables[k] = pb.constant(y.name() + ".requant" + k, SymbolKind.PARAM, t.dtype(), t.shape(), "ROW_MAJOR",
                        t.shape(), t.data());
            }
        }
        pb.add(Specs.concat(y.name(), l.onnxNodes(), ins, y, outer, inners, tables));
    }

    /**
     * Element-wise Max (or Min) of two NCHW tensors with the quantization of the output: the inputs are stacked
     * along H into a scratch tensor [N, C, 2H, W] (a Concat), then a max pooling with a 2×1 kernel and an H
     * dilation compares row h of A with row h of B: out[h] = max(s[h], s[h + H]). Min is max on reversed
     * codes: the Concat maps each 8-bit code c through the order-reversing table qmin + qmax − c, and a
     * lookup through the same table (its own inverse) restores the order: min(a, b) = ~max(~a, ~b).
     */
    void extremum(Layer l, String an, String bn, String yn, boolean min) {
        TensorRef a = ref(an);
        TensorRef b = ref(bn);
        TensorRef y = ref(yn);
        String op = min ? "Min" : "Max";
        int[] s = a.shape();
        if (s.length != 4 || a.layout() != Layout.NHWC || b.layout() != Layout.NHWC || y.layout() != Layout.NHWC) {
            throw l.error("only " + op + " of two rank-4 (NCHW) tensors is supported");
        }
        if (!java.util.Arrays.equals(s, b.shape())) throw l.error("broadcast " + op + " is not supported");
        QParams yq = qg.paramsOf(yn);
        if (!qg.paramsOf(an).sameAs(yq) || !qg.paramsOf(bn).sameAs(yq)) {
            throw l.error("inputs and output must share quantization parameters");
        }
        if (min && yq.dtype().size() != 1) throw l.error("Min of 16-bit tensors is not supported");
        long reverse = -1;
        if (min) {
            Tensor t = Tensor.zeros(yq.dtype(), 256);
            for (int i = 0; i < 256; i++) t.setLong(i, yq.dtype().max() - i); // entry i is code qmin + i
            reverse = pb.constant(yn + ".reverse", SymbolKind.PARAM, t.dtype(), t.shape(), "ROW_MAJOR", t.shape(), t.data());
        }
        int[] ps = {s[0], s[1], 2 * s[2], s[3]};
        TensorRef pair = pb.tensor(new TensorRef(yn + ".pair", y.dtype(), ps, Layout.NHWC, yq.scale(), yq.zeroPoint(), 0));
        long inner = (long) s[1] * s[2] * s[3];
        pb.add(Specs.concat(pair.name(), l.onnxNodes(), List.of(a, b), pair, s[0], new long[] {inner, inner},
                new long[] {reverse, reverse}));
        TensorRef pooled = !min ? y : pb.tensor(new TensorRef(yn + ".reversed", y.dtype(), s, Layout.NHWC, yq.scale(),
                yq.zeroPoint(), 0));
        pb.add(Specs.maxPool(pooled.name(), l.onnxNodes(), pair, pooled, new PoolShape(s[0], ps[2], s[3], s[1], s[2], s[3]),
                new dev.cnnip.compiler.backend.ConvWindow(2, 1, 1, 1, s[2], 1, 0, 0)));
        if (min) pb.add(Specs.lut(y.name(), op, l.onnxNodes(), pooled, y, reverse));
    }

    /**
     * Constant Pad as Concats (no arithmetic), one per padded axis from the innermost stored one out (NHWC: C, W, H,
     * N): along physical axis a of the current shape, outer = the product of the dimensions before a, pieces
     * [before · inner | the data | after · inner] with inner the product of the dimensions after a. The padding pieces
     * are constants filled with the pad value's code in the output's parameters.
     */
    void pad(Layer.QPad l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int[] s = x.shape();
        if (s.length != 4 || x.layout() != Layout.NHWC || y.layout() != Layout.NHWC) {
            throw l.error("only Pad of a rank-4 (NCHW) tensor is supported");
        }
        QParams xq = qg.paramsOf(l.x());
        QParams yq = qg.paramsOf(l.y());
        if (!xq.sameAs(yq)) throw l.error("input and output quantization differ; requantizing Pad is not supported");
        long code = dev.cnnip.numerics.Quantize.quantize(l.value(), yq.scale0(), yq.zp0(), yq.qmin(), yq.qmax());
        int[] p = l.pads();
        int[] logicalOf = {0, 2, 3, 1}; // logical axis at each physical position
        int[] cur = {s[0], s[2], s[3], s[1]}; // physical NHWC dimensions as the passes grow them
        java.util.List<Integer> passes = new java.util.ArrayList<>();
        for (int a = 3; a >= 0; a--) if (p[logicalOf[a]] + p[4 + logicalOf[a]] > 0) passes.add(a);
        if (passes.isEmpty()) {
            passes.add(3); // nothing to pad: one copy
        }
        TensorRef in = x;
        for (int k = 0; k < passes.size(); k++) {
            int a = passes.get(k);
            int before = p[logicalOf[a]];
            int after = p[4 + logicalOf[a]];
            long outer = 1;
            for (int i = 0; i < a; i++) outer *= cur[i];
            long inner = 1;
            for (int i = a + 1; i < 4; i++) inner *= cur[i];
            long data = cur[a] * inner;
            cur[a] += before + after;
            TensorRef out = k == passes.size() - 1 ? y : pb.tensor(new TensorRef(l.y() + ".pad" + k, y.dtype(),
                    new int[] {cur[0], cur[3], cur[1], cur[2]}, Layout.NHWC, yq.scale(), yq.zeroPoint(), 0));
            if (l.mode().equals("constant")) {
                concatPieces(l, out, in, outer, before * inner, data, after * inner, code, ".before" + k, ".after" + k);
            } else {
                mirrorPieces(l, out, in, a, before, after, outer, inner, data);
            }
            in = out;
        }
    }

    /**
     * One Concat of [before | x | after] along physical axis {@code a} (H or W) where the pieces come from {@code x}
     * itself through DMA gathers: reflect reads indices p, p−1, …, 1 before and d−2, d−3, … after (step −1); edge
     * repeats index 0 and d−1 (step 0).
     */
    private void mirrorPieces(Layer.QPad l, TensorRef out, TensorRef x, int a, int before, int after, long outer, long inner,
                              long data) {
        boolean reflect = l.mode().equals("reflect");
        int logical = new int[] {0, 2, 3, 1}[a];
        int d = x.shape()[logical];
        List<TensorRef> ins = new ArrayList<>();
        List<Long> inners = new ArrayList<>();
        int[] sides = {before, after};
        for (int side = 0; side < 2; side++) {
            int count = sides[side];
            if (side == 1) {
                ins.add(x);
                inners.add(data);
            }
            if (count == 0) continue;
            int[] shape = x.shape();
            shape[logical] = count;
            int[] starts = new int[4];
            int[] steps = {1, 1, 1, 1};
            starts[logical] = side == 0 ? (reflect ? count : 0) : (reflect ? d - 2 : d - 1);
            steps[logical] = reflect ? -1 : 0;
            QParams yq = qg.paramsOf(l.y());
            TensorRef piece = pb.tensor(new TensorRef(out.name() + (side == 0 ? ".mirror_before" : ".mirror_after"), x.dtype(), shape,
                    Layout.NHWC, yq.scale(), yq.zeroPoint(), 0));
            pb.add(Specs.slice(piece.name(), "Pad", l.onnxNodes(), x, piece, starts, steps));
            ins.add(piece);
            inners.add(count * inner);
        }
        long[] tables = new long[ins.size()];
        java.util.Arrays.fill(tables, -1);
        pb.add(Specs.concat(out.name(), l.onnxNodes(), ins, out, outer, inners.stream().mapToLong(Long::longValue).toArray(),
                tables));
    }

    /** One Concat of [before | x | after] rows (sizes in elements per row; zero-size pieces left out). */
    private void concatPieces(Layer.QPad l, TensorRef out, TensorRef x, long outer, long before, long inner, long after,
                              long code, String beforeName, String afterName) {
        QParams yq = qg.paramsOf(l.y());
        List<TensorRef> ins = new ArrayList<>();
        List<Long> inners = new ArrayList<>();
        if (before > 0) {
            ins.add(fill(out.name() + beforeName, outer * before, code, yq));
            inners.add(before);
        }
        ins.add(x);
        inners.add(inner);
        if (after > 0) {
            ins.add(fill(out.name() + afterName, outer * after, code, yq));
            inners.add(after);
        }
        long[] tables = new long[ins.size()];
        java.util.Arrays.fill(tables, -1);
        pb.add(Specs.concat(out.name(), l.onnxNodes(), ins, out, outer, inners.stream().mapToLong(Long::longValue).toArray(),
                tables));
    }

    /** A constant of {@code elements} copies of {@code code}. */
    private TensorRef fill(String name, long elements, long code, QParams q) {
        Tensor t = Tensor.zeros(q.dtype(), Math.toIntExact(elements));
        for (int i = 0; i < t.size(); i++) t.setLong(i, code);
        return pb.constantTensor(name, t, q.scale(), q.zeroPoint());
    }
}
