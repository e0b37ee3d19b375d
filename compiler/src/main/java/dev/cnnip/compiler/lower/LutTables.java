package dev.cnnip.compiler.lower;

import dev.cnnip.compiler.ir.Node;
import dev.cnnip.compiler.quant.QParams;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Lookup tables for quantized unary operators: entry {@code i} is what ONNX Runtime returns for
 * DequantizeLinear(code) → op → QuantizeLinear on every input code. ONNX Runtime's own functions (its
 * sigmoid is a rational approximation, for one) then give the table, so the accelerator's lookup
 * reproduces them exactly; DESIGN section 3's "simplest exact table comes from evaluating the op
 * itself".
 */
final class LutTables {
    private LutTables() {}

    /**
     * The table of {@code op} (with its attributes and constant extra inputs) from {@code in} to
     * {@code out} parameters: 256 entries for 8-bit inputs, 65,536 for 16-bit ones, of the output type.
     */
    static Tensor evaluate(Node op, Map<String, Tensor> constantInputs, QParams in, QParams out) {
        int entries = (int) (in.dtype().max() - in.dtype().min() + 1);
        Tensor codes = Tensor.zeros(in.dtype(), entries);
        for (int i = 0; i < entries; i++) codes.setLong(i, in.dtype().min() + i);
        OnnxBuilder b = new OnnxBuilder("lut").opset("", 21).input("x", in.dtype(), entries)
                .initializer("xs", Tensor.ofFloats(new int[0], in.scale0()))
                .initializer("xz", Tensor.ofLongs(in.dtype(), new int[0], in.zp0()))
                .initializer("ys", Tensor.ofFloats(new int[0], out.scale0()))
                .initializer("yz", Tensor.ofLongs(out.dtype(), new int[0], out.zp0()));
        List<String> opInputs = new java.util.ArrayList<>();
        opInputs.add("xf");
        for (int i = 1; i < op.inputs().size(); i++) {
            String name = op.input(i);
            if (name.isEmpty()) {
                opInputs.add("");
                continue;
            }
            String local = "c" + i;
            b.initializer(local, constantInputs.get(name));
            opInputs.add(local);
        }
        b.node("DequantizeLinear", List.of("x", "xs", "xz"), List.of("xf"));
        b.node(op.opType(), opInputs, List.of("yf"), n -> copyAttributes(op, n));
        b.node("QuantizeLinear", List.of("yf", "ys", "yz"), List.of("y"));
        b.output("y", out.dtype(), entries);
        ModelProto m = b.build();
        try (OrtRunner ort = OrtRunner.create(m, OrtOptions.defaults())) {
            return ort.run(Map.of("x", codes)).get("y");
        }
    }

    private static void copyAttributes(Node from, OnnxBuilder.Node to) {
        for (Map.Entry<String, Object> a : from.attrs().entrySet()) {
            Object v = a.getValue();
            if (v instanceof Long l) to.i(a.getKey(), l);
            else if (v instanceof Float f) to.f(a.getKey(), f);
            else if (v instanceof long[] arr) to.ints(a.getKey(), arr);
            else if (v instanceof float[] arr) to.floats(a.getKey(), arr);
            else if (v instanceof String s) to.s(a.getKey(), s);
            else if (v instanceof Tensor t) to.t(a.getKey(), t);
        }
    }

    /**
     * The exponential table of ONNX Runtime's QLinearSoftmax for 8-bit input scale {@code xs} and rows of
     * {@code d} elements: {@code shift = max(0, ln((float)(FLT_MAX / d)) − 5) / xs}, entry for code
     * {@code i} in 0..255 = {@code (float) exp((i − 255 + shift) · xs)}, stored at {@code i} (unsigned) or
     * at {@code (i − 128) & 0xFF} (signed). The shift keeps the row sum below FLT_MAX.
     */
    static float[] softmaxTable(float xs, int d, boolean signed) {
        double shift = Math.log((double) (Float.MAX_VALUE / (float) d));
        shift = Math.max(0.0, shift - 5) / (double) xs;
        float[] t = new float[256];
        for (int i = 0; i < 256; i++) {
            float v = (float) StrictMath.exp(((double) i - 255 + shift) * (double) xs);
            t[signed ? (i - 128) & 0xFF : i] = v;
        }
        return t;
    }

    /** A requantization table Q_out(DQ_in(code)) for 8-bit codes, computed with the numerics contract's formulas. */
    static Tensor requant(QParams in, QParams out) {
        int entries = (int) (in.dtype().max() - in.dtype().min() + 1);
        Tensor t = Tensor.zeros(out.dtype(), entries);
        for (int i = 0; i < entries; i++) {
            int code = (int) in.dtype().min() + i;
            float real = dev.cnnip.numerics.Quantize.dequantize(code, in.zp0(), in.scale0());
            t.setLong(i, dev.cnnip.numerics.Quantize.quantize(real, out.scale0(), out.zp0(), out.qmin(), out.qmax()));
        }
        return t;
    }
}
