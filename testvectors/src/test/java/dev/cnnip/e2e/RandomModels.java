package dev.cnnip.e2e;

import dev.cnnip.e2e.ConvParams.Act;
import dev.cnnip.e2e.ConvParams.Grouping;
import dev.cnnip.e2e.ModelWriter.Form;
import dev.cnnip.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded catalogue of generated quantized models: single layers of every supported kind in both
 * forms (each recipe fixes the feature it is about and draws the rest: channels, sizes, kernels,
 * strides, dilations, pads, scales, zero points, weights), layers larger than the tiny preset's SRAM,
 * chains of two to four layers, models made by the project's own quantizer, and fully random
 * convolutions. Same seed, same models.
 */
final class RandomModels {
    /** Seed of the catalogue. */
    static final long SEED = 20_260_501L;
    /** Upper bound on the multiply-accumulates of a random convolution, to keep the suite fast. */
    private static final long MAC_BUDGET = 3_000_000;
    private static final String TINY = "tiny";
    private static final String V3U = "v3u-like";

    /** Which weights a recipe asks for. */
    enum Weights {
        S8_TENSOR(DType.INT8, false), S8_CHANNEL(DType.INT8, true), U8_TENSOR(DType.UINT8, false),
        U8_CHANNEL(DType.UINT8, true);

        final DType type;
        final boolean perChannel;

        Weights(DType type, boolean perChannel) {
            this.type = type;
            this.perChannel = perChannel;
        }

        ConvParams apply(ConvParams p, SplittableRandom rnd) {
            return p.withWeights(type, perChannel, type == DType.UINT8 ? 100 + rnd.nextInt(61) : 0);
        }
    }

    @FunctionalInterface
    private interface Recipe {
        void write(ModelWriter w, SplittableRandom rnd);
    }

    private final long seed;
    private final List<GeneratedModel> out = new ArrayList<>();

    private RandomModels(long seed) {
        this.seed = seed;
    }

    /** The catalogue of {@link #SEED}. */
    static List<GeneratedModel> all() {
        return generate(SEED);
    }

    static List<GeneratedModel> generate(long seed) {
        RandomModels c = new RandomModels(seed);
        c.singleConvolutions();
        c.largeLayers();
        c.matmuls();
        c.poolsAndAdds();
        c.chains();
        c.quantized();
        c.fullyRandom(20);
        return List.copyOf(c.out);
    }

    private void singleConvolutions() {
        conv("qop_conv_u8_s8w", Form.QOPERATOR, TINY, Grouping.DENSE, DType.UINT8, Weights.S8_TENSOR, Act.NONE);
        conv("qop_conv_u8_u8w_zp", Form.QOPERATOR, TINY, Grouping.DENSE, DType.UINT8, Weights.U8_TENSOR, Act.NONE);
        conv("qop_conv_u8_u8w_pc", Form.QOPERATOR, V3U, Grouping.DENSE, DType.UINT8, Weights.U8_CHANNEL, Act.NONE);
        conv("qop_conv_s8_s8w_pc", Form.QOPERATOR, TINY, Grouping.DENSE, DType.INT8, Weights.S8_CHANNEL, Act.NONE);
        conv("qop_conv_depthwise", Form.QOPERATOR, TINY, Grouping.DEPTHWISE, DType.UINT8, Weights.S8_CHANNEL, Act.NONE);
        conv("qop_conv_grouped_s8", Form.QOPERATOR, TINY, Grouping.GROUPED, DType.INT8, Weights.S8_TENSOR, Act.NONE);
        conv("qop_conv_grouped_u8w", Form.QOPERATOR, TINY, Grouping.GROUPED, DType.UINT8, Weights.U8_TENSOR, Act.NONE);
        conv("qdq_conv_relu", Form.QDQ, TINY, Grouping.DENSE, DType.UINT8, Weights.S8_CHANNEL, Act.RELU);
        conv("qdq_conv_relu_high_zp", Form.QDQ, TINY, Grouping.DENSE, DType.UINT8, Weights.S8_CHANNEL, Act.RELU_HIGH_ZP);
        conv("qdq_conv_clip_full", Form.QDQ, TINY, Grouping.DENSE, DType.UINT8, Weights.S8_TENSOR, Act.CLIP_FULL);
        conv("qdq_conv_clip_narrow", Form.QDQ, V3U, Grouping.DENSE, DType.UINT8, Weights.S8_CHANNEL, Act.CLIP_NARROW);
        conv("qdq_conv_s8", Form.QDQ, TINY, Grouping.DENSE, DType.INT8, Weights.S8_CHANNEL, Act.NONE);
        conv("qdq_conv_s8_relu", Form.QDQ, TINY, Grouping.DENSE, DType.INT8, Weights.S8_TENSOR, Act.RELU);
        conv("qdq_conv_depthwise", Form.QDQ, TINY, Grouping.DEPTHWISE, DType.UINT8, Weights.S8_CHANNEL, Act.RELU);
        conv("qdq_conv_grouped", Form.QDQ, V3U, Grouping.GROUPED, DType.UINT8, Weights.S8_CHANNEL, Act.NONE);
        conv("qdq_conv_u8", Form.QDQ, TINY, Grouping.DENSE, DType.UINT8, Weights.S8_TENSOR, Act.NONE);
        add("qop_conv_single_row", Form.QOPERATOR, TINY, (w, r) -> {
            // one input channel, one row: kernels taller than the input need padding to fit
            int iw = 2 + r.nextInt(39);
            QTensor x = w.intInput("x", DType.UINT8, 1, 1, 1, iw);
            w.output(w.conv(x, Weights.U8_TENSOR.apply(ConvParams.random(r, 1, 1, iw, Grouping.DENSE, 48), r)));
        });
    }

    /** Layers whose input and output together are well above the tiny preset's 64 KiB of SRAM. */
    private void largeLayers() {
        add("qop_conv_large", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 32, 40, 40);
            ConvParams p = new ConvParams(48, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true, Act.NONE, DType.INT8,
                    true, 0);
            w.output(w.conv(x, p));
        });
        add("qdq_conv_large_depthwise", Form.QDQ, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 48, 40, 38);
            ConvParams p = new ConvParams(48, 48, 5, 5, 1, 1, 1, 1, new int[] {2, 2, 2, 2}, true, Act.RELU, DType.INT8,
                    true, 0);
            w.output(w.conv(x, p));
        });
        add("qop_conv_large_k7", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.INT8, 1, 40, 36, 40);
            ConvParams p = new ConvParams(40, 1, 7, 7, 1, 1, 1, 1, new int[] {3, 3, 3, 3}, true, Act.NONE, DType.INT8,
                    false, 0);
            w.output(w.conv(x, p));
        });
        add("qdq_conv_grouped_wide_group", Form.QDQ, TINY, (w, r) -> {
            // one group's weights (9 x 7 x 7 x 70 bytes) and input window exceed half the SRAM: blocks inside a group
            QTensor x = w.intInput("x", DType.UINT8, 1, 140, 11, 13);
            ConvParams p = new ConvParams(18, 2, 7, 7, 1, 1, 2, 1, new int[] {6, 3, 6, 3}, true, Act.NONE, DType.INT8,
                    true, 0);
            w.output(w.conv(x, p));
        });
        add("qop_maxpool_large", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 48, 40, 40);
            w.output(w.maxPool(x, 3, 3, 1, 1, new int[] {1, 1, 1, 1}, false));
        });
        add("qop_add_large_s8", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor a = w.intInput("a", DType.INT8, 1, 32, 40, 40);
            QTensor b = w.intInput("b", DType.INT8, 1, 32, 40, 40);
            w.output(w.add(a, b, Act.NONE));
        });
    }

    private void matmuls() {
        add("qop_matmul_const_2d", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(24), 1 + r.nextInt(200));
            w.output(w.fc(a, 1 + r.nextInt(64), DType.INT8, true, 0, false, false, false, Act.NONE));
        });
        add("qop_matmul_const_3d_u8w", Form.QOPERATOR, V3U, (w, r) -> {
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(4), 1 + r.nextInt(16), 1 + r.nextInt(96));
            w.output(w.fc(a, 1 + r.nextInt(48), DType.UINT8, false, 100 + r.nextInt(61), false, false, false, Act.NONE));
        });
        add("qop_matmul_dynamic_2d", Form.QOPERATOR, TINY, (w, r) -> {
            int k = 1 + r.nextInt(80);
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(20), k);
            QTensor b = w.intInput("b", DType.UINT8, k, 1 + r.nextInt(40));
            w.output(w.matmulDynamic(a, b));
        });
        add("qop_matmul_dynamic_3d_s8", Form.QOPERATOR, TINY, (w, r) -> {
            int batch = 2 + r.nextInt(3);
            int k = 1 + r.nextInt(64);
            QTensor a = w.intInput("a", DType.INT8, batch, 1 + r.nextInt(16), k);
            QTensor b = w.intInput("b", DType.INT8, batch, k, 1 + r.nextInt(32));
            w.output(w.matmulDynamic(a, b));
        });
        add("qdq_gemm_transb_bias", Form.QDQ, TINY, (w, r) -> {
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(8), 1 + r.nextInt(300));
            w.output(w.fc(a, 1 + r.nextInt(40), DType.INT8, true, 0, true, true, true, Act.NONE));
        });
        add("qdq_gemm_relu", Form.QDQ, TINY, (w, r) -> {
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(8), 1 + r.nextInt(120));
            w.output(w.fc(a, 1 + r.nextInt(40), DType.INT8, false, 0, true, false, true, Act.RELU));
        });
        add("qdq_matmul_3d", Form.QDQ, V3U, (w, r) -> {
            QTensor a = w.intInput("a", DType.UINT8, 1 + r.nextInt(3), 1 + r.nextInt(20), 1 + r.nextInt(64));
            w.output(w.fc(a, 1 + r.nextInt(48), DType.INT8, true, 0, false, false, false, Act.NONE));
        });
        add("qdq_gemm_s8", Form.QDQ, TINY, (w, r) -> {
            QTensor a = w.intInput("a", DType.INT8, 1 + r.nextInt(8), 1 + r.nextInt(100));
            w.output(w.fc(a, 1 + r.nextInt(32), DType.INT8, false, 0, true, r.nextBoolean(), true, Act.NONE));
        });
    }

    private void poolsAndAdds() {
        add("qop_maxpool_ceil", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 1 + r.nextInt(32), 4 + r.nextInt(30), 4 + r.nextInt(30));
            int k = 2 + r.nextInt(2);
            w.output(w.maxPool(x, k, k + r.nextInt(2), 2, 1 + r.nextInt(3), new int[] {r.nextInt(2), 0, 1, r.nextInt(2)}, true));
        });
        add("qdq_maxpool_s8", Form.QDQ, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.INT8, 1, 1 + r.nextInt(32), 3 + r.nextInt(30), 3 + r.nextInt(30));
            w.output(w.maxPool(x, 3, 3, 2, 2, new int[] {1, 1, 1, 1}, r.nextBoolean()));
        });
        add("qop_add_u8", Form.QOPERATOR, TINY, (w, r) -> {
            int[] s = {1, 1 + r.nextInt(40), 1 + r.nextInt(30), 1 + r.nextInt(30)};
            w.output(w.add(w.intInput("a", DType.UINT8, s), w.intInput("b", DType.UINT8, s), Act.NONE));
        });
        add("qdq_add_relu", Form.QDQ, V3U, (w, r) -> {
            int[] s = {1, 1 + r.nextInt(40), 1 + r.nextInt(30), 1 + r.nextInt(30)};
            w.output(w.add(w.intInput("a", DType.UINT8, s), w.intInput("b", DType.UINT8, s), Act.RELU));
        });
        add("qdq_add_s8", Form.QDQ, TINY, (w, r) -> {
            int[] s = {1, 1 + r.nextInt(40), 1 + r.nextInt(30), 1 + r.nextInt(30)};
            w.output(w.add(w.intInput("a", DType.INT8, s), w.intInput("b", DType.INT8, s), Act.NONE));
        });
        add("qop_gap_u8", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 1 + r.nextInt(48), 1 + r.nextInt(40), 1 + r.nextInt(40));
            w.output(w.globalAveragePool(x));
        });
        add("qdq_gap_u8", Form.QDQ, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 1 + r.nextInt(48), 1 + r.nextInt(40), 1 + r.nextInt(40));
            w.output(w.globalAveragePool(x));
        });
    }

    private void chains() {
        add("qop_chain_quant_conv_pool_conv", Form.QOPERATOR, V3U, (w, r) -> {
            QTensor x = w.floatInput("image", DType.UINT8, 1, 3, 24 + r.nextInt(9), 24 + r.nextInt(9));
            QTensor c1 = w.conv(x, new ConvParams(8 + r.nextInt(17), 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true,
                    Act.NONE, DType.INT8, true, 0));
            QTensor p = w.maxPool(c1, 2, 2, 2, 2, new int[] {0, 0, 0, 0}, false);
            QTensor c2 = w.conv(p, new ConvParams(p.dim(1), p.dim(1), 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true,
                    Act.NONE, DType.INT8, true, 0));
            w.dequantizedOutput(c2);
        });
        add("qop_chain_conv_flatten_matmul", Form.QOPERATOR, TINY, (w, r) -> {
            // K = 32·25·25 = 20000 input channels of the MatMul: its weights alone exceed the SRAM
            QTensor x = w.intInput("x", DType.UINT8, 1, 3, 25, 25);
            QTensor c = w.conv(x, new ConvParams(32, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true, Act.NONE,
                    DType.INT8, true, 0));
            w.output(w.fc(w.flatten(c), 2 + r.nextInt(6), DType.INT8, true, 0, false, false, false, Act.NONE));
        });
        add("qdq_chain_residual", Form.QDQ, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.UINT8, 1, 1 + r.nextInt(16), 8 + r.nextInt(17), 8 + r.nextInt(17));
            int oc = 4 + r.nextInt(20);
            QTensor c1 = w.conv(x, new ConvParams(oc, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true, Act.RELU,
                    DType.INT8, true, 0));
            QTensor c2 = w.conv(c1, new ConvParams(oc, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true, Act.RELU,
                    DType.INT8, true, 0));
            w.output(w.add(c1, c2, Act.NONE));
        });
        add("qdq_chain_conv_gap_flatten_gemm", Form.QDQ, V3U, (w, r) -> {
            QTensor x = w.floatInput("image", DType.UINT8, 1, 3, 16 + r.nextInt(17), 16 + r.nextInt(17));
            QTensor c = w.conv(x, new ConvParams(8 + r.nextInt(25), 1, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}, true,
                    Act.RELU, DType.INT8, true, 0));
            QTensor g = w.globalAveragePool(c);
            w.dequantizedOutput(w.fc(w.flatten(g), 10, DType.INT8, true, 0, true, true, true, Act.NONE));
        });
        add("qdq_chain_s8_conv_pool_reshape_gemm", Form.QDQ, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.INT8, 1, 1 + r.nextInt(8), 6 + r.nextInt(20), 6 + r.nextInt(20));
            QTensor c = w.conv(x, new ConvParams(4 + r.nextInt(12), 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true,
                    Act.NONE, DType.INT8, true, 0));
            QTensor p = w.maxPool(c, 2, 2, 2, 2, new int[] {0, 0, 0, 0}, true);
            QTensor f = w.reshape(p, 1, (int) p.elements());
            w.output(w.fc(f, 1 + r.nextInt(16), DType.INT8, true, 0, true, false, true, Act.NONE));
        });
        add("qdq_chain_s8_halfway_conv_pool", Form.QDQ, TINY, (w, r) -> {
            // int8 QDQ groups run in float in ONNX Runtime on x86; halfway results make them differ by 1 code,
            // and the MaxPool after the convolution must still match exactly on the simulator's values
            QTensor x = w.intInput("x", DType.INT8, 1, 4 + r.nextInt(8), 10 + r.nextInt(20), 10 + r.nextInt(20));
            QTensor c = w.convHalfwayRounding(x, new ConvParams(8 + r.nextInt(17), 1, 3, 3, 1, 1, 1, 1,
                    new int[] {1, 1, 1, 1}, false, Act.NONE, DType.INT8, false, 0));
            w.output(w.maxPool(c, 2, 2, 2, 2, new int[] {0, 0, 0, 0}, false));
        });
        add("qop_chain_s8_conv_conv_add", Form.QOPERATOR, TINY, (w, r) -> {
            QTensor x = w.intInput("x", DType.INT8, 1, 2 + r.nextInt(12), 4 + r.nextInt(20), 4 + r.nextInt(20));
            QTensor c1 = w.conv(x, new ConvParams(x.dim(1), x.dim(1), 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}, true,
                    Act.NONE, DType.INT8, true, 0));
            QTensor c2 = w.conv(c1, new ConvParams(x.dim(1), 1, 1, 1, 1, 1, 1, 1, new int[] {0, 0, 0, 0}, false,
                    Act.NONE, DType.INT8, false, 0));
            w.output(w.add(x, c2, Act.NONE));
        });
    }

    /** Float models quantized by the project's own post-training quantizer (QDQ, min/max calibration). */
    private void quantized() {
        out.add(FloatNets.quantized("quantizer_u8", seed + 1, DType.UINT8, TINY));
        out.add(FloatNets.quantized("quantizer_s8", seed + 2, DType.INT8, V3U));
    }

    /** Single convolutions with every choice random: form, grouping, types, activation. */
    private void fullyRandom(int count) {
        for (int i = 0; i < count; i++) {
            SplittableRandom r = new SplittableRandom(seed * 31 + i);
            Form form = r.nextBoolean() ? Form.QOPERATOR : Form.QDQ;
            Grouping g = Grouping.values()[r.nextInt(3)];
            DType xt = r.nextInt(3) == 0 ? DType.INT8 : DType.UINT8;
            Weights wm = xt == DType.INT8 ? (r.nextBoolean() ? Weights.S8_TENSOR : Weights.S8_CHANNEL)
                    : Weights.values()[r.nextInt(form == Form.QOPERATOR ? 4 : 2)];
            Act act = form == Form.QOPERATOR ? Act.NONE : Act.values()[r.nextInt(Act.values().length)];
            conv("random_" + i + "_" + (form == Form.QOPERATOR ? "qop" : "qdq"), form, r.nextInt(4) == 0 ? V3U : TINY, g, xt,
                    wm, act);
        }
    }

    private void conv(String name, Form form, String hw, Grouping g, DType xt, Weights wm, Act act) {
        add(name, form, hw, (w, r) -> {
            int ic = g == Grouping.GROUPED ? (2 + r.nextInt(3)) * (1 + r.nextInt(12)) : 1 + r.nextInt(48);
            int ih = 1 + r.nextInt(40);
            int iw = 1 + r.nextInt(40);
            ConvParams p = ConvParams.random(r, ic, ih, iw, g, 48);
            while (p.macs(ic, ih, iw) > MAC_BUDGET) {
                ih = Math.max(1, ih * 3 / 4);
                iw = Math.max(1, iw * 3 / 4);
                p = ConvParams.random(r, ic, ih, iw, g, 48);
            }
            QTensor x = w.intInput("x", xt, 1, ic, ih, iw);
            w.output(w.conv(x, wm.apply(p, r).withAct(act)));
        });
    }

    private void add(String name, Form form, String hw, Recipe recipe) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (name.hashCode() * 0x9E37_79B9_7F4A_7C15L));
        ModelWriter w = new ModelWriter(name, form, rnd);
        recipe.write(w, rnd);
        out.add(new GeneratedModel(name, w.description(), form, hw, w.build(), w.inputs(), rnd.nextLong()));
    }
}
