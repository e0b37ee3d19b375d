package dev.cnnip.emulator.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tile transfers, vector and scalar, against the SRAM's own typed accessors element by element (random
 * bytes, every integer type, odd addresses and lengths around the vector width), and the write side
 * read back through the accessors.
 */
class TilesTest {
    @Test
    void readsEqualTheTypedAccessors() {
        Random r = new Random(3);
        Sram s = new Sram(4096);
        byte[] bytes = new byte[4096];
        r.nextBytes(bytes);
        s.write(0, bytes, 0, bytes.length);
        for (boolean vector : new boolean[] {false, true}) {
            Tiles t = new Tiles(vector);
            for (int k = 0; k < 300; k++) {
                ElemType type = ElemType.values()[k % ElemType.values().length];
                if (!type.isInteger()) continue;
                int n = r.nextInt(70);
                long address = r.nextInt(4096 - n * type.bytes() + 1);
                int sub = r.nextInt(300) - 150;
                int[] got = new int[n];
                t.readInts(s, type, address, n, got, sub);
                long[] got64 = new long[n];
                t.readLongs(s, type, address, n, got64, sub);
                for (int i = 0; i < n; i++) {
                    long a = address + (long) i * type.bytes();
                    int v = switch (type) {
                        case U8 -> s.u8(a);
                        case S8 -> s.s8(a);
                        case U16 -> s.u16(a);
                        case S16 -> s.s16(a);
                        default -> s.s32(a);
                    };
                    assertEquals(v - sub, got[i], type + " element " + i + " vector " + vector);
                    assertEquals((long) v - sub, got64[i], type + " element " + i + " as long");
                }
            }
        }
    }

    @Test
    void writesKeepTheLowBytes() {
        Random r = new Random(4);
        for (boolean vector : new boolean[] {false, true}) {
            Tiles t = new Tiles(vector);
            for (ElemType type : new ElemType[] {ElemType.U8, ElemType.S8, ElemType.S16, ElemType.S32}) {
                Sram s = new Sram(1024);
                int n = 1 + r.nextInt(60);
                int[] src = new int[n + 2];
                for (int i = 0; i < src.length; i++) src[i] = r.nextInt();
                t.writeInts(s, type, 3, n, src, 2);
                for (int i = 0; i < n; i++) {
                    long a = 3 + (long) i * type.bytes();
                    int v = switch (type.bytes()) {
                        case 1 -> s.s8(a);
                        case 2 -> s.s16(a);
                        default -> s.s32(a);
                    };
                    int expected = switch (type.bytes()) {
                        case 1 -> (byte) src[2 + i];
                        case 2 -> (short) src[2 + i];
                        default -> src[2 + i];
                    };
                    assertEquals(expected, v, type + " element " + i);
                }
                assertEquals(0, s.u8(2), "byte before the tile untouched");
                assertEquals(0, s.u8(3 + (long) n * type.bytes()), "byte after the tile untouched");
            }
            Sram s = new Sram(64);
            int[] v = {1, -2, 3};
            t.writeS32(s, 8, 3, v);
            int[] back = new int[3];
            t.readS32(s, 8, 3, back);
            assertArrayEquals(v, back);
            assertThrows(IndexOutOfBoundsException.class, () -> t.readS32(s, 60, 2, back), "beyond the SRAM");
        }
    }

    /** The int32 tile transfers (vector lanes from byte arrays with the vector module) against the accessors. */
    @Test
    void int32TilesEqualTheAccessors() {
        Random r = new Random(6);
        for (boolean vector : new boolean[] {false, true}) {
            Tiles t = new Tiles(vector);
            for (int k = 0; k < 200; k++) {
                Sram s = new Sram(2048);
                int n = r.nextInt(90);
                long address = r.nextInt(2048 - 4 * n + 1);
                int[] src = new int[n];
                for (int i = 0; i < n; i++) src[i] = r.nextInt();
                t.writeS32(s, address, n, src);
                for (int i = 0; i < n; i++) assertEquals(src[i], s.s32(address + 4L * i), "element " + i + " written");
                if (address > 0) assertEquals(0, s.u8(address - 1), "byte before the tile untouched");
                if (address + 4L * n < 2048) assertEquals(0, s.u8(address + 4L * n), "byte after the tile untouched");
                int at = r.nextInt(5);
                int[] back = new int[n + at];
                t.readS32(s, address, n, back, at);
                for (int i = 0; i < n; i++) assertEquals(s.s32(address + 4L * i), back[at + i], "element " + i + " read");
            }
        }
    }
}
