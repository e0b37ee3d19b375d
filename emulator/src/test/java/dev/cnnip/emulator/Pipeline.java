package dev.cnnip.emulator;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.program.Program;
import java.math.BigInteger;
import java.util.Random;

/**
 * A double-buffered LD → EX → PP → ST pipeline in assembly: {@code tiles} GEMM tiles of M×K u8 inputs
 * times an N×K s8 weight matrix, requantized (int mode) to u8. Buffers alternate between two SRAM
 * slots; semaphores: s0 input loaded (LD→EX), s1 input slot free (EX→LD), s2 accumulators ready
 * (EX→PP), s3 accumulator slot free (PP→EX), s4 output ready (PP→ST), s5 output slot free (ST→PP).
 * Tile t waits for the "free" token of tile t − 2; tiles of the last two do not signal "free", so a
 * correct run ends with every semaphore at zero.
 */
final class Pipeline {
    static final int M = 4;
    static final int K = 16;
    static final int N = 8;
    static final long X_DRAM = 0x1000;
    static final long Y_DRAM = 0x2000;
    static final int XZP = 3;
    static final int WZP = -2;
    static final int OZP = 5;

    final int tiles;
    final byte[] w;
    final int[] prm;
    final byte[][] x;

    Pipeline(int tiles, long seed) {
        this.tiles = tiles;
        Random rnd = new Random(seed);
        w = TestPrograms.random(rnd, N * K);
        prm = new int[3 * N];
        for (int n = 0; n < N; n++) {
            prm[3 * n] = rnd.nextInt(2000) - 1000;
            prm[3 * n + 1] = (1 << 30) + rnd.nextInt(1 << 30);
            prm[3 * n + 2] = 39 + rnd.nextInt(3);
        }
        x = new byte[tiles][];
        for (int t = 0; t < tiles; t++) x[t] = TestPrograms.random(rnd, M * K);
    }

    /** Loads of weights and parameters and the register setup before the first tile. */
    static String header() {
        return "ld.set esz=128\nld dram=0x0 sram=0x0\nld.set esz=96\nld dram=0x100 sram=0x100\nld.set esz=64\n"
                + Elements.sets("ex", "ih", 1, "iw", M, "ic", K, "oh", 1, "ow", M, "oc", N, "gic", K, "goc", N,
                "xzp", XZP, "wzp", WZP)
                + Elements.sets("pp", "n", M, "c", N, "apitch", N, "opitch", N, "ozp", OZP, "qmin", 0, "qmax", 255)
                + "st.set esz=32\n";
    }

    /** Program index of the first instruction of tile {@code t} (each tile is ld, ex.conv, pp.requant, st). */
    static int tileStart(int t) {
        return dev.cnnip.isa.Assembler.assemble(header()).size() + 4 * t;
    }

    /** The assembly; {@code wrongSemaphore} makes EX wait for s6, which nothing signals. */
    String assembly(boolean wrongSemaphore) {
        StringBuilder a = new StringBuilder(header());
        for (int t = 0; t < tiles; t++) {
            int b = t % 2;
            boolean reuse = t >= 2;
            boolean freeLater = t < tiles - 2;
            long xb = 0x200 + 0x40L * b;
            long ab = 0x400 + 0x80L * b;
            long ob = 0x600 + 0x20L * b;
            a.append(String.format("ld dram=0x%x sram=0x%x%s signal=0%n", X_DRAM + 64L * t, xb, reuse ? " wait=1" : ""));
            a.append(String.format("ex.conv x=0x%x w=0 acc=0x%x xt=u8 wt=s8 wait=%s%s signal=2%s%n", xb, ab,
                    wrongSemaphore ? "6" : "0", reuse ? ",3" : "", freeLater ? ",1" : ""));
            a.append(String.format("pp.requant acc=0x%x prm=0x100 out=0x%x ot=u8 mode=int wait=2%s signal=4%s%n", ab, ob,
                    reuse ? ",5" : "", freeLater ? ",3" : ""));
            a.append(String.format("st dram=0x%x sram=0x%x wait=4%s%n", Y_DRAM + 32L * t, ob, freeLater ? " signal=5" : ""));
        }
        a.append("finish\n");
        return a.toString();
    }

    Program program(HwConfig hw, boolean wrongSemaphore) {
        return builder(hw, wrongSemaphore).build();
    }

    /** The program under construction, to add layers and a source map. */
    TestPrograms.Builder builder(HwConfig hw, boolean wrongSemaphore) {
        TestPrograms.Builder b = TestPrograms.on(hw).dram(0x3000).segment(0, w).segment(0x100, Elements.ints(prm));
        for (int t = 0; t < tiles; t++) b.segment(X_DRAM + 64L * t, x[t]);
        return b.asm(assembly(wrongSemaphore));
    }

    /** The pipeline as two layers: tiles [0, split) and [split, tiles), the header in neither. */
    Program twoLayers(HwConfig hw, int split) {
        return builder(hw, false).layer("first").layer("second").source(0, -1).source(tileStart(0), 0)
                .source(tileStart(split), 1).source(tileStart(tiles), -1).build();
    }

    /** Expected u8 output of tile t, row m, column n: the GEMM and hardware requantization written out. */
    int expected(int t, int m, int n) {
        long acc = 0;
        for (int k = 0; k < K; k++) acc += (long) ((x[t][m * K + k] & 0xFF) - XZP) * (w[n * K + k] - WZP);
        long a = (int) (acc + prm[3 * n]);
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(prm[3 * n + 1]));
        int shift = prm[3 * n + 2];
        long q = p.add(BigInteger.ONE.shiftLeft(shift - 1)).shiftRight(shift).longValueExact() + OZP;
        return (int) Math.max(0, Math.min(255, q));
    }

}
