package dev.cnnip.debugger;

import dev.cnnip.emulator.LayerEvent;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
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
 * by DMA (for {@code info sram}). Costs a few array stores per retired instruction.
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
        if (e.insn().op() == Opcode.LD || e.insn().op() == Opcode.ST) dma(e);
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
                    program.symbol(o).ifPresent(s -> outputsAtEnd.put(o,
                            state.dram().read(s.address(), dev.cnnip.emulator.Layouts.physicalBytes(s))));
                }
            }
        }
    }

    /** The DRAM and SRAM extents of a DMA from the engine's registers, as the executor reads them. */
    private void dma(RetireEvent e) {
        Engine en = e.engine();
        int esz = state.register(en, Reg.ESZ);
        int n0 = state.register(en, Reg.N0);
        int n1 = state.register(en, Reg.N1);
        int n2 = state.register(en, Reg.N2);
        if (n0 <= 0 || n1 <= 0 || n2 <= 0) return;
        long d = e.insn().get(F.DRAM);
        long s = e.insn().get(F.SRAM);
        long dLo = d + low(n0, n1, n2, state.register(en, Reg.DS0), state.register(en, Reg.DS1), state.register(en, Reg.DS2));
        long sLo = s + low(n0, n1, n2, state.register(en, Reg.SS0), state.register(en, Reg.SS1), state.register(en, Reg.SS2));
        long sHi = s + high(n0, n1, n2, state.register(en, Reg.SS0), state.register(en, Reg.SS1), state.register(en, Reg.SS2), esz);
        Symbol sym = symbolAt(dLo, e.layer());
        String what = (e.insn().op() == Opcode.LD ? "loaded from " : "stored to ")
                + (sym == null ? String.format("dram 0x%x", dLo) : sym.name() + (dLo == sym.address() ? ""
                : String.format(" +0x%x", dLo - sym.address())));
        put(new Region(sLo, sHi, what, e.pc(), e.layer()));
    }

    private static long low(int n0, int n1, int n2, int s0, int s1, int s2) {
        return Math.min(0, (n0 - 1L) * s0) + Math.min(0, (n1 - 1L) * s1) + Math.min(0, (n2 - 1L) * s2);
    }

    private static long high(int n0, int n1, int n2, int s0, int s1, int s2, int esz) {
        return Math.max(0, (n0 - 1L) * s0) + Math.max(0, (n1 - 1L) * s1) + Math.max(0, (n2 - 1L) * s2) + esz;
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
