package dev.cnnip.debugger;

import dev.cnnip.emulator.LayerEvent;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the debugger remembers of a run: per-engine busy intervals (for {@code timeline}), layer
 * begin/end cycles (for {@code info layers}) and which DRAM tensor each SRAM range last exchanged with
 * by DMA or computed there (for {@code info sram}, from the ISA footprints). Costs a few array stores per retired instruction.
 */
final class Recorder implements MachineListener {
    /** An SRAM range and where its bytes came from or went to. */
    record Region(long start, long end, String what, int pc, int layer) {}

    private final Program program;
    private final MachineState state;
    final long[][] starts = new long[Engine.values().length][];
    final long[][] ends = new long[Engine.values().length][];
    final int[][] pcs = new int[Engine.values().length][];
    final int[] counts = new int[Engine.values().length];
    final long[] layerBegin;
    final long[] layerEnd;
    final TreeMap<Long, Region> sram = new TreeMap<>();
    private final List<Symbol> dramSymbols;
    /** With a reference to compare against: each layer's outputs (physical bytes) as they were at its end. */
    final Map<String, byte[]> outputsAtEnd = new java.util.HashMap<>();
    private final boolean captureOutputs;

    Recorder(Program program, MachineState state, boolean captureOutputs) {
        this.captureOutputs = captureOutputs;
        this.program = program;
        this.state = state;
        for (int e = 0; e < starts.length; e++) {
            starts[e] = new long[256];
            ends[e] = new long[256];
            pcs[e] = new int[256];
        }
        layerBegin = new long[program.layers().size()];
        layerEnd = new long[program.layers().size()];
        Arrays.fill(layerBegin, -1);
        Arrays.fill(layerEnd, -1);
        dramSymbols = new ArrayList<>(program.symbols());
        dramSymbols.sort((a, b) -> Long.compare(a.address(), b.address()));
    }

    @Override
    public void onRetire(RetireEvent e) {
        int k = e.engine().ordinal();
        int n = counts[k];
        if (n == starts[k].length) {
            starts[k] = Arrays.copyOf(starts[k], n * 2);
            ends[k] = Arrays.copyOf(ends[k], n * 2);
            pcs[k] = Arrays.copyOf(pcs[k], n * 2);
        }
        starts[k][n] = e.start();
        ends[k][n] = e.end();
        pcs[k][n] = e.pc();
        counts[k] = n + 1;
        track(e);
    }

    @Override
    public void onLayerBegin(LayerEvent e) {
        if (e.layer() < layerBegin.length) layerBegin[e.layer()] = e.cycle();
    }

    @Override
    public void onLayerEnd(LayerEvent e) {
        if (e.layer() < layerEnd.length) {
            layerEnd[e.layer()] = e.cycle();
            // A later layer may reuse the buffer; compare wants the value the layer produced.
            if (captureOutputs) {
                for (String o : program.layers().get(e.layer()).outputs()) {
                    // An SRAM-only tensor has no DRAM bytes; the machine keeps its own copy (readSymbol), which no
                    // later layer overwrites, so compare falls back to that.
                    program.symbol(o).filter(s -> s.kind() != dev.cnnip.program.SymbolKind.SRAM_ACTIVATION)
                            .ifPresent(s -> outputsAtEnd.put(o,
                                    state.dram().read(s.address(), dev.cnnip.emulator.Layouts.physicalBytes(s))));
                }
            }
        }
    }

    /**
     * What the instruction left in SRAM, from its ISA footprint (computed with its engine's registers,
     * which it did not change): a load's destination holds the DRAM tensor it read; a store's source holds
     * the tensor it wrote; an ex/pp instruction's written ranges hold its result operand.
     */
    private void track(RetireEvent e) {
        Engine en = e.engine();
        Footprint fp = e.insn().op().footprint(e.insn(), r -> state.register(en, r));
        if (fp.isEmpty()) return;
        Opcode op = e.insn().op();
        if (op == Opcode.LD || op == Opcode.ST) {
            List<MemAccess> d = fp.of(MemAccess.Space.DRAM);
            List<MemAccess> sr = fp.of(MemAccess.Space.SRAM);
            if (d.isEmpty() || sr.isEmpty()) return;
            long dLo = d.get(0).start();
            Symbol sym = symbolAt(dLo, e.layer());
            String what = (op == Opcode.LD ? "loaded from " : "stored to ")
                    + (sym == null ? String.format("dram 0x%x", dLo) : sym.name() + (dLo == sym.address() ? ""
                    : String.format(" +0x%x", dLo - sym.address())));
            put(new Region(sr.get(0).start(), sr.get(0).end(), what, e.pc(), e.layer()));
            return;
        }
        for (MemAccess a : fp.of(MemAccess.Space.SRAM)) {
            if (a.write()) put(new Region(a.start(), a.end(), "written by " + op.mnemonic() + " " + a.operand(), e.pc(), e.layer()));
        }
    }

    /** The symbol holding DRAM byte {@code a}; among aliases, the one produced nearest before {@code layer}. */
    private Symbol symbolAt(long a, int layer) {
        Symbol best = null;
        for (Symbol s : dramSymbols) {
            if (s.address() > a) break;
            if (a < s.end() && (best == null || s.layer() <= layer && s.layer() > best.layer())) best = s;
        }
        return best;
    }

    /** Inserts a region, trimming or removing the older ones it overlaps. */
    private void put(Region r) {
        Map.Entry<Long, Region> before = sram.lowerEntry(r.start());
        if (before != null && before.getValue().end() > r.start()) {
            Region b = before.getValue();
            sram.put(b.start(), new Region(b.start(), r.start(), b.what(), b.pc(), b.layer()));
            if (b.end() > r.end()) sram.put(r.end(), new Region(r.end(), b.end(), b.what(), b.pc(), b.layer()));
        }
        for (Map.Entry<Long, Region> it = sram.ceilingEntry(r.start()); it != null && it.getKey() < r.end();
             it = sram.ceilingEntry(r.start())) {
            Region o = it.getValue();
            sram.remove(it.getKey());
            if (o.end() > r.end()) sram.put(r.end(), new Region(r.end(), o.end(), o.what(), o.pc(), o.layer()));
            if (o.end() >= r.end()) break;
        }
        sram.put(r.start(), r);
    }
}
