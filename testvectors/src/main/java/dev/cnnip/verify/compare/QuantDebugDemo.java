package dev.cnnip.verify.compare;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.BitsOverrides;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.compiler.quant.QuantSummary;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxBuilder;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The built-in failing case of {@code cnnip demo --quant-debug}: a small CNN whose {@code conv2} output carries
 * one outlier channel — channel 0's weights and bias are multiplied by {@link #OUTLIER} and {@code conv3}'s
 * weights reading that channel divided by it, so the float function is unchanged — while the other 15 channels
 * share the 8-bit range it stretches. The debugger must find {@code conv3} (its input is too coarse), classify
 * it {@code resolution}, and the fix (16-bit activations for {@code conv2} and {@code conv3}) must raise the
 * output SQNR.
 * <pre>
 * image [1,3,64,64] → conv1 3→16 3×3 stride 2, Relu → conv2 16→16 3×3, Relu (channel 0 × OUTLIER)
 *   → conv3 16→16 3×3, Relu → GlobalAveragePool → Flatten → fc 16→10
 * </pre>
 */
public final class QuantDebugDemo {
    /** Factor of the outlier channel. */
    public static final float OUTLIER = 150f;
    /** Calibration images (generated, seeds from {@link DemoModel#inputs}). */
    public static final int CALIBRATION_ITEMS = 8;
    /** Compared images, the seeds after the calibration's. */
    public static final int COMPARED_ITEMS = 4;

    private QuantDebugDemo() {}

    /** The comparison of the 8-bit program, with the fix's before and after. */
    public record Result(ModelProto floatModel, CompareReport report) {}

    public static ModelProto model(long seed) {
        Random rnd = new Random(seed);
        OnnxBuilder b = new OnnxBuilder("cnnip_quant_debug").opset("", 13).producer("cnnip", "0.1.0");
        b.input(DemoModel.INPUT, DType.FLOAT32, DemoModel.INPUT_SHAPE);
        conv(b, rnd, "conv1", DemoModel.INPUT, 3, 16, 2, 1, 1);
        b.node("Relu", List.of("conv1"), List.of("relu1"), n -> n.name("relu1"));
        conv(b, rnd, "conv2", "relu1", 16, 16, 1, OUTLIER, 1);
        b.node("Relu", List.of("conv2"), List.of("relu2"), n -> n.name("relu2"));
        conv(b, rnd, "conv3", "relu2", 16, 16, 1, 1, 1 / OUTLIER);
        b.node("Relu", List.of("conv3"), List.of("relu3"), n -> n.name("relu3"));
        b.node("GlobalAveragePool", List.of("relu3"), List.of("gap"), n -> n.name("gap"));
        b.node("Flatten", List.of("gap"), List.of("flat"), n -> n.name("flatten"));
        b.initializer("fc.weight", gaussian(rnd, new int[] {16, 10}, Math.sqrt(2.0 / 16)));
        b.initializer("fc.bias", gaussian(rnd, new int[] {10}, 0.1));
        b.node("Gemm", List.of("flat", "fc.weight", "fc.bias"), List.of(DemoModel.OUTPUT), n -> n.name("fc"));
        b.output(DemoModel.OUTPUT, DType.FLOAT32, 1, 10);
        return b.build();
    }

    /** A 3×3 convolution; output channel 0 scaled by {@code outScale}, input channel 0 read with {@code inScale}. */
    private static void conv(OnnxBuilder b, Random rnd, String name, String in, int ic, int oc, int stride, float outScale,
                             float inScale) {
        Tensor w = gaussian(rnd, new int[] {oc, ic, 3, 3}, Math.sqrt(2.0 / (ic * 9)));
        Tensor bias = gaussian(rnd, new int[] {oc}, 0.05);
        for (int i = 0; i < w.size(); i++) {
            int o = i / (ic * 9);
            int c = (i / 9) % ic;
            double f = (o == 0 ? outScale : 1) * (c == 0 ? inScale : 1);
            w.setDouble(i, (float) (w.getDouble(i) * f));
        }
        bias.setDouble(0, (float) (bias.getDouble(0) * outScale));
        b.initializer(name + ".weight", w);
        b.initializer(name + ".bias", bias);
        b.node("Conv", List.of(in, name + ".weight", name + ".bias"), List.of(name),
                n -> n.name(name).ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).ints("strides", stride, stride));
    }

    private static Tensor gaussian(Random rnd, int[] shape, double std) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, (float) (rnd.nextGaussian() * std));
        return t;
    }

    /** Quantizes (8 bits), compiles, compares, and fixes with the recommendations. */
    public static Result run(HwConfig hw, Numerics numerics) {
        ModelProto fm = model(1);
        List<Map<String, Tensor>> all = DemoModel.inputs(2026, CALIBRATION_ITEMS + COMPARED_ITEMS);
        List<Map<String, Tensor>> calib = all.subList(0, CALIBRATION_ITEMS);
        List<Map<String, Tensor>> items = all.subList(CALIBRATION_ITEMS, all.size());
        QuantFix.Rebuild rebuild = o -> build(fm, calib, o, hw, numerics);
        QuantFix.Built base = rebuild.build(BitsOverrides.none());
        QuantCompare.Options opts = QuantCompare.Options.defaults();
        CompareReport r = QuantCompare.run(base.program(), "quant-debug.cnnip", fm, "quant-debug.onnx", items,
                opts.withQuantizedModel(base.quantized()).withCalibClipped(base.calibClipped()));
        FixReport f = QuantFix.fix(r, "the same " + CALIBRATION_ITEMS + " generated images", rebuild,
                b -> QuantCompare.run(b.program(), "quant-debug-fixed.cnnip", fm, "quant-debug.onnx", items,
                        opts.withQuantizedModel(b.quantized()).withCalibClipped(b.calibClipped())));
        return new Result(fm, r.withFix(f));
    }

    static QuantFix.Built build(ModelProto fm, List<Map<String, Tensor>> calib, BitsOverrides o, HwConfig hw, Numerics numerics) {
        QdqQuantizer.Result q = QdqQuantizer.quantize(fm, calib,
                QdqQuantizer.Options.defaults().with16Bit(o.activations16(), o.weights16()), null);
        Program p = Compiler.compile(q.model(), "quant-debug", CompileOptions.of(hw, numerics));
        Map<String, Double> clipped = new HashMap<>();
        for (QuantSummary.Entry e : q.summary().tensors()) clipped.put(e.tensor(), e.clipped());
        return new QuantFix.Built(p, q.model(), clipped);
    }
}
