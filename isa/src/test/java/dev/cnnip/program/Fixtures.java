package dev.cnnip.program;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.tensor.DType;
import java.util.List;

/** Programs for tests. */
final class Fixtures {
    private Fixtures() {}

    static final String MODEL_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** {@code instructions} × 16 bytes of a fixed pattern (the first 256 bytes are all distinct). */
    static byte[] code(int instructions) {
        byte[] code = new byte[instructions * Program.INSTRUCTION_BYTES];
        for (int i = 0; i < code.length; i++) code[i] = (byte) (i * 7 + 1);
        return code;
    }

    static Symbol input() {
        return new Symbol("input", DType.UINT8, new int[] {1, 3, 4, 4}, "NHWC", new int[] {1, 4, 4, 3}, 0, 48,
                new float[] {0.0078125f}, new int[] {128}, 0, SymbolKind.INPUT, -1);
    }

    /** Per-axis quantized weights along axis 1, to exercise a non-zero axis. */
    static Symbol weights() {
        float[] scales = new float[10];
        int[] zps = new int[10];
        for (int i = 0; i < 10; i++) {
            scales[i] = 0.01f * (i + 1);
            zps[i] = i - 5;
        }
        return new Symbol("fc_w", DType.INT8, new int[] {16, 10}, "ROW_MAJOR", new int[] {16, 16}, 256, 256,
                scales, zps, 1, SymbolKind.WEIGHT, -1);
    }

    static Symbol output() {
        return new Symbol("logits", DType.INT8, new int[] {1, 10}, "ROW_MAJOR", new int[] {1, 16}, 1024, 16,
                new float[] {0.25f}, new int[] {-3}, 0, SymbolKind.OUTPUT, 1);
    }

    static Symbol bias() {
        return new Symbol("fc_b", DType.INT32, new int[] {10}, "ROW_MAJOR", new int[] {10}, 512, 40,
                new float[0], new int[0], 0, SymbolKind.PARAM, -1);
    }

    /** A program with every field of every message set to a non-default value somewhere. */
    static Program full() {
        byte[] weights = new byte[256];
        for (int i = 0; i < weights.length; i++) weights[i] = (byte) (i ^ 0x5a);
        return Program.builder("cnnip 0.1.0-test", HwConfig.preset("tiny").withOverride("clock.mhz=533.25"), Numerics.HW)
                .code(code(3))
                .dramSize(4096)
                .segment(new DramSegment("weights", 256, weights))
                .segment(new DramSegment("bias", 512, new byte[] {1, 0, 0, 0, 2, 0, 0, 0}))
                .symbol(input())
                .symbol(weights())
                .symbol(bias())
                .symbol(output())
                .layer(new LayerInfo(0, "conv0", "QLinearConv", List.of("conv0", "relu0"), List.of("input"),
                        List.of("act0"), 1728))
                .layer(new LayerInfo(1, "fc", "QLinearMatMul", List.of("fc"), List.of("act0", "fc_w", "fc_b"),
                        List.of("logits"), 160))
                .source(new SourceEntry(0, 0, 0, "conv0"))
                .source(new SourceEntry(1, 1, 2, "fc"))
                .source(new SourceEntry(2, -1, -1, ""))
                .model("mnist-8", MODEL_SHA)
                .input("input")
                .output("logits")
                .build();
    }
}
