package dev.cnnip.compiler.backend;

/** A memory range {@code [start, end)} that an instruction reads or writes, for hazard tracking. */
record Access(Space space, long start, long end, boolean write) {
    enum Space { SRAM, DRAM }

    static Access sramRead(long start, long bytes) {
        return new Access(Space.SRAM, start, start + bytes, false);
    }

    static Access sramWrite(long start, long bytes) {
        return new Access(Space.SRAM, start, start + bytes, true);
    }

    static Access dramRead(long start, long bytes) {
        return new Access(Space.DRAM, start, start + bytes, false);
    }

    static Access dramWrite(long start, long bytes) {
        return new Access(Space.DRAM, start, start + bytes, true);
    }
}
