package dev.cnnip.compiler.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.tensor.DType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ResizeLayerOp}'s stores: one per output row phase, each pixel repeated side by side from SRAM stride 0.
 * Checked by playing the recorded loads and stores with the ISA's documented DMA loop (written out here, not the
 * emulator's) on byte arrays and comparing with nearest upsampling computed directly, and the DRAM runs worked out
 * by hand.
 */
class ResizeStoreTest {
    private static final int H = 3, W = 4, C = 8, SH = 2, SW = 3;
    private static final long X = 0x1000, Y = 0x2000;

    @Test
    void oneStorePerRowPhaseWritesTheUpsampledTensor() {
        TensorRef x = new TensorRef("x", DType.INT8, new int[] {1, C, H, W}, new float[] {1f}, new int[] {0}, 0);
        TensorRef y = new TensorRef("y", DType.INT8, new int[] {1, C, H * SH, W * SW}, new float[] {1f}, new int[] {0}, 0);
        x.place(X);
        y.place(Y);
        ResizeLayerOp op = new ResizeLayerOp("up", List.of("up"), x, y, 1, H, W, C, SH, SW);
        List<Emitter.Op> ops = new Emitter().record(op.lower(new SramArena(1 << 16, 0), 1 << 16));

        byte[] dram = new byte[0x4000];
        byte[] sram = new byte[1 << 16];
        for (int i = 0; i < H * W * C; i++) dram[(int) X + i] = (byte) (i * 7 + 3);
        Map<Engine, Map<Reg, Integer>> regs = new EnumMap<>(Engine.class);
        int stores = 0;
        List<Long> bursts = new ArrayList<>();
        for (Emitter.Op o : ops) {
            if (o instanceof Emitter.SetOp s) {
                for (RegWrites.Write w : s.writes().writes()) regs.computeIfAbsent(s.engine(), e -> new EnumMap<>(Reg.class)).put(w.reg(), w.value());
            } else if (o instanceof Emitter.InsnOp io) {
                Insn insn = io.insn();
                boolean load = insn.op() == Opcode.LD;
                Map<Reg, Integer> r = regs.get(load ? Engine.LD : Engine.ST);
                if (!load) {
                    stores++;
                    bursts.add(dramRuns(r));
                }
                dma(r, insn.get(F.DRAM), insn.get(F.SRAM), dram, sram, load);
            }
        }
        // one tile of all 3 rows (it fits), SH = 2 row phases: 2 stores (the per-pixel form took SH x SW = 6)
        assertEquals(SH, stores);
        // each store writes 3 output rows, each one contiguous run of W x SW x C = 96 bytes
        assertEquals(List.of((long) H, (long) H), bursts);
        byte[] expect = new byte[H * SH * W * SW * C];
        for (int oy = 0; oy < H * SH; oy++) {
            for (int ox = 0; ox < W * SW; ox++) {
                for (int c = 0; c < C; c++) {
                    expect[(oy * W * SW + ox) * C + c] = dram[(int) X + ((oy / SH) * W + ox / SW) * C + c];
                }
            }
        }
        byte[] got = new byte[expect.length];
        System.arraycopy(dram, (int) Y, got, 0, got.length);
        assertArrayEquals(expect, got);
    }

    @Test
    void residentInputsAreStoredInBandsOfAtLeast32768OutputElements() {
        // yunet's two 2x Resize layers, 64 channels: 20x20 -> 40x40 (102,400 output elements: 2 bands of 51,200;
        // 4 bands would be 25,600 < 32,768) and 10x10 -> 20x20 (25,600: 2 bands would be 12,800, so 1 band)
        assertEquals(2 * 2, residentStores(20, 20, 64));
        assertEquals(2, residentStores(10, 10, 64));
    }

    /** Plays a Resize of a resident h x w x c input (2x2 nearest) and returns its store count, checking its values. */
    private static int residentStores(int h, int w, int c) {
        TensorRef x = new TensorRef("x", DType.INT8, new int[] {1, c, h, w}, new float[] {1f}, new int[] {0}, 0);
        TensorRef y = new TensorRef("y", DType.INT8, new int[] {1, c, 2 * h, 2 * w}, new float[] {1f}, new int[] {0}, 0);
        y.place(0x1000);
        long xs = 0x4000;
        Residency res = new Residency();
        res.put(x, xs, (long) h * w * c, true);
        ResizeLayerOp op = new ResizeLayerOp("up", List.of("up"), x, y, 1, h, w, c, 2, 2);
        List<Emitter.Op> ops = new Emitter().record(op.lower(new SramArena(1 << 20, 0), 1 << 20, res));
        byte[] dram = new byte[0x1000 + 4 * h * w * c];
        byte[] sram = new byte[1 << 20];
        for (int i = 0; i < h * w * c; i++) sram[(int) xs + i] = (byte) (i * 5 + 1);
        Map<Engine, Map<Reg, Integer>> regs = new EnumMap<>(Engine.class);
        int stores = 0;
        for (Emitter.Op o : ops) {
            if (o instanceof Emitter.SetOp s) {
                for (RegWrites.Write wr : s.writes().writes()) regs.computeIfAbsent(s.engine(), e -> new EnumMap<>(Reg.class)).put(wr.reg(), wr.value());
            } else if (o instanceof Emitter.InsnOp io) {
                assertEquals(Opcode.ST, io.insn().op(), "a resident input is not loaded");
                stores++;
                dma(regs.get(Engine.ST), io.insn().get(F.DRAM), io.insn().get(F.SRAM), dram, sram, false);
            }
        }
        for (int oy = 0; oy < 2 * h; oy++) {
            for (int ox = 0; ox < 2 * w; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    assertEquals(sram[(int) xs + ((oy / 2) * w + ox / 2) * c + ch], dram[0x1000 + (oy * 2 * w + ox) * c + ch]);
                }
            }
        }
        return stores;
    }

    private static int reg(Map<Reg, Integer> r, Reg k, int dflt) {
        return r.getOrDefault(k, dflt);
    }

    /** The ISA's three-level strided copy: esz bytes between dram + i2·ds2 + i1·ds1 + i0·ds0 and sram + the same. */
    private static void dma(Map<Reg, Integer> r, long d, long s, byte[] dram, byte[] sram, boolean load) {
        int esz = reg(r, Reg.ESZ, 1);
        for (int i2 = 0; i2 < reg(r, Reg.N2, 1); i2++) {
            for (int i1 = 0; i1 < reg(r, Reg.N1, 1); i1++) {
                for (int i0 = 0; i0 < reg(r, Reg.N0, 1); i0++) {
                    int da = (int) (d + (long) i2 * reg(r, Reg.DS2, 0) + (long) i1 * reg(r, Reg.DS1, 0) + (long) i0 * reg(r, Reg.DS0, 0));
                    int sa = (int) (s + (long) i2 * reg(r, Reg.SS2, 0) + (long) i1 * reg(r, Reg.SS1, 0) + (long) i0 * reg(r, Reg.SS0, 0));
                    if (load) System.arraycopy(dram, da, sram, sa, esz);
                    else System.arraycopy(sram, sa, dram, da, esz);
                }
            }
        }
    }

    /** Contiguous DRAM runs of a transfer, walked element by element (a run continues where the last one ended). */
    private static long dramRuns(Map<Reg, Integer> r) {
        int esz = reg(r, Reg.ESZ, 1);
        long runs = 0;
        long end = Long.MIN_VALUE;
        for (int i2 = 0; i2 < reg(r, Reg.N2, 1); i2++) {
            for (int i1 = 0; i1 < reg(r, Reg.N1, 1); i1++) {
                for (int i0 = 0; i0 < reg(r, Reg.N0, 1); i0++) {
                    long da = (long) i2 * reg(r, Reg.DS2, 0) + (long) i1 * reg(r, Reg.DS1, 0) + (long) i0 * reg(r, Reg.DS0, 0);
                    if (da != end) runs++;
                    end = da + esz;
                }
            }
        }
        return runs;
    }
}
