package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.SourceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the instruction stream in program order. Callers state what each instruction reads and
 * writes; the emitter derives the dependencies (per address space, {@link HazardTracker}) and the
 * semaphores ({@link SyncPlanner}), skips register writes that would not change a register, and keeps
 * the source map (instruction to layer, tile and note).
 */
final class Emitter {
    private final List<Insn> insns = new ArrayList<>();
    private final List<SourceEntry> source = new ArrayList<>();
    private final HazardTracker sram = new HazardTracker();
    private final HazardTracker dram = new HazardTracker();
    private final SyncPlanner sync = new SyncPlanner();
    private final int[][] shadow = new int[Engine.values().length][];
    private int layer = -1;
    private int tile = -1;
    private String note = "";
    private int layerStart;
    private long sramBase;
    private SramArena lastArena;
    private final java.util.Map<TensorRef, Long> resident = new java.util.IdentityHashMap<>();
    private final java.util.Set<TensorRef> sramOnly = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Emitter() {
        for (Engine e : Engine.values()) {
            shadow[e.ordinal()] = new int[Reg.maxId(e) + 1];
            for (Reg r : Reg.of(e)) shadow[e.ordinal()][r.id()] = r.reset();
        }
    }

    /** Sets the layer, tile and note recorded for the following instructions. */
    void context(int layerIndex, int tileIndex, String noteText) {
        this.layer = layerIndex;
        this.tile = tileIndex;
        this.note = noteText;
    }

    /** A layer's SRAM arena, starting at the base the program builder chose for the layer. */
    SramArena arena(long sramBytes) {
        lastArena = new SramArena(sramBytes, sramBase);
        return lastArena;
    }

    void sramBase(long base) {
        this.sramBase = base;
    }

    /**
     * Records that activation {@code t} also has an SRAM-resident copy at {@code sramAddress} in its DRAM
     * layout (write-through: the DRAM copy is still written), so its producer writes it there and its
     * consumer reads it from there instead of loading it.
     */
    void resident(TensorRef t, long sramAddress) {
        resident.put(t, sramAddress);
    }

    /** Marks resident tensor {@code t} as living in SRAM only: its producer does not store it to DRAM. */
    void sramOnly(TensorRef t) {
        sramOnly.add(t);
    }

    /** Whether {@code t} is never written to DRAM. */
    boolean isSramOnly(TensorRef t) {
        return sramOnly.contains(t);
    }

    /** A fresh emitter that knows the same resident tensors (to measure a layer's SRAM use). */
    Emitter scratch() {
        Emitter e = new Emitter();
        e.resident.putAll(resident);
        e.sramOnly.addAll(sramOnly);
        return e;
    }

    /** The SRAM address of {@code t}'s resident copy, or −1 when it lives in DRAM only. */
    long residentAddress(TensorRef t) {
        Long a = resident.get(t);
        return a == null ? -1 : a;
    }

    /** Bytes of SRAM the last arena used (0 when the layer used none). */
    long lastFootprint() {
        return lastArena == null ? 0 : lastArena.used();
    }

    void tile(int tileIndex) {
        this.tile = tileIndex;
    }

    /**
     * Writes registers of engine {@code e}: pairs of {@link Reg} and value. Registers already holding the
     * value are skipped; the rest are packed two per SET instruction.
     */
    void set(Engine e, Object... regValues) {
        List<Reg> regs = new ArrayList<>();
        List<Integer> vals = new ArrayList<>();
        for (int i = 0; i < regValues.length; i += 2) {
            Reg r = (Reg) regValues[i];
            int v = ((Number) regValues[i + 1]).intValue();
            if (!r.group().engines().contains(e)) throw new IllegalArgumentException(e + " has no register " + r);
            if (shadow[e.ordinal()][r.id()] == v) continue;
            shadow[e.ordinal()][r.id()] = v;
            regs.add(r);
            vals.add(v);
        }
        for (int i = 0; i < regs.size(); i += 2) {
            boolean two = i + 1 < regs.size();
            emit(Insn.set(e, regs.get(i), vals.get(i), two ? regs.get(i + 1) : null, two ? vals.get(i + 1) : 0));
        }
    }

    /** Emits {@code insn} (its masks are replaced) after the instructions its accesses depend on. */
    int emit(Insn insn, Access... accesses) {
        int idx = insns.size();
        List<Integer> deps = new ArrayList<>();
        Engine e = insn.engine();
        for (Access a : accesses) {
            HazardTracker t = a.space() == Access.Space.SRAM ? sram : dram;
            t.access(a.start(), a.end(), a.write(), idx, e, d -> {
                if (d != idx) deps.add(d); // an instruction that reads and writes a range does not wait for itself
            });
        }
        return add(insn, deps.stream().mapToInt(Integer::intValue).toArray());
    }

    private int add(Insn insn, int[] deps) {
        int idx = sync.add(insn.engine(), deps);
        insns.add(insn);
        source.add(new SourceEntry(idx, layer, tile, note));
        return idx;
    }

    /** Emits {@code layer.begin}. */
    void beginLayer(int index) {
        layerStart = insns.size();
        add(Insn.of(Opcode.LAYER_BEGIN).with(F.ID, index).build(), new int[0]);
    }

    /** Emits {@code layer.end}, waiting for the last instruction of every engine since the layer began. */
    void endLayer(int index) {
        List<Integer> deps = new ArrayList<>();
        for (Engine e : Engine.values()) {
            int last = sync.lastOf(e);
            if (e != Engine.CTL && last >= layerStart) deps.add(last);
        }
        add(Insn.of(Opcode.LAYER_END).with(F.ID, index).build(), deps.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Appends {@code finish} (which drains every engine by itself) and returns the instructions with their masks. */
    List<Insn> finish() {
        layer = -1;
        tile = -1;
        note = "";
        add(Insn.of(Opcode.FINISH).build(), new int[0]);
        List<Insn> out = new ArrayList<>(insns.size());
        for (int i = 0; i < insns.size(); i++) out.add(insns.get(i).withSync(sync.waitMask(i), sync.signalMask(i)));
        return out;
    }

    List<SourceEntry> sourceMap() {
        return List.copyOf(source);
    }

    int size() {
        return insns.size();
    }
}
