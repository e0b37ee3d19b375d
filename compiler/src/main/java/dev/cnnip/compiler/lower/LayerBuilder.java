package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.backend.ProgramBuilder;
import dev.cnnip.compiler.backend.Specs;
import dev.cnnip.compiler.backend.TensorRef;
import dev.cnnip.compiler.frontend.ConvGeometry;
import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.ir.Value;
import dev.cnnip.compiler.quant.Canonicalizer;
import dev.cnnip.compiler.quant.QGraph;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.isa.ElemType;
import dev.cnnip.numerics.QAdd;
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
public final class LayerBuilder extends LoweringBase {
    private final ElementwiseLowering elementwise;
    private final MovementLowering movement;

    private LayerBuilder(QGraph qg, ProgramBuilder pb) {
        super(qg, pb);
        this.elementwise = new ElementwiseLowering(qg, pb);
        this.movement = new MovementLowering(qg, pb);
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


    private void lower(Node n) {
        switch (n.opType()) {
            case "QConv" -> conv(n);
            case "QMatMul" -> matmul(n);
            case "QGlobalAveragePool" -> globalAveragePool(n);
            case "QAdd" -> elementwise.binary(n, false);
            case "QMul" -> elementwise.binary(n, true);
            case "QMaxPool" -> movement.maxPool(n);
            case "QAveragePool" -> movement.averagePool(n);
            case "QReshape" -> movement.reshape(n);
            case "Quantize", "Dequantize" -> elementwise.quantDequant(n);
            case "QLut" -> elementwise.lut(n);
            case "QRequant" -> elementwise.requant(n);
            case "QResize" -> movement.resize(n);
            case "QTranspose" -> movement.transpose(n);
            case "QConcat" -> movement.concat(n);
            case "QSoftmax" -> elementwise.softmax(n);
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
            emitConv(n, n.attrString("onnx_op", "MatMul"), a, y, batch, 1, mRows, k, 1, mRows, nCols, geo, 1, wt, wZp, wAddr,
                    false, 0, bias, m);
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
