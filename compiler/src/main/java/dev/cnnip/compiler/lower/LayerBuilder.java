package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.ConvQuant;
import dev.cnnip.compiler.backend.ConvShape;
import dev.cnnip.compiler.backend.ConvWeights;
import dev.cnnip.compiler.backend.ConvWindow;
import dev.cnnip.compiler.backend.Layout;
import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.layer.Clamp;
import dev.cnnip.compiler.layer.Layer;
import dev.cnnip.compiler.layer.ResizeAttrs;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.compiler.quant.UnsupportedNodesException;
import dev.cnnip.isa.ElemType;
import dev.cnnip.program.Program;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers the typed layers of a canonical quantized graph ({@link QGraph}) to backend layers: places
 * weights and parameter tables in DRAM, computes requantization multipliers with ONNX Runtime's
 * association ({@code M = (xs · ws[c]) / ys} in float32), and hands the layers to the
 * {@link ProgramBuilder}. It is a {@link Layer.Visitor}, so a new layer kind does not compile until it is
 * lowered here.
 */
public final class LayerBuilder extends LoweringBase implements Layer.Visitor<Void> {
    private final ElementwiseLowering elementwise;
    private final MovementLowering movement;

    private LayerBuilder(QGraph qg, ProgramBuilder pb) {
        super(qg, pb);
        this.elementwise = new ElementwiseLowering(qg, pb);
        this.movement = new MovementLowering(qg, pb);
    }

    /**
     * Lowers every layer and builds the program; when layers cannot be lowered, one
     * {@link UnsupportedNodesException} names each of them.
     */
    public static Program build(QGraph qg, ProgramBuilder pb, String modelName, String modelSha256) {
        LayerBuilder lb = new LayerBuilder(qg, pb);
        List<UnsupportedNodesException.Problem> problems = lb.lowerAll();
        if (!problems.isEmpty()) throw new UnsupportedNodesException(problems);
        List<TensorRef> ins = new ArrayList<>();
        for (String in : qg.graph().inputs()) ins.add(lb.ref(in));
        List<TensorRef> outs = new ArrayList<>();
        for (String out : qg.graph().outputs()) outs.add(lb.ref(out));
        return pb.build(ins, outs, modelName, modelSha256);
    }

    /**
     * Lowers every layer without building the program (for {@code compile --check}); returns the layers that cannot
     * be lowered, each named by its canonical node ({@code node}), its kind ({@code cnnip.Kind}) and the reason.
     */
    public static List<UnsupportedNodesException.Problem> check(QGraph qg, ProgramBuilder pb) {
        return new LayerBuilder(qg, pb).lowerAll();
    }

    /**
     * Lowering problems of a graph some of whose nodes did not convert ({@code partial}: the converted layers): only the
     * layers whose inputs are graph inputs, constants or outputs of layers lowered before are tried, so that a failed
     * or missing producer does not make its consumers fail too.
     */
    public static List<UnsupportedNodesException.Problem> checkConverted(QGraph partial, ProgramBuilder pb) {
        LayerBuilder lb = new LayerBuilder(partial, pb);
        java.util.Set<String> known = new java.util.HashSet<>(partial.graph().inputs());
        List<UnsupportedNodesException.Problem> problems = new ArrayList<>();
        for (Layer l : partial.layers()) {
            boolean ready = l.inputs().stream().allMatch(t -> t.isEmpty() || known.contains(t)
                    || lb.g.hasValue(t) && lb.g.value(t).isConstant());
            if (!ready) continue;
            UnsupportedNodesException.Problem p = lb.lowerOne(l);
            if (p == null) known.add(l.output()); else problems.add(p);
        }
        return problems;
    }

    /** Lowers each layer, going on after a layer that fails (its consumers read its output as declared). */
    private List<UnsupportedNodesException.Problem> lowerAll() {
        List<UnsupportedNodesException.Problem> problems = new ArrayList<>();
        for (Layer l : qg.layers()) {
            UnsupportedNodesException.Problem p = lowerOne(l);
            if (p != null) problems.add(p);
        }
        return problems;
    }

    /** Lowers one layer; its problem (canonical node, {@code cnnip.Kind}, reason) when it cannot be lowered, else null. */
    private UnsupportedNodesException.Problem lowerOne(Layer l) {
        try {
            l.accept(this);
            return null;
        } catch (dev.cnnip.compiler.ir.GraphException | dev.cnnip.compiler.backend.BackendException e) {
            String msg = String.valueOf(e.getMessage());
            String prefix = l.describe() + ": ";
            String why = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
            return new UnsupportedNodesException.Problem(l.name(), Layer.DOMAIN + "." + l.kind(), why);
        }
    }

    // ---------------------------------------------------------------- the layer kinds

    @Override
    public Void visit(Layer.QAdd l) {
        elementwise.binary(l, l.a(), l.b(), l.y(), l.clamp(), false);
        return null;
    }

    @Override
    public Void visit(Layer.QMul l) {
        elementwise.binary(l, l.a(), l.b(), l.y(), l.clamp(), true);
        return null;
    }

    @Override
    public Void visit(Layer.Quantize l) {
        elementwise.quantDequant(l, l.x(), l.y(), l.quant(), true);
        return null;
    }

    @Override
    public Void visit(Layer.Dequantize l) {
        elementwise.quantDequant(l, l.x(), l.y(), l.quant(), false);
        return null;
    }

    @Override
    public Void visit(Layer.QLut l) {
        elementwise.lut(l);
        return null;
    }

    @Override
    public Void visit(Layer.QRequant l) {
        elementwise.requant(l);
        return null;
    }

    @Override
    public Void visit(Layer.QSoftmax l) {
        elementwise.softmax(l);
        return null;
    }

    @Override
    public Void visit(Layer.QLrn l) {
        elementwise.lrn(l);
        return null;
    }

    @Override
    public Void visit(Layer.QMaxPool l) {
        movement.maxPool(l);
        return null;
    }

    @Override
    public Void visit(Layer.QAveragePool l) {
        movement.averagePool(l);
        return null;
    }

    @Override
    public Void visit(Layer.QReshape l) {
        movement.reshape(l);
        return null;
    }

    @Override
    public Void visit(Layer.QResize l) {
        if (l.attrs().mode().equals("linear")) {
            bilinear(l);
        } else {
            movement.resize(l);
        }
        return null;
    }

    /** Weights of the bilinear taps: int16 with scale 2^-14 (a weight of 1 is 16384; rounding error <= 2^-15). */
    private static final int TAP_ONE = 1 << 14;

    /**
     * Bilinear Resize of an NCHW image over H and W on the engines: the DMA gathers, for every image row
     * {@code n·C + c}, the four neighbours of every output pixel ({@link Specs#tapGather}); a grouped 1×1 convolution
     * with one group per output pixel (4 inputs, 1 output) weighs them with ONNX Runtime's coefficients
     * ({@code dx2·dy2, dx1·dy2, dx2·dy1, dx1·dy1}, float32, as int16 of scale 2^-14), accumulates exactly and
     * requantizes once ({@code M = (xs · 2^-14) / ys}); its output is the image in NCHW row-major order, which a
     * relayout stores NHWC. On codes (a QOperator Resize, or a QDQ one whose parameters do not change, which ONNX
     * Runtime 1.24 runs on uint8 too) ONNX Runtime's kernel truncates the float sum of weight × code, which the
     * requantization reproduces as a floor: bit-exact when the coefficients are multiples of 2^-13 (factor-2
     * half_pixel/asymmetric, 0.5 downsampling), else within 1 LSB. A requantizing QDQ Resize runs in float in ONNX
     * Runtime: within 1 LSB (weight rounding adds at most 4 · 2^-15 · 255 ≈ 0.03 of a step).
     */
    private void bilinear(Layer.QResize l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        int[] xs = x.shape();
        int[] ys = y.shape();
        var a = l.attrs();
        if (x.layout() != Layout.NHWC || xs[0] != ys[0] || xs[1] != ys[1]) {
            throw l.error("only bilinear Resize of NCHW images over H and W is supported");
        }
        if (x.dtype().size() != 1) throw l.error("bilinear Resize of 16-bit tensors is not supported");
        ResizeAttrs.LinearTaps th;
        ResizeAttrs.LinearTaps tw;
        try {
            th = a.linearTaps(xs[2], ys[2], a.scale(2, xs[2], ys[2]));
            tw = a.linearTaps(xs[3], ys[3], a.scale(3, xs[3], ys[3]));
        } catch (IllegalArgumentException e) {
            throw l.error(e.getMessage());
        }
        int n = xs[0];
        int c = xs[1];
        int oh = ys[2];
        int ow = ys[3];
        int p = oh * ow;
        int[] taps = new int[4 * p];
        Tensor wl = Tensor.zeros(DType.INT16, p, 1, 1, 4);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int e = oy * ow + ox;
                taps[4 * e] = th.i1()[oy] * xs[3] + tw.i1()[ox];
                taps[4 * e + 1] = th.i1()[oy] * xs[3] + tw.i2()[ox];
                taps[4 * e + 2] = th.i2()[oy] * xs[3] + tw.i1()[ox];
                taps[4 * e + 3] = th.i2()[oy] * xs[3] + tw.i2()[ox];
                float[] wgt = {tw.d2()[ox] * th.d2()[oy], tw.d1()[ox] * th.d2()[oy], tw.d2()[ox] * th.d1()[oy],
                        tw.d1()[ox] * th.d1()[oy]};
                // on codes: even multiples of 2^-14 (weights to 2^-13), so that the floor below has no ties
                for (int k = 0; k < 4; k++) {
                    wl.setLong(4 * e + k, l.onCodes() ? 2 * Math.round(wgt[k] * (TAP_ONE / 2)) : Math.round(wgt[k] * TAP_ONE));
                }
            }
        }
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        boolean codes = l.onCodes();
        if (codes && !xq.sameAs(yq)) throw l.error("a Resize on codes must keep its input's quantization");
        // on codes (ONNX Runtime's uint8 kernel: trunc(sum of weight x code)) the zero points are 0 and the bias
        // -(2^13 - 1) turns the requantization's rounding into a floor: acc is even, so (acc - 8191) / 2^14 is never
        // a tie, and rint((acc - 8191) / 2^14) = floor(acc / 2^14)
        int[] zp0 = new int[xq.zeroPoint().length];
        TensorRef g = pb.tensor(new TensorRef(y.name() + ".taps", x.dtype(), new int[] {n * c, 4 * p}, Layout.ROW_MAJOR,
                xq.scale(), codes ? zp0 : xq.zeroPoint(), 0));
        pb.add(Specs.tapGather(g.name(), l.onnxNodes(), x, g, taps));
        TensorRef yt = pb.tensor(new TensorRef(y.name() + ".nchw", y.dtype(), new int[] {n, c, oh, ow}, Layout.ROW_MAJOR,
                yq.scale(), codes ? zp0 : yq.zeroPoint(), 0));
        long wAddr = pb.constant(y.name() + ".taps.weights", SymbolKind.WEIGHT, DType.INT16, new int[] {p, 1, 1, 4}, "OHWI",
                new int[] {p, 1, 1, 4}, wl.data());
        int[] bias = new int[p];
        if (codes) java.util.Arrays.fill(bias, -(TAP_ONE / 2 - 1));
        float[] m = new float[p];
        float ws = 1f / TAP_ONE;
        for (int i = 0; i < p; i++) m[i] = (xq.scale0() * ws) / yq.scale0();
        emitConv(l, "Resize", g, yt, new ConvShape(1, n * c, 1, 4 * p, n * c, 1, p, p), ConvWindow.POINTWISE, ElemType.S16,
                new int[p], wAddr, null, 0, bias, m, new Clamp(yq.qmin(), yq.qmax()));
        pb.add(Specs.relayout(y.name(), l.onnxNodes(), yt, y, n, c, oh, ow, false));
    }

    @Override
    public Void visit(Layer.QTranspose l) {
        movement.transpose(l);
        return null;
    }

    @Override
    public Void visit(Layer.QConcat l) {
        movement.concat(l);
        return null;
    }

    @Override
    public Void visit(Layer.QMax l) {
        movement.extremum(l, l.a(), l.b(), l.y(), false);
        return null;
    }

    @Override
    public Void visit(Layer.QMin l) {
        movement.extremum(l, l.a(), l.b(), l.y(), true);
        return null;
    }

    @Override
    public Void visit(Layer.QPad l) {
        movement.pad(l);
        return null;
    }

    @Override
    public Void visit(Layer.QSlice l) {
        movement.slice(l);
        return null;
    }

    // ---------------------------------------------------------------- convolution family

    /**
     * ConvTranspose as a stride-1 convolution: the input's stride becomes zero insertion on the DMA engines
     * ({@link Specs#zeroInsert}: values at multiples of the stride, the input zero point elsewhere), the kernel is
     * flipped and its in/out axes swapped per group ({@code w'[g·ocg + j][i][a][b] = w[g·icg + i][j][kh−1−a][kw−1−b]}),
     * and the padding becomes {@code d·(k − 1) − pad} before (virtual padding with the zero point, as the convolution
     * does everywhere); the output size comes from the ConvTranspose geometry, which also covers output_padding.
     * The arithmetic is the QLinearConv rule (int32 accumulation, {@code M = xs·ws[c]/ys} in float32); ONNX Runtime
     * runs a QDQ ConvTranspose in float, so results agree within 1 LSB, not bit for bit.
     */
    @Override
    public Void visit(Layer.QConvTranspose l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        Tensor w = g.value(l.w()).constant();
        if (w == null) throw l.error("weights must be constant");
        int[] xs = x.shape();
        int[] ws = w.shape();
        int groups = l.attrs().group();
        int c = ws[0];
        int icg = c / groups;
        int ocg = ws[1];
        int oc = ocg * groups;
        int kh = ws[2];
        int kw = ws[3];
        var a = l.attrs();
        int pt = a.dh() * (kh - 1) - a.pads()[0];
        int pl = a.dw() * (kw - 1) - a.pads()[1];
        if (pt < 0 || pl < 0) throw l.error("padding larger than the dilated kernel extent minus 1 is not supported");
        Tensor wl = Tensor.zeros(w.dtype(), oc, kh, kw, icg); // the engines' [oc][kh][kw][ic/g]
        for (int gi = 0; gi < groups; gi++) {
            for (int j = 0; j < ocg; j++) {
                for (int i = 0; i < icg; i++) {
                    for (int r = 0; r < kh; r++) {
                        for (int s = 0; s < kw; s++) {
                            long v = w.getLong((((gi * icg + i) * ocg + j) * kh + (kh - 1 - r)) * kw + (kw - 1 - s));
                            wl.setLong((((gi * ocg + j) * kh + r) * kw + s) * icg + i, v);
                        }
                    }
                }
            }
        }
        long wAddr = pb.constant(y.name() + ".weights", SymbolKind.WEIGHT, w.dtype(), new int[] {oc, icg, kh, kw}, "OHWI",
                new int[] {oc, kh, kw, icg}, wl.data());
        // per-channel parameters run along ONNX axis 1 (output channel within a group)
        float[] wsj = l.weights().scales(l, l.weights().scale().size() == 1 ? 1 : ocg, "weight scale");
        int[] wzj = l.weights().zeroPoints(l, wsj.length);
        float[] wScale = new float[oc];
        int[] wZp = new int[oc];
        for (int o = 0; o < oc; o++) {
            wScale[o] = wsj[wsj.length == 1 ? 0 : o % ocg];
            wZp[o] = wzj[wzj.length == 1 ? 0 : o % ocg];
        }
        int[] bias = biasOf(l, l.bias(), oc);
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        float[] m = new float[oc];
        for (int o = 0; o < oc; o++) m[o] = (xq.scale0() * wScale[o]) / yq.scale0();
        TensorRef u = x;
        if (a.sh() > 1 || a.sw() > 1) {
            int hu = (xs[2] - 1) * a.sh() + 1;
            int wu = (xs[3] - 1) * a.sw() + 1;
            u = pb.tensor(new TensorRef(y.name() + ".inserted", x.dtype(), new int[] {xs[0], xs[1], hu, wu}, Layout.NHWC,
                    xq.scale(), xq.zeroPoint(), 0));
            Tensor fill = Tensor.zeros(x.dtype(), wu * xs[1]);
            for (int i = 0; i < fill.size(); i++) fill.setLong(i, xq.zp0());
            long fillAddr = pb.constant(y.name() + ".fill", SymbolKind.PARAM, x.dtype(), fill.shape(), "ROW_MAJOR", fill.shape(),
                    fill.data());
            pb.add(Specs.zeroInsert(u.name(), l.onnxNodes(), x, u, a.sh(), a.sw(), fillAddr));
        }
        int[] us = u.shape();
        int oh = a.outH(xs[2], kh);
        int ow = a.outW(xs[3], kw);
        emitConv(l, "ConvTranspose", u, y, new ConvShape(xs[0], us[2], us[3], c, oh, ow, oc, groups),
                new ConvWindow(kh, kw, 1, 1, a.dh(), a.dw(), pt, pl), ElemType.of(w.dtype()), wZp, wAddr, null, 0, bias, m,
                l.clamp());
        return null;
    }

    @Override
    public Void visit(Layer.QConv l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
        Tensor w = g.value(l.w()).constant();
        if (w == null) throw l.error("weights must be constant");
        int[] xs = x.shape();
        int[] ws = w.shape();
        int oc = ws[0];
        int icg = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int groups = l.attrs().group();
        ConvGeometry geo = l.attrs().window().geometry(l.describe(), xs[2], xs[3], kh, kw, false);
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
        float[] wScale = l.weights().scales(l, oc, "weight scale");
        int[] wZp = l.weights().zeroPoints(l, oc);
        int[] bias = biasOf(l, l.bias(), oc);
        QParams xq = qg.paramsOf(x.name());
        QParams yq = qg.paramsOf(y.name());
        float[] m = new float[oc];
        for (int c = 0; c < oc; c++) m[c] = (xq.scale0() * wScale[c]) / yq.scale0();
        emitConv(l, "Conv", x, y, new ConvShape(xs[0], xs[2], xs[3], xs[1], geo.oh(), geo.ow(), oc, groups), window(geo),
                wt, wZp, wAddr, null, 0, bias, m, l.clamp());
        return null;
    }

    @Override
    public Void visit(Layer.QGlobalAveragePool l) {
        TensorRef x = ref(l.x());
        TensorRef y = ref(l.y());
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
        emitConv(l, "GlobalAveragePool", x, y, new ConvShape(xs[0], h, w, c, 1, 1, c, c),
                new ConvWindow(h, w, 1, 1, 1, 1, 0, 0), ElemType.S8, new int[c], wAddr, null, 0, new int[c], m, l.clamp());
        return null;
    }

    /**
     * MatMul and Gemm as a 1×1 convolution over {@code batch} images of {@code [1, M, K]}: every leading axis of A is
     * batch (rank 2 to 4; a constant B [K, N] is shared, an activation B has A's batch axes or none, then it is
     * broadcast with batch stride 0). Rank-4 operands are stored NHWC, so A, an activation B and the output go
     * through a DMA relayout to and from row-major order unless that order is already the same.
     */
    @Override
    public Void visit(Layer.QMatMul l) {
        TensorRef a = ref(l.a());
        int[] as = a.shape();
        if (as.length < 2 || as.length > 4) throw l.error("MatMul input A must have rank 2 to 4, not " + as.length);
        int batch = 1;
        for (int i = 0; i < as.length - 2; i++) batch *= as[i];
        int mRows = as[as.length - 2];
        int k = as[as.length - 1];
        TensorRef y = ref(l.y());
        Value bv = g.value(l.b());
        boolean transB = l.transB();
        int[] bs = bv.shape();
        int nCols = transB ? bs[0] : bs[bs.length - 1];
        QParams aq = qg.paramsOf(a.name());
        QParams yq = qg.paramsOf(y.name());
        float[] wScale = l.weights().scales(l, nCols, "B scale");
        int[] wZp = l.weights().zeroPoints(l, nCols);
        int[] bias = biasOf(l, l.bias(), nCols);
        float[] m = new float[nCols];
        for (int c = 0; c < nCols; c++) m[c] = (aq.scale0() * wScale[c]) / yq.scale0();
        ElemType wt = ElemType.of(bv.dtype());
        ConvShape shape = new ConvShape(batch, 1, mRows, k, 1, mRows, nCols, 1);
        TensorRef ar = rowMajor(l, a);
        TensorRef yr = keepsRowMajorOrder(y) ? y : pb.tensor(new TensorRef(y.name() + ".rowmajor", y.dtype(), y.shape(),
                Layout.ROW_MAJOR, yq.scale(), yq.zeroPoint(), 0));
        if (bv.isConstant() && bs.length == 2) {
            Tensor b = bv.constant();
            Tensor wl = Tensor.zeros(b.dtype(), nCols, 1, 1, k); // [n][k]
            for (int o = 0; o < nCols; o++) {
                for (int i = 0; i < k; i++) wl.setLong(o * k + i, transB ? b.getLong(o * k + i) : b.getLong(i * nCols + o));
            }
            long wAddr = pb.constant(y.name() + ".weights", SymbolKind.WEIGHT, b.dtype(), new int[] {nCols, 1, 1, k}, "OHWI",
                    new int[] {nCols, 1, 1, k}, wl.data());
            emitConv(l, l.onnxOp(), ar, yr, shape, ConvWindow.POINTWISE, wt, wZp, wAddr, null, 0, bias, m, l.clamp());
        } else {
            // an activation B, or a constant with batch axes (placed in DRAM as [batch, K, N] and read the same way)
            TensorRef b = bv.isConstant() ? constantB(l, bv.constant(), wScale, wZp) : ref(l.b());
            if (transB) throw l.error("transposed dynamic B is not supported");
            int bBatch = 1;
            for (int i = 0; i < bs.length - 2; i++) bBatch *= bs[i];
            if (bBatch != 1 && (bBatch != batch || bs.length != as.length)) {
                throw l.error("batch axes of A " + java.util.Arrays.toString(as) + " and B " + java.util.Arrays.toString(bs)
                        + " must be equal, or B has none");
            }
            long stride = bBatch == 1 ? 0 : (long) k * nCols * b.dtype().size();
            emitConv(l, "MatMul", ar, yr, shape, ConvWindow.POINTWISE, wt, wZp, -1, rowMajor(l, b), stride, bias, m, l.clamp());
        }
        if (yr != y) {
            int[] s = y.shape();
            pb.add(Specs.relayout(y.name(), l.onnxNodes(), yr, y, s[0], s[1], s[2], s[3], false));
        }
        return null;
    }

    /** A constant B with batch axes, placed in DRAM in row-major order as [batch, K, N]. */
    private TensorRef constantB(Layer.QMatMul l, Tensor b, float[] scale, int[] zp) {
        int[] bs = b.shape();
        int batch = 1;
        for (int i = 0; i < bs.length - 2; i++) batch *= bs[i];
        return pb.constantTensor(l.b(), b.reshape(batch, bs[bs.length - 2], bs[bs.length - 1]), scale, zp);
    }

    /** {@code t} itself when its bytes are in row-major order, else a row-major copy made by a DMA relayout. */
    private TensorRef rowMajor(Layer l, TensorRef t) {
        if (keepsRowMajorOrder(t)) return t;
        String name = t.name() + ".rowmajor";
        if (pb.hasTensor(name)) return pb.tensor(name);
        TensorRef r = pb.tensor(new TensorRef(name, t.dtype(), t.shape(), Layout.ROW_MAJOR, t.scale(), t.zeroPoint(), 0));
        int[] s = t.shape();
        pb.add(Specs.relayout(name, l.onnxNodes(), t, r, s[0], s[1], s[2], s[3], true));
        return r;
    }

    /**
     * Places the requantization table (and per-channel weight zero points when they differ) and adds the
     * convolution; {@code dynamicB} is the B activation of a product of two activations, else null.
     */
    private void emitConv(Layer l, String op, TensorRef x, TensorRef y, ConvShape shape, ConvWindow window, ElemType wt,
                          int[] wZp, long wAddr, TensorRef dynamicB, long batchStride, int[] bias, float[] m, Clamp clamp) {
        int oc = shape.oc();
        long params = pb.constant(y.name() + ".requant", SymbolKind.PARAM, DType.INT32, new int[] {oc, 3}, "ROW_MAJOR",
                new int[] {oc, 3}, RequantTable.build(bias, m, intMode));
        boolean uniform = true;
        for (int z : wZp) uniform &= z == wZp[0];
        long zTable = uniform ? -1 : pb.constant(y.name() + ".wzp", SymbolKind.PARAM, DType.INT32, new int[] {oc},
                "ROW_MAJOR", new int[] {oc}, RequantTable.ints(wZp));
        int xzp = qg.params().containsKey(x.name()) ? qg.paramsOf(x.name()).zp0() : x.zp0(); // an inserted copy: its own
        ConvWeights weights = dynamicB == null ? ConvWeights.constant(wt, wZp[0], zTable, wAddr)
                : ConvWeights.dynamic(wt, wZp[0], zTable, dynamicB, batchStride);
        pb.add(Specs.conv(y.name(), op, l.onnxNodes(), x, y, shape, window, weights,
                new ConvQuant(xzp, params, clamp.qmin(), clamp.qmax(), intMode)));
    }

    // ---------------------------------------------------------------- parameters

    private int[] biasOf(Layer l, String name, int channels) {
        int[] out = new int[channels];
        if (name.isEmpty()) return out;
        Tensor b = g.value(name).constant();
        if (b == null) throw l.error("bias must be constant");
        if (b.size() != channels) throw l.error("bias has " + b.size() + " values for " + channels + " channels");
        for (int c = 0; c < channels; c++) out[c] = (int) b.getLong(c);
        return out;
    }
}
