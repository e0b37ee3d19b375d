package dev.cnnip.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SRAM typed accessors and the sparse DRAM. */
class MemoryTest {
    @Test
    void sramTypedLittleEndianAccessors() {
        Sram s = new Sram(64);
        s.put32(0, 0x80FF_7F01);
        assertArrayEquals(new byte[] {0x01, 0x7F, (byte) 0xFF, (byte) 0x80}, s.read(0, 4));
        assertEquals(0x01, s.u8(0));
        assertEquals(-1, s.s8(2));
        assertEquals(255, s.u8(2));
        assertEquals(0x7F01, s.u16(0));
        assertEquals(0x80FF, s.u16(2));
        assertEquals((short) 0x80FF, s.s16(2));
        assertEquals(0x80FF_7F01, s.s32(0));
        s.put64(8, 0x0102_0304_0506_0708L);
        assertEquals(0x08, s.u8(8));
        assertEquals(0x0102_0304_0506_0708L, s.s64(8));
        s.putF32(16, -1.5f);
        assertEquals(-1.5f, s.f32(16));
        assertEquals(Float.floatToRawIntBits(-1.5f), s.get(ElemType.F32, 16));
        s.put(ElemType.S16, 20, -2);
        assertEquals(-2, s.get(ElemType.S16, 20));
        assertEquals(65534, s.get(ElemType.U16, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> s.s32(62));
        assertThrows(IndexOutOfBoundsException.class, () -> s.read(60, 8));
    }

    @Test
    void dramIsSparseAndCrossesPages() {
        Dram d = new Dram(1L << 40);
        assertEquals(0, d.allocatedPages());
        byte[] data = new byte[3 * Dram.PAGE_BYTES / 2];
        new Random(1).nextBytes(data);
        long addr = (1L << 39) - Dram.PAGE_BYTES / 4;
        d.write(addr, data, 0, data.length);
        assertEquals(3, d.allocatedPages());
        assertArrayEquals(data, d.read(addr, data.length));
        assertEquals(0, d.u8(0), "unwritten bytes read as zero without allocating");
        assertEquals(0, d.s32(123_456_789L));
        assertEquals(3, d.allocatedPages());
        assertEquals(data[4] & 0xFF, d.u8(addr + 4));
        assertEquals((data[0] & 0xFF) | (data[1] & 0xFF) << 8, d.u16(addr));
        assertThrows(IndexOutOfBoundsException.class, () -> d.read((1L << 40) - 2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> d.u8(-1));
    }

    @Test
    void machineStartsFromTheProgramImage() {
        Machine m = new Machine(TestPrograms.tiny().dram(0x300).segment(0x100, new byte[] {5, 6, 7}).asm("finish").build());
        assertEquals(0x300, m.state().dram().size());
        assertEquals(TestPrograms.TINY.sramBytes(), m.state().sram().size());
        assertArrayEquals(new byte[] {0, 5, 6, 7, 0}, m.state().dram().read(0xff, 5));
        assertEquals(0, m.state().sram().s64(0));
        assertEquals(0, m.state().semaphores()[0]);
    }
}
