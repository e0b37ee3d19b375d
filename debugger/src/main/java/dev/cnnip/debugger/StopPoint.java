package dev.cnnip.debugger;

import dev.cnnip.isa.Opcode;
import java.util.Locale;

/**
 * A breakpoint or watchpoint. Breakpoints on a pc or an opcode stop before the instruction executes;
 * layer breakpoints stop after the layer's {@code layer.begin} or {@code layer.end} marker retires;
 * a cycle breakpoint stops after the first instruction that takes simulated time to {@code >= cycle};
 * a watchpoint stops after an instruction that changes a byte of its range.
 */
public final class StopPoint {
    /** What a stop point watches. */
    public enum Kind { LAYER_BEGIN, LAYER_END, PC, OP, CYCLE, WATCH_SRAM, WATCH_DRAM }

    final int id;
    final Kind kind;
    final int layer;
    final String layerName;
    final int pc;
    final Opcode op;
    final long cycle;
    final long start;
    final int length;
    boolean enabled = true;
    long hits;
    /** Watchpoints: the range's bytes as last seen. */
    byte[] snapshot;

    private StopPoint(int id, Kind kind, int layer, String layerName, int pc, Opcode op, long cycle, long start,
                      int length) {
        this.id = id;
        this.kind = kind;
        this.layer = layer;
        this.layerName = layerName;
        this.pc = pc;
        this.op = op;
        this.cycle = cycle;
        this.start = start;
        this.length = length;
    }

    static StopPoint layer(int id, int layer, String name, boolean end) {
        return new StopPoint(id, end ? Kind.LAYER_END : Kind.LAYER_BEGIN, layer, name, -1, null, 0, 0, 0);
    }

    static StopPoint pc(int id, int pc) {
        return new StopPoint(id, Kind.PC, -1, null, pc, null, 0, 0, 0);
    }

    static StopPoint op(int id, Opcode op) {
        return new StopPoint(id, Kind.OP, -1, null, -1, op, 0, 0, 0);
    }

    static StopPoint cycle(int id, long cycle) {
        return new StopPoint(id, Kind.CYCLE, -1, null, -1, null, cycle, 0, 0);
    }

    static StopPoint watch(int id, boolean sram, long start, int length) {
        return new StopPoint(id, sram ? Kind.WATCH_SRAM : Kind.WATCH_DRAM, -1, null, -1, null, 0, start, length);
    }

    public int id() {
        return id;
    }

    public boolean isWatch() {
        return kind == Kind.WATCH_SRAM || kind == Kind.WATCH_DRAM;
    }

    /** {@code layer 3 'relu2' end}, {@code pc 45}, {@code op ex.conv}, {@code cycle 1000}, {@code sram 0x100+16}. */
    public String describe() {
        return switch (kind) {
            case LAYER_BEGIN, LAYER_END -> "layer " + layer + " '" + layerName + "' "
                    + (kind == Kind.LAYER_END ? "end" : "begin");
            case PC -> "pc " + pc;
            case OP -> "op " + op.mnemonic();
            case CYCLE -> "cycle " + cycle;
            case WATCH_SRAM, WATCH_DRAM -> (kind == Kind.WATCH_SRAM ? "sram" : "dram")
                    + String.format(Locale.ROOT, " 0x%x+%d", start, length);
        };
    }
}
