package dev.cnnip.emulator.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Sram#clear()} zeroes every byte any write path touched, whatever pages the writes fall on. */
class SramClearTest {
    @Test
    void clearZeroesEveryWrittenByte() {
        // An odd size: the last page is partial.
        Sram sram = new Sram(3 * 4096 * 64 + 123);
        Random r = new Random(5);
        for (int round = 0; round < 20; round++) {
            int writes = 1 + r.nextInt(50);
            for (int i = 0; i < writes; i++) {
                int len = 1 + r.nextInt(9000);
                long at = r.nextInt((int) sram.size() - len + 1);
                switch (i % 5) {
                    case 0 -> {
                        byte[] src = new byte[len];
                        r.nextBytes(src);
                        sram.write(at, src, 0, len);
                    }
                    case 1 -> sram.fill(at, len, (byte) (1 + r.nextInt(255)));
                    case 2 -> sram.put32(at & ~3L, r.nextInt() | 1);
                    case 3 -> {
                        // a kernel writing through the backing array reports the range
                        sram.backing()[(int) at] = 7;
                        sram.backing()[(int) (at + len - 1)] = 9;
                        sram.markWritten(at, len);
                    }
                    default -> sram.put8(sram.size() - 1, 0x5a);
                }
            }
            sram.clear();
            byte[] all = sram.backing();
            for (int i = 0; i < all.length; i++) {
                if (all[i] != 0) assertEquals(0, all[i], "byte " + i + " after clear, round " + round);
            }
        }
    }
}
