package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Opcode;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tile choice for convolutions ({@link ConvPlan}), pooling ({@link PoolLayerOp}) and streamed element-wise
 * layers ({@link StreamLayerOp}) on the {@code tiny} preset (64 KiB SRAM) and {@code v3u-like} (2 MiB).
 * The expected plans and tile counts are worked out by hand in the comments from the documented rules
 * (every buffer twice in SRAM, buffers 64-byte aligned; convolution: fewest DRAM bytes, then fewest
 * tiles; pooling: fewest tiles; streams: the largest chunk that fits). Whether the tiles cover the
 * output exactly once is read from the compiled program ({@link ProgramWalk}: the bytes its {@code st}
 * instructions write), not from the tiling code.
 */
class TilingTest {
    private static final long TINY = HwConfig.preset("tiny").sramBytes();
    private static final long V3U = HwConfig.preset("v3u-like").sramBytes();

    @Test
    void presetSizes() {
        assertEquals(64 * 1024, TINY);
        assertEquals(2 * 1024 * 1024, V3U);
    }

    @Test
    void halvingsRoundUp() {
        assertEquals(List.of(16, 8, 4, 2, 1), ConvPlan.halvings(16));
        assertEquals(List.of(12, 6, 3, 2, 1), ConvPlan.halvings(12));
        assertEquals(List.of(5, 3, 2, 1), ConvPlan.halvings(5));
        assertEquals(List.of(1), ConvPlan.halvings(1));
    }

    /** A uint8 convolution with int8 weights, k×k, stride 1, pad k/2 (same size out). */
    private static ConvSpec spec(int ic, int oc, int h, int w, int k, int groups) {
        TensorRef x = new TensorRef("x", DType.UINT8, new int[] {1, ic, h, w}, new float[] {0.02f}, new int[] {128}, 0);
        TensorRef y = new TensorRef("y", DType.UINT8, new int[] {1, oc, h, w}, new float[] {0.05f}, new int[] {128}, 0);
        return new ConvSpec("c", x, y, new ConvShape(1, h, w, ic, h, w, oc, groups),
                new ConvWindow(k, k, 1, 1, 1, 1, k / 2, k / 2), ConvWeights.constant(ElemType.S8, 0, -1, 0x1000),
                new ConvQuant(128, 0x2000, 0, 255, false));
    }

    /** The plan's buffers, allocated as the lowering allocates them, fit the SRAM (the arena throws otherwise). */
    private static void assertFits(ConvSpec c, ConvPlan plan, long sram) {
        SramArena arena = new SramArena(sram, 0);
        ConvLowering.allocate(arena, c, plan);
        assertTrue(arena.used() <= sram, plan + " uses " + arena.used() + " of " + sram);
        // every buffer filled more than once is doubled; the chooser reserved room for all of them twice
        assertEquals(ConvPlan.footprint(c, plan, false, false), arena.used(), "the plan's footprint is what the lowering allocates");
        assertTrue(arena.used() <= 2 * ConvPlan.bufferBytes(c, plan.toc(), plan.tic(), plan.toh(), plan.tow()));
    }

    @Test
    void wholeConvolutionWhenItFits() {
        // 3x3, 32 -> 32 channels, 16x16: weights 9,216 + params 384 + input 8,192 + acc 32,768 + out 8,192
        // = 58,752 bytes, twice 117,504 <= 2 MiB: the whole layer is the cheapest plan (every byte moved once, one tile)
        ConvSpec c = spec(32, 32, 16, 16, 3, 1);
        ConvPlan plan = ConvPlan.choose(c, V3U);
        assertEquals(new ConvPlan(32, 32, 16, 16), plan);
        assertFits(c, plan, V3U);
    }

    @Test
    void convolutionSplitIntoColumnStripsOnTiny() {
        // On 64 KiB the whole layer (117,504) does not fit. Keeping all 32 output and input channels loads
        // weights and input once; the largest spatial tiles that fit: 16x8 (or 8x16) needs
        // 9,216 + 384 + 16*10*32 + 16*8*32*4 + 16*8*32 = 35,200, twice 70,400 > 65,536; 16x4 needs
        // 9,216 + 384 + 16*6*32 + 8,192 + 2,048 = 22,912, twice 45,824: cost 9,216 weights + 8,192 * 24/16
        // input + 4 tiles * 512 = 23,552. 8x8 tiles cost 9,216 + 8,192 * 1.25 * 1.25 + 4 * 512 = 24,064;
        // fewer output channels reload the input (>= 16,384). 16x4 is met before 4x16 (equal cost).
        ConvSpec c = spec(32, 32, 16, 16, 3, 1);
        ConvPlan plan = ConvPlan.choose(c, TINY);
        assertEquals(new ConvPlan(32, 32, 16, 4), plan);
        assertFits(c, plan, TINY);
    }

    @Test
    void weightsLargerThanTheSramAreChunked() {
        // 1x1, 512 -> 512 channels, 2x2: weights alone are 262,144 bytes, four times the 64 KiB SRAM. All
        // weights cross once whatever the plan (262,144), so the plan trades input reloads (2,048 bytes per
        // output-channel block) against tiles (512 each). Largest fitting (toc, tic) per toc:
        //   toc 512: 2*(512 tic + 4 tic + 6,144 + 8,192 + 2,048) <= 65,536 -> tic 16: 1 block, 32 chunks: 2,048 + 16,384
        //   toc 256: tic 64 (16,384 + 3,072 + 256 + 4,096 + 1,024 = 24,832, twice 49,664): 2 blocks, 8 chunks: 4,096 + 8,192
        //   toc 128: tic 128: 4 blocks, 4 chunks: 8,192 + 8,192;  toc 64: tic 256: 8 blocks, 2 chunks: 16,384 + 8,192
        //   toc 32: tic 512 (no chunks): 16 blocks: 32,768 + 8,192
        // Splitting the 2x2 pixels would reload chunked weights per pixel tile. Best: toc 256, tic 64, whole 2x2.
        ConvSpec c = spec(512, 512, 2, 2, 1, 1);
        assertTrue(512L * 512 > TINY);
        ConvPlan plan = ConvPlan.choose(c, TINY);
        assertEquals(new ConvPlan(256, 64, 2, 2), plan);
        assertFits(c, plan, TINY);
        assertEquals(2, ConvPlan.ocBlocks(c, plan.toc()));
        // on v3u-like it fits whole: 262,144 + 6,144 + 2,048 + 8,192 + 2,048 = 280,576, twice 561,152 <= 2 MiB
        assertEquals(new ConvPlan(512, 512, 2, 2), ConvPlan.choose(c, V3U));
    }

    @Test
    void smallLayersSplitIntoBandsWhileTheExtraSramTrafficIsSmall() {
        // yunet's 10x10x64 neck layers, input and output resident (no DRAM activation bytes).
        // Depthwise 3x3: EX reads input 6,400 + weights 576 and writes accumulators 25,600 = 32,576 bytes
        // as one band. Every further band reads the weights again and kh - sh = 2 halo rows of 640 bytes:
        // 2 bands (5 rows) 34,432 (+5.7 %), 4 bands (3 rows) 6,400 + 3 x 1,280 + 4 x 576 + 25,600 = 38,144
        // (+17.1 % <= 20 %): 4 bands (PIPELINE_BANDS), 3 x 10 x 64 = 1,920 elements each.
        ConvSpec dw = spec(64, 64, 10, 10, 3, 64);
        assertEquals(32_576, ConvPlan.exSramBytes(dw, 1, 1));
        assertEquals(34_432, ConvPlan.exSramBytes(dw, 2, 1));
        assertEquals(38_144, ConvPlan.exSramBytes(dw, 4, 1));
        ConvPlan p = ConvPlan.choose(dw, V3U, true, true);
        assertEquals(3, p.toh());
        assertFits(dw, p, V3U);
        // 1x1 64 -> 64: no halo, but 4,096 bytes of weights per band: 36,096 as one band, 40,192 as 2 (+11.3 %),
        // 48,384 as 4 (+34 % > 20 %): 2 bands of 5 rows.
        ConvSpec pw = spec(64, 64, 10, 10, 1, 1);
        assertEquals(36_096, ConvPlan.exSramBytes(pw, 1, 1));
        assertEquals(48_384, ConvPlan.exSramBytes(pw, 4, 1));
        assertEquals(5, ConvPlan.choose(pw, V3U, true, true).toh());
        // at most 2,048 elements per band are not split further: 8x8x32 = 2,048 stays one band
        assertEquals(8, ConvPlan.choose(spec(32, 32, 8, 8, 1, 32), V3U, true, true).toh());
    }

    @Test
    void depthwiseSplitIntoChannelBlocks() {
        // depthwise 3x3 over 32 channels of 16x16 (32 groups of one channel): whole needs
        // 320 + 384 + 8,192 + 32,768 + 8,192 = 49,856, twice > 64 KiB. 16 channels whole-frame:
        // 192 + 192 + 4,096 + 16,384 + 4,096 = 24,960, twice 49,920 fits; cost 288 weights + 8,192 input
        // (each channel block reads only its own channels) + 2 tiles * 512 = 9,504. 32 channels in 16x8 tiles:
        // 288 + 8,192 * 20/16 + 2 * 512 = 11,552. So 2 blocks of 16 channels.
        ConvSpec c = spec(32, 32, 16, 16, 3, 32);
        ConvPlan plan = ConvPlan.choose(c, TINY);
        assertEquals(new ConvPlan(16, 1, 16, 16), plan);
        assertFits(c, plan, TINY);
        assertEquals(2, ConvPlan.ocBlocks(c, plan.toc()));
    }

    @Test
    void nothingFitsGivesNoPlanAndOneLine() {
        // with 512 bytes of SRAM even the smallest tile (1 output channel, 1 input channel, 1 pixel) needs five
        // 64-byte aligned buffers (weights 9, params 12, input 3x3, acc 4, output 1 byte) = 320, twice 640
        ConvSpec c = spec(32, 32, 16, 16, 3, 1);
        assertEquals(null, ConvPlan.choose(c, 512));
        ConvLayerOp op = new ConvLayerOp("conv_a", "Conv", List.of("conv_a"), c);
        BackendException e = assertThrows(BackendException.class, () -> op.lower(new SramArena(512, 0), 512));
        assertTrue(e.getMessage().startsWith("layer 'conv_a' (Conv 3x3, 32 -> 32 channels) does not fit in SRAM of 512 bytes"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ compiled programs

    private static Program compile(ModelProto m, String preset) {
        return Compiler.compile(m, m.getGraph().getName(), CompileOptions.of(HwConfig.preset(preset), Numerics.ORT));
    }

    /** The program's one layer writes its output symbol's bytes exactly once each, and nothing else. */
    private static void assertCoversOutputOnce(Program p) {
        assertEquals(1, p.layers().size(), "one layer");
        Symbol y = p.symbol(p.layers().get(0).outputs().get(0)).orElseThrow();
        int[] hits = ProgramWalk.storeCoverage(p, 0, y.address(), y.bytes());
        assertTrue(hits.length == y.bytes(), "a store writes outside the output " + y.name());
        for (int i = 0; i < hits.length; i++) {
            int b = i;
            assertEquals(1, hits[i], () -> "output byte " + b + " of " + y.name() + " written " + hits[b] + " times");
        }
    }

    private static Map<Opcode, Integer> counts(Program p) {
        return ProgramWalk.counts(p).get(0);
    }

    @Test
    void tiledConvolutionCoversItsOutputOnce() {
        Program tiny = compile(CodegenModels.conv("conv3x3", 32, 32, 16, 16, 3, 1), "tiny");
        assertCoversOutputOnce(tiny);
        assertEquals(4, counts(tiny).get(Opcode.EX_CONV), "16x4 column strips");
        assertEquals(4, counts(tiny).get(Opcode.ST));
        Program v3u = compile(CodegenModels.conv("conv3x3", 32, 32, 16, 16, 3, 1), "v3u-like");
        assertCoversOutputOnce(v3u);
        assertEquals(1, counts(v3u).get(Opcode.EX_CONV));
        assertEquals(1, counts(v3u).get(Opcode.ST));
    }

    @Test
    void convolutionWithWeightsLargerThanTheSram() {
        Program tiny = compile(CodegenModels.conv("pointwise512", 512, 512, 2, 2, 1, 1), "tiny");
        assertCoversOutputOnce(tiny);
        assertEquals(16, counts(tiny).get(Opcode.EX_CONV), "2 output-channel blocks x 8 input-channel chunks");
        assertEquals(2, counts(tiny).get(Opcode.ST), "one store per output-channel block");
        Program v3u = compile(CodegenModels.conv("pointwise512", 512, 512, 2, 2, 1, 1), "v3u-like");
        assertCoversOutputOnce(v3u);
        assertEquals(1, counts(v3u).get(Opcode.EX_CONV));
    }

    @Test
    void depthwiseConvolutionCoversItsOutputOnce() {
        Program tiny = compile(CodegenModels.conv("depthwise", 32, 32, 16, 16, 3, 32), "tiny");
        assertCoversOutputOnce(tiny);
        assertEquals(2, counts(tiny).get(Opcode.EX_CONV), "2 blocks of 16 channels");
        assertEquals(2, counts(tiny).get(Opcode.ST));
    }

    @Test
    void poolingTiles() {
        // 2x2/2 max pooling of 16 channels of 64x64 (65,536 input bytes) on 64 KiB: in + out twice must fit.
        // 16 channels, 16x16 output tiles: 32*32*16 + 16*16*16 = 20,480, twice 40,960: 4 tiles. Fewer is not
        // possible: 2 tiles (16x32 outputs) need 32*64*16 + 8,192 = 40,960, twice > 64 KiB; 8 channels whole
        // need 32,768 + 8,192, twice > 64 KiB.
        Program tiny = compile(CodegenModels.maxPool("maxpool", 16, 64, 64), "tiny");
        assertCoversOutputOnce(tiny);
        assertEquals(4, counts(tiny).get(Opcode.PP_MAXPOOL));
        assertEquals(4, counts(tiny).get(Opcode.ST));
        Program v3u = compile(CodegenModels.maxPool("maxpool", 16, 64, 64), "v3u-like");
        assertCoversOutputOnce(v3u);
        // everything fits once on v3u-like, but 32x32x16 = 16,384 output elements exceed
        // PoolLayerOp.PIPELINE_ELEMENTS (4,096): halving the band height 32 -> 16 -> 8 gives 4 bands of 4,096
        assertEquals(4, counts(v3u).get(Opcode.PP_MAXPOOL));
        assertEquals(4, counts(v3u).get(Opcode.ST));
    }

    @Test
    void streamedAddChunks() {
        // uint8 + uint8 -> uint8: 6 bytes per element for double-buffered a, b and y; room on tiny is
        // 65,536 - 6 * 64 (alignment slack) = 65,152 bytes -> chunks of 10,858 elements; 32*32*32 = 32,768
        // elements take 4 chunks (3 * 10,858 = 32,574 < 32,768). On v3u-like one chunk holds all.
        Program tiny = compile(CodegenModels.add("add", 1, 32, 32, 32), "tiny");
        assertCoversOutputOnce(tiny);
        assertEquals(4, counts(tiny).get(Opcode.PP_ADD));
        assertEquals(4, counts(tiny).get(Opcode.ST));
        Program v3u = compile(CodegenModels.add("add", 1, 32, 32, 32), "v3u-like");
        assertCoversOutputOnce(v3u);
        assertEquals(1, counts(v3u).get(Opcode.PP_ADD));
    }

    @Test
    void everyCompiledTileFitsTheSram() {
        // every SRAM byte range a load or store touches (address, counts and SRAM strides read from the
        // program) lies inside the preset's SRAM; each layer's buffers are in SRAM only through its loads and stores
        for (String preset : List.of("tiny", "v3u-like")) {
            long sram = HwConfig.preset(preset).sramBytes();
            for (ModelProto m : List.of(CodegenModels.conv("conv3x3", 32, 32, 16, 16, 3, 1),
                    CodegenModels.conv("pointwise512", 512, 512, 2, 2, 1, 1), CodegenModels.conv("depthwise", 32, 32, 16, 16, 3, 32),
                    CodegenModels.maxPool("maxpool", 16, 64, 64), CodegenModels.add("add", 1, 32, 32, 32))) {
                Program p = compile(m, preset);
                long highest = 0;
                for (ProgramWalk.Step s : ProgramWalk.steps(p)) {
                    if (s.insn().op() != Opcode.LD && s.insn().op() != Opcode.ST) continue;
                    long[] ext = ProgramWalk.sramExtent(s);
                    assertTrue(ext[0] >= 0 && ext[1] <= sram, m.getGraph().getName() + " on " + preset + " pc " + s.pc()
                            + ": SRAM [" + ext[0] + ", " + ext[1] + ") outside " + sram);
                    highest = Math.max(highest, ext[1]);
                }
                assertTrue(highest > 0);
            }
        }
    }
}
