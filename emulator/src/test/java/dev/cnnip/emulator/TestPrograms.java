package dev.cnnip.emulator;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Assembler;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.program.DramSegment;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import dev.cnnip.program.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small programs from assembly text for the tests. */
final class TestPrograms {
    static final HwConfig TINY = HwConfig.preset("tiny");

    private TestPrograms() {}

    static Builder on(HwConfig hw) {
        return new Builder(hw);
    }

    static Builder tiny() {
        return new Builder(TINY);
    }

    /** Random bytes from a seeded generator. */
    static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Runs a program to its end in the given mode and returns the machine; its timing invariants are checked. */
    static Machine run(Program p, boolean serial) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial));
        m.run();
        dev.cnnip.emulator.timing.PerfInvariants.check(m.perfReport());
        return m;
    }

    /** A program under construction. */
    static final class Builder {
        private final HwConfig hw;
        private final StringBuilder asm = new StringBuilder();
        private final List<DramSegment> segments = new ArrayList<>();
        private final List<Symbol> symbols = new ArrayList<>();
        private final List<LayerInfo> layers = new ArrayList<>();
        private final List<SourceEntry> sources = new ArrayList<>();
        private final List<String> inputs = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private long dramSize = 1 << 16;

        private Builder(HwConfig hw) {
            this.hw = hw;
        }

        Builder dram(long size) {
            dramSize = size;
            return this;
        }

        Builder segment(long address, byte[] data) {
            segments.add(new DramSegment("seg" + segments.size(), address, data));
            return this;
        }

        /** Appends assembly lines (formatted with {@link String#format} when args are given). */
        Builder asm(String text, Object... args) {
            asm.append(args.length == 0 ? text : String.format(java.util.Locale.ROOT, text, args)).append('\n');
            return this;
        }

        Builder symbol(Symbol s) {
            symbols.add(s);
            return this;
        }

        Builder input(String name) {
            inputs.add(name);
            return this;
        }

        Builder output(String name) {
            outputs.add(name);
            return this;
        }

        Builder layer(String name) {
            layers.add(new LayerInfo(layers.size(), name, "Conv", List.of(), List.of(), List.of(), 0));
            return this;
        }

        Builder source(int insn, int layer) {
            sources.add(new SourceEntry(insn, layer, -1, ""));
            return this;
        }

        /** Number of instructions so far. */
        int count() {
            return Assembler.assemble(asm.toString()).size();
        }

        String text() {
            return asm.toString();
        }

        Program build() {
            Program.Builder b = Program.builder("cnnip-test", hw, Numerics.HW)
                    .code(InsnCodec.encodeAll(Assembler.assemble(asm.toString()))).dramSize(dramSize);
            segments.forEach(b::segment);
            symbols.forEach(b::symbol);
            layers.forEach(b::layer);
            sources.forEach(b::source);
            inputs.forEach(b::input);
            outputs.forEach(b::output);
            return b.build();
        }
    }

    /**
     * A program that loads blocks into SRAM, then (after they all arrived) runs {@code body} on the
     * engine of its last instruction, then finishes. DRAM holds the blocks one after another.
     */
    static final class SramSetup {
        private final HwConfig hw;
        private final Map<Long, byte[]> blocks = new LinkedHashMap<>();

        SramSetup(HwConfig hw) {
            this.hw = hw;
        }

        SramSetup put(long sramAddress, byte[] data) {
            blocks.put(sramAddress, data);
            return this;
        }

        Program program(String engine, String body) {
            Builder b = on(hw);
            long d = 0;
            int i = 0;
            for (Map.Entry<Long, byte[]> e : blocks.entrySet()) {
                b.segment(d, e.getValue());
                b.asm("ld.set esz=%d", e.getValue().length);
                b.asm("ld dram=0x%x sram=0x%x%s", d, e.getKey(), ++i == blocks.size() ? " signal=15" : "");
                d += (e.getValue().length + 15) & ~15;
            }
            b.dram(Math.max(d, 16));
            b.asm(engine + ".sync" + (blocks.isEmpty() ? "" : " wait=15"));
            b.asm(body);
            b.asm("finish");
            return b.build();
        }

        /** Runs {@code body} (on {@code engine}) after the loads and returns the machine. */
        Machine run(String engine, String body, boolean serial) {
            return TestPrograms.run(program(engine, body), serial);
        }
    }
}
