package dev.cnnip.e2e;

import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a small quantized ONNX model layer by layer, in QOperator form (QLinearConv, QLinearMatMul,
 * com.microsoft QLinearAdd/QLinearGlobalAveragePool, integer MaxPool/Flatten/Reshape) or in QDQ form
 * (DequantizeLinear → float op → [Relu|Clip] → QuantizeLinear, one DequantizeLinear per consumer, as
 * exporters write it). Weights, biases and quantization parameters are drawn from {@code rnd}; each
 * layer's output scale comes from the expected spread of its accumulators ({@link QTensor#rms()}) so
 * that outputs use the code range: about ±2.5 standard deviations span it.
 */
final class ModelWriter {
    enum Form { QOPERATOR, QDQ }

    private final OnnxBuilder b;
    private final Form form;
    private final SplittableRandom rnd;
    private final List<InputSpec> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int layer;
    private int dq;

    ModelWriter(String name, Form form, SplittableRandom rnd) {
        this.b = new OnnxBuilder(name).opset("", 13).opset("com.microsoft", 1);
        this.form = form;
        this.rnd = rnd;
    }

    List<InputSpec> inputs() {
        return List.copyOf(inputs);
    }

    /** The layers written so far, one phrase each. */
    String description() {
        return String.join(" | ", log);
    }

    // ---------------------------------------------------------------- graph inputs and outputs

    /** An integer graph input with a random scale and zero point and normally distributed codes around it. */
    QTensor intInput(String name, DType dtype, int... shape) {
        int zp = dtype == DType.UINT8 ? 96 + rnd.nextInt(65) : -32 + rnd.nextInt(65);
        float scale = (float) logUniform(0.005, 0.05);
        double offset = rnd.nextInt(41) - 20;
        double std = 25 + rnd.nextInt(36);
        b.input(name, dtype, shape);
        inputs.add(new InputSpec(name, dtype, shape, zp + offset, std));
        return new QTensor(name, dtype, shape, scale, zp, StrictMath.hypot(offset, std), Math.abs(offset));
    }

    /** A float graph input followed by QuantizeLinear (a Quantize layer). */
    QTensor floatInput(String name, DType qtype, int... shape) {
        double std = logUniform(0.2, 5);
        double mean = std * (rnd.nextDouble() - 0.5);
        float scale = (float) (5 * std / 255);
        int zp = qtype == DType.UINT8 ? 128 : 0;
        b.input(name, DType.FLOAT32, shape);
        inputs.add(new InputSpec(name, DType.FLOAT32, shape, mean, std));
        log.add("quantize " + qtype.shortName());
        String y = next();
        b.initializer(y + "_s", scalar(scale)).initializer(y + "_zp", zeroPoint(qtype, zp));
        b.node("QuantizeLinear", List.of(name, y + "_s", y + "_zp"), List.of(y));
        double m = mean / scale;
        return new QTensor(y, qtype, shape, scale, zp, StrictMath.hypot(m, std / scale), Math.abs(m));
    }

    /** Marks {@code t} as a graph output. */
    ModelWriter output(QTensor t) {
        b.output(t.name(), t.dtype(), t.shape());
        outputs.add(t.name());
        return this;
    }

    /** DequantizeLinear of {@code t} as a float graph output (a Dequantize layer). */
    ModelWriter dequantizedOutput(QTensor t) {
        String y = t.name() + "_float";
        b.initializer(y + "_s", scalar(t.scale())).initializer(y + "_zp", zeroPoint(t.dtype(), t.zp()));
        b.node("DequantizeLinear", List.of(t.name(), y + "_s", y + "_zp"), List.of(y));
        b.output(y, DType.FLOAT32, t.shape());
        outputs.add(y);
        log.add("dequantize");
        return this;
    }

    ModelProto build() {
        if (outputs.isEmpty()) throw new IllegalStateException("no outputs");
        return b.build();
    }

    // ---------------------------------------------------------------- convolution

    QTensor conv(QTensor x, ConvParams p) {
        return conv(x, p, false);
    }

    /**
     * A convolution whose requantization multiplier {@code (xs·ws)/ys} is exactly a power of two (per-tensor
     * weights, {@code ys = xs·ws·2^k}): many results then lie exactly halfway between two codes, where a
     * float computation with rounding noise (ONNX Runtime's path for unfused QDQ groups) can round the other
     * way than the integer recipe. It makes the ±1 comparison of unfused groups meet real differences.
     */
    QTensor convHalfwayRounding(QTensor x, ConvParams p) {
        if (p.perChannel() || p.act() != ConvParams.Act.NONE) throw new IllegalArgumentException("per-tensor, no activation");
        return conv(x, p, true);
    }

    private QTensor conv(QTensor x, ConvParams p, boolean powerOfTwoMultiplier) {
        if (form == Form.QOPERATOR && p.act() != ConvParams.Act.NONE) {
            throw new IllegalArgumentException("QOperator convolutions have no separate activation");
        }
        int ic = x.dim(1);
        log.add(x.dtype().shortName() + " " + p.describe(ic, x.dim(2), x.dim(3)));
        int icg = ic / p.group();
        int oc = p.oc();
        int[] ws = {oc, icg, p.kh(), p.kw()};
        int k = icg * p.kh() * p.kw();
        Weights w = weights(ws, oc, p.wtype(), p.perChannel(), p.wzp(), 0);
        double acc = accumulatorRms(x, k, w);
        double dcAcc = Math.sqrt(x.dc() * x.dc() * (k * w.meanSquare() + (double) k * (k - 1) * w.mean() * w.mean()));
        double biasRms = 0.5 * acc; // a per-channel constant: it adds to the spread and to what averaging keeps
        Tensor bias = p.bias() ? bias(oc, biasRms) : null;
        if (bias != null) {
            acc = StrictMath.hypot(acc, biasRms);
            dcAcc = StrictMath.hypot(dcAcc, biasRms);
        }
        int[] yShape = {x.dim(0), oc, p.outH(x.dim(2)), p.outW(x.dim(3))};
        Output out = chooseOutput(x.dtype(), acc * x.scale() * w.meanScale(), p.act());
        if (powerOfTwoMultiplier) { // about 50 codes per standard deviation, as chooseOutput aims for
            int shift = (int) Math.max(0, Math.round(StrictMath.log(acc / 51) / StrictMath.log(2)));
            out = new Output(x.scale() * w.scales().getFloat(0) * (float) (1 << shift), out.zp(), 0, 0, acc / (1 << shift));
        }
        String y = next();
        String wn = y + "_w";
        b.initializer(wn, w.values()).initializer(wn + "_s", w.scales()).initializer(wn + "_zp", w.zeroPoints());
        initOut(y, x.dtype(), out);
        if (form == Form.QOPERATOR) {
            List<String> in = concat(operand(x, y + "_x"), List.of(wn, wn + "_s", wn + "_zp"), y + "_s", y + "_zp");
            if (bias != null) {
                b.initializer(y + "_b", bias);
                in.add(y + "_b");
            }
            b.node("QLinearConv", in, List.of(y), n -> convAttrs(n, p));
        } else {
            List<String> in = new ArrayList<>(List.of(dequant(x), dequantWeights(wn, w.perAxis(), 0)));
            if (bias != null) in.add(dequantBias(y, bias, x.scale(), w));
            String f = y + "_conv";
            b.node("Conv", in, List.of(f), n -> convAttrs(n, p));
            quantize(activation(f, p.act(), out), y);
        }
        return outputTensor(y, x.dtype(), yShape, out, acc, dcAcc);
    }

    private static void convAttrs(OnnxBuilder.Node n, ConvParams p) {
        n.ints("kernel_shape", p.kh(), p.kw()).ints("strides", p.sh(), p.sw()).ints("dilations", p.dh(), p.dw())
                .ints("pads", p.pads()[0], p.pads()[1], p.pads()[2], p.pads()[3]).i("group", p.group());
    }

    // ---------------------------------------------------------------- MatMul and Gemm

    /**
     * {@code a × B} with a constant {@code B} of {@code n} columns: QLinearMatMul, or in QDQ form MatMul
     * or (2-D, {@code gemm}) Gemm with optional bias and transposed B.
     */
    QTensor fc(QTensor a, int n, DType wtype, boolean perColumn, int wzp, boolean gemm, boolean transB, boolean withBias,
               ConvParams.Act act) {
        if (form == Form.QOPERATOR && (gemm || withBias || act != ConvParams.Act.NONE)) {
            throw new IllegalArgumentException("QLinearMatMul has no bias, transposition or activation");
        }
        int k = a.dim(-1);
        log.add(String.format("%s %s %s->%d %s%s%s%s%s", a.dtype().shortName(), gemm ? "gemm" : "matmul",
                Arrays.toString(a.shape()), n, wtype.shortName(), perColumn ? " per-column" : " per-tensor",
                transB ? " transB" : "", withBias ? " bias" : "", act == ConvParams.Act.NONE ? "" : " " + act.name().toLowerCase()));
        int[] bs = transB ? new int[] {n, k} : new int[] {k, n};
        int axis = transB ? 0 : 1;
        Weights w = weights(bs, n, wtype, perColumn, wzp, axis);
        double acc = accumulatorRms(a, k, w);
        double dcAcc = a.dc() * Math.sqrt(k * w.meanSquare());
        double biasRms = 0.5 * acc;
        Tensor bias = withBias ? bias(n, biasRms) : null;
        if (bias != null) acc = StrictMath.hypot(acc, biasRms);
        int[] yShape = a.shape();
        yShape[yShape.length - 1] = n;
        Output out = chooseOutput(a.dtype(), acc * a.scale() * w.meanScale(), act);
        String y = next();
        String wn = y + "_w";
        b.initializer(wn, w.values()).initializer(wn + "_s", w.scales()).initializer(wn + "_zp", w.zeroPoints());
        initOut(y, a.dtype(), out);
        if (form == Form.QOPERATOR) {
            b.node("QLinearMatMul", concat(operand(a, y + "_a"), List.of(wn, wn + "_s", wn + "_zp"), y + "_s", y + "_zp"),
                    List.of(y));
        } else {
            List<String> in = new ArrayList<>(List.of(dequant(a), dequantWeights(wn, w.perAxis(), axis)));
            if (bias != null) in.add(dequantBias(y, bias, a.scale(), w));
            String f = y + "_mm";
            if (gemm) {
                b.node("Gemm", in, List.of(f), nd -> nd.i("transB", transB ? 1 : 0));
            } else {
                b.node("MatMul", in, List.of(f));
            }
            quantize(activation(f, act, out), y);
        }
        return outputTensor(y, a.dtype(), yShape, out, acc, dcAcc);
    }

    /** {@code a × b} with both operands activations (QLinearMatMul, or DQ → MatMul → Q). */
    QTensor matmulDynamic(QTensor a, QTensor bt) {
        log.add(a.dtype().shortName() + " matmul " + Arrays.toString(a.shape()) + " x dynamic "
                + bt.dtype().shortName() + " " + Arrays.toString(bt.shape()));
        int k = a.dim(-1);
        double acc = Math.sqrt(k) * a.rms() * bt.rms();
        int[] yShape = a.shape();
        yShape[yShape.length - 1] = bt.dim(-1);
        Output out = chooseOutput(a.dtype(), acc * a.scale() * bt.scale(), ConvParams.Act.NONE);
        String y = next();
        initOut(y, a.dtype(), out);
        if (form == Form.QOPERATOR) {
            b.node("QLinearMatMul", concat(operand(a, y + "_a"), operand(bt, y + "_b"), y + "_s", y + "_zp"), List.of(y));
        } else {
            b.node("MatMul", List.of(dequant(a), dequant(bt)), List.of(y + "_mm"));
            quantize(y + "_mm", y);
        }
        return outputTensor(y, a.dtype(), yShape, out, acc, 0);
    }

    // ---------------------------------------------------------------- pooling, element-wise, reshapes

    QTensor maxPool(QTensor x, int kh, int kw, int sh, int sw, int[] pads, boolean ceil) {
        log.add(String.format("%s maxpool %s k%dx%d s%d,%d p%d,%d,%d,%d%s", x.dtype().shortName(),
                Arrays.toString(x.shape()), kh, kw, sh, sw, pads[0], pads[1], pads[2], pads[3], ceil ? " ceil" : ""));
        String y = next();
        int oh = poolOut(x.dim(2), kh, sh, pads[0], pads[2], ceil);
        int ow = poolOut(x.dim(3), kw, sw, pads[1], pads[3], ceil);
        passThrough("MaxPool", x, y, List.of(), n -> n.ints("kernel_shape", kh, kw).ints("strides", sh, sw)
                .ints("pads", pads[0], pads[1], pads[2], pads[3]).i("ceil_mode", ceil ? 1 : 0));
        return new QTensor(y, x.dtype(), new int[] {x.dim(0), x.dim(1), oh, ow}, x.scale(), x.zp(), x.rms(), x.dc());
    }

    /** Output size of a pooling window (ONNX rule: with ceil_mode a window starting in the end padding is dropped). */
    static int poolOut(int in, int k, int s, int pb, int pe, boolean ceil) {
        int num = in + pb + pe - k;
        int out = (ceil ? (num + s - 1) / s : num / s) + 1;
        if (ceil && (out - 1) * s >= in + pb) out--;
        return out;
    }

    QTensor add(QTensor a, QTensor c, ConvParams.Act act) {
        log.add(a.dtype().shortName() + " add " + Arrays.toString(a.shape())
                + (act == ConvParams.Act.NONE ? "" : " " + act.name().toLowerCase()));
        double sigma = StrictMath.hypot(a.rms() * a.scale(), c.rms() * c.scale());
        Output out = chooseOutput(a.dtype(), sigma, act);
        String y = next();
        initOut(y, a.dtype(), out);
        if (form == Form.QOPERATOR) {
            if (act != ConvParams.Act.NONE) throw new IllegalArgumentException("QLinearAdd has no activation");
            b.node("QLinearAdd", concat(operand(a, y + "_a"), operand(c, y + "_c"), y + "_s", y + "_zp"), List.of(y),
                    n -> n.domain("com.microsoft"));
        } else {
            b.node("Add", List.of(dequant(a), dequant(c)), List.of(y + "_add"));
            quantize(activation(y + "_add", act, out), y);
        }
        double dc = StrictMath.hypot(a.dc() * a.scale(), c.dc() * c.scale()) / out.scale();
        return new QTensor(y, a.dtype(), a.shape(), out.scale(), out.zp(), sigma / out.scale() * out.rmsFactor(), dc);
    }

    QTensor globalAveragePool(QTensor x) {
        log.add(x.dtype().shortName() + " globalaveragepool " + Arrays.toString(x.shape()));
        int pixels = x.dim(2) * x.dim(3);
        double codes = Math.sqrt(x.dc() * x.dc() + (x.rms() * x.rms() - x.dc() * x.dc()) / pixels);
        Output out = chooseOutput(x.dtype(), Math.max(codes, 0.5) * x.scale(), ConvParams.Act.NONE);
        String y = next();
        initOut(y, x.dtype(), out);
        if (form == Form.QOPERATOR) {
            b.node("QLinearGlobalAveragePool", concat(operand(x, y + "_x"), List.of(), y + "_s", y + "_zp"), List.of(y),
                    n -> n.domain("com.microsoft").i("channels_last", 0));
        } else {
            b.node("GlobalAveragePool", List.of(dequant(x)), List.of(y + "_gap"));
            quantize(y + "_gap", y);
        }
        double rms = codes * x.scale() / out.scale();
        return new QTensor(y, x.dtype(), new int[] {x.dim(0), x.dim(1), 1, 1}, out.scale(), out.zp(), rms, rms);
    }

    QTensor flatten(QTensor x) {
        log.add("flatten");
        String y = next();
        passThrough("Flatten", x, y, List.of(), n -> n.i("axis", 1));
        return new QTensor(y, x.dtype(), new int[] {x.dim(0), (int) (x.elements() / x.dim(0))}, x.scale(), x.zp(),
                x.rms(), x.dc());
    }

    QTensor reshape(QTensor x, int... shape) {
        log.add("reshape " + Arrays.toString(shape));
        String y = next();
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        b.initializer(y + "_shape", Tensor.ofLongs(DType.INT64, new int[] {s.length}, s));
        passThrough("Reshape", x, y, List.of(y + "_shape"), n -> { });
        return new QTensor(y, x.dtype(), shape, x.scale(), x.zp(), x.rms(), x.dc());
    }

    /** An op that keeps quantization: on the integers (QOperator) or DQ → op → Q with the same parameters. */
    private void passThrough(String op, QTensor x, String y, List<String> extra,
                             java.util.function.Consumer<OnnxBuilder.Node> attrs) {
        List<String> in = new ArrayList<>();
        if (form == Form.QOPERATOR) {
            in.add(x.name());
            in.addAll(extra);
            b.node(op, in, List.of(y), attrs);
        } else {
            in.add(dequant(x));
            in.addAll(extra);
            b.node(op, in, List.of(y + "_f"), attrs);
            b.initializer(y + "_s", scalar(x.scale())).initializer(y + "_zp", zeroPoint(x.dtype(), x.zp()));
            quantize(y + "_f", y);
        }
    }

    // ---------------------------------------------------------------- quantization helpers

    /** Output quantization: scale, zero point, clip bounds of the activation and the RMS of its codes per σ. */
    private record Output(float scale, int zp, float clipMin, float clipMax, double rmsFactor) {}

    /** Picks the output scale and zero point for a result of standard deviation {@code sigma} (real units). */
    private Output chooseOutput(DType t, double sigma, ConvParams.Act act) {
        int qmin = (int) t.min();
        int qmax = (int) t.max();
        int mid = (qmin + qmax + 1) / 2;
        sigma = Math.max(sigma, 1e-6);
        return switch (act) {
            case NONE -> {
                float s = (float) (5 * sigma / 255);
                yield new Output(s, mid - 48 + rnd.nextInt(97), 0, 0, 255 / 5.0);
            }
            case RELU -> {
                float s = (float) (2.5 * sigma / 255);
                yield new Output(s, qmin, 0, Float.POSITIVE_INFINITY, 0.6 * 255 / 2.5);
            }
            case RELU_HIGH_ZP -> {
                int zp = qmin + 20 + rnd.nextInt(81);
                float s = (float) (2.5 * sigma / (qmax - zp));
                yield new Output(s, zp, 0, Float.POSITIVE_INFINITY, 0.6 * (qmax - zp) / 2.5);
            }
            case CLIP_FULL -> {
                float s = (float) (2 * sigma / 255);
                // the bound is exactly the representable range scale·(qmax − zp): after quantization the Clip is a no-op
                yield new Output(s, qmin, 0f, s * (float) (qmax - qmin), 0.6 * 255 / 2);
            }
            case CLIP_NARROW -> {
                float s = (float) (5 * sigma / 255);
                yield new Output(s, mid - 24 + rnd.nextInt(49), (float) (-0.8 * sigma), (float) (1.2 * sigma), 0.8 * 255 / 5);
            }
        };
    }

    private QTensor outputTensor(String y, DType t, int[] shape, Output out, double accRms, double dcAcc) {
        double rms = out.rmsFactor();
        double dc = accRms > 0 ? rms * dcAcc / accRms : 0;
        return new QTensor(y, t, shape, out.scale(), out.zp(), rms, dc);
    }

    private void initOut(String y, DType t, Output out) {
        b.initializer(y + "_s", scalar(out.scale())).initializer(y + "_zp", zeroPoint(t, out.zp()));
    }

    /** Relu or Clip after the float op (QDQ form); returns the tensor to quantize. */
    private String activation(String f, ConvParams.Act act, Output out) {
        switch (act) {
            case NONE -> {
                return f;
            }
            case RELU, RELU_HIGH_ZP -> {
                b.node("Relu", List.of(f), List.of(f + "_relu"));
                return f + "_relu";
            }
            default -> {
                b.initializer(f + "_min", scalar(out.clipMin())).initializer(f + "_max", scalar(out.clipMax()));
                b.node("Clip", List.of(f, f + "_min", f + "_max"), List.of(f + "_clip"));
                return f + "_clip";
            }
        }
    }

    /** QuantizeLinear of {@code f} into {@code y}, whose parameters {@link #initOut} wrote. */
    private void quantize(String f, String y) {
        b.node("QuantizeLinear", List.of(f, y + "_s", y + "_zp"), List.of(y));
    }

    /** Activation {@code x} with its scale and zero point initializers: the three inputs of a QOperator node. */
    private List<String> operand(QTensor x, String prefix) {
        b.initializer(prefix + "_s", scalar(x.scale())).initializer(prefix + "_zp", zeroPoint(x.dtype(), x.zp()));
        return List.of(x.name(), prefix + "_s", prefix + "_zp");
    }

    private static List<String> concat(List<String> a, List<String> c, String... rest) {
        List<String> out = new ArrayList<>(a);
        out.addAll(c);
        out.addAll(List.of(rest));
        return out;
    }

    /** A DequantizeLinear of activation {@code x} for one consumer (QDQ form). */
    private String dequant(QTensor x) {
        String y = x.name() + "_dq" + dq++;
        b.initializer(y + "_s", scalar(x.scale())).initializer(y + "_zp", zeroPoint(x.dtype(), x.zp()));
        b.node("DequantizeLinear", List.of(x.name(), y + "_s", y + "_zp"), List.of(y));
        return y;
    }

    private String dequantWeights(String wn, boolean perAxis, int axis) {
        b.node("DequantizeLinear", List.of(wn, wn + "_s", wn + "_zp"), List.of(wn + "_dq"),
                n -> { if (perAxis) n.i("axis", axis); });
        return wn + "_dq";
    }

    /** int32 bias dequantized with scale {@code xs · ws[c]} (float32), as the onnxruntime quantizer writes it. */
    private String dequantBias(String y, Tensor bias, float xs, Weights w) {
        int n = bias.size();
        Tensor s = w.perAxis() ? Tensor.zeros(DType.FLOAT32, n) : Tensor.zeros(DType.FLOAT32);
        for (int c = 0; c < s.size(); c++) s.setDouble(c, xs * w.scales().getFloat(c));
        b.initializer(y + "_b", bias).initializer(y + "_b_s", s);
        b.node("DequantizeLinear", List.of(y + "_b", y + "_b_s"), List.of(y + "_b_dq"), nd -> {
            if (w.perAxis()) nd.i("axis", 0);
        });
        return y + "_b_dq";
    }

    /**
     * Random weights of {@code shape} with {@code channels} output channels along {@code axis}: int8
     * uniform in ±r (r random), or uint8 uniform over the whole range around zero point {@code wzp}.
     */
    private Weights weights(int[] shape, int channels, DType t, boolean perChannel, int wzp, int axis) {
        Tensor v = Tensor.zeros(t, shape);
        int r = 20 + rnd.nextInt(108);
        for (int i = 0; i < v.size(); i++) {
            v.setLong(i, t == DType.INT8 ? rnd.nextInt(2 * r + 1) - r : rnd.nextInt(256));
        }
        double meanSquare = t == DType.INT8 ? r * (r + 1) / 3.0 : (256.0 * 256 - 1) / 12 + StrictMath.pow(127.5 - wzp, 2);
        double mean = t == DType.INT8 ? 0 : 127.5 - wzp;
        double base = logUniform(0.002, 0.05);
        Tensor s = perChannel ? Tensor.zeros(DType.FLOAT32, channels) : Tensor.zeros(DType.FLOAT32);
        double sum = 0;
        for (int c = 0; c < s.size(); c++) {
            s.setDouble(c, (float) (base * StrictMath.pow(2, 2 * rnd.nextDouble() - 1)));
            sum += s.getFloat(c);
        }
        Tensor z = perChannel ? Tensor.zeros(t, channels) : Tensor.zeros(t);
        for (int c = 0; c < z.size(); c++) z.setLong(c, t == DType.INT8 ? 0 : wzp);
        return new Weights(v, s, z, perChannel, sum / s.size(), meanSquare, mean);
    }

    private record Weights(Tensor values, Tensor scales, Tensor zeroPoints, boolean perAxis, double meanScale,
                           double meanSquare, double mean) {}

    /** RMS of {@code Σ (x − xzp)(w − wzp)} over {@code k} terms, with independent terms around their means. */
    private static double accumulatorRms(QTensor x, int k, Weights w) {
        return Math.sqrt(k * x.rms() * x.rms() * w.meanSquare() + (double) k * (k - 1) * x.dc() * x.dc() * w.mean() * w.mean());
    }

    private Tensor bias(int n, double rms) {
        Tensor t = Tensor.zeros(DType.INT32, n);
        for (int i = 0; i < n; i++) t.setLong(i, Math.round(rms * InputSpec.gaussian(rnd)));
        return t;
    }

    private String next() {
        return "t" + layer++;
    }

    private double logUniform(double lo, double hi) {
        return StrictMath.exp(StrictMath.log(lo) + rnd.nextDouble() * (StrictMath.log(hi) - StrictMath.log(lo)));
    }

    static Tensor scalar(float v) {
        return Tensor.ofFloats(new int[0], v);
    }

    static Tensor zeroPoint(DType t, int zp) {
        return Tensor.ofLongs(t, new int[0], zp);
    }
}
