package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.MemAccess;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.SourceEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the instruction stream in program order. From each instruction's footprint (the ISA table's
 * rule over its fields and the registers it sees) the emitter derives the dependencies (per address
 * space, {@link HazardTracker}) and the semaphores ({@link SyncPlanner}), skips register writes that would not change a register, and keeps
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
    /** Per layer, per engine: the last instruction emitted for that layer (its {@code layer.end} waits for them). */
    private final java.util.Map<Integer, int[]> lastOfLayer = new java.util.HashMap<>();
    /** Non-null while a layer's emission is being recorded ({@link #record}) instead of emitted. */
    private List<Op> recording;

    /**
     * One call a layer's emission made on the emitter, recorded so that the program builder can emit a later
     * layer's constant loads inside an earlier layer's instructions ({@link #record}, {@link Interleave#emit}).
     */
    sealed interface Op permits SetOp, InsnOp, TileOp {}

    /** {@link #set(Engine, RegWrites)}. */
    record SetOp(Engine engine, RegWrites writes) implements Op {}

    /** {@link #emit(Insn)}. */
    record InsnOp(Insn insn) implements Op {}

    /** {@link #tile(int)}. */
    record TileOp(int tile) implements Op {}

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

    void tile(int tileIndex) {
        if (recording != null) {
            recording.add(new TileOp(tileIndex));
            return;
        }
        this.tile = tileIndex;
    }

    /** The calls {@code emission} makes, recorded in order and not emitted. */
    List<Op> record(LayerOp.Emission emission) {
        if (recording != null) throw new IllegalStateException("already recording");
        recording = new ArrayList<>();
        try {
            emission.emit(this);
            return recording;
        } finally {
            recording = null;
        }
    }

    int currentTile() {
        return tile;
    }

    /** Writes one register of engine {@code e} (skipped when it already holds the value). */
    void set(Engine e, Reg reg, int value) {
        set(e, RegWrites.of(reg, value));
    }

    /**
     * Writes registers of engine {@code e} in order. Registers already holding the value are skipped; the
     * rest are packed two per SET instruction.
     */
    void set(Engine e, RegWrites writes) {
        if (recording != null) {
            recording.add(new SetOp(e, writes));
            return;
        }
        List<Reg> regs = new ArrayList<>();
        List<Integer> vals = new ArrayList<>();
        for (RegWrites.Write w : writes.writes()) {
            Reg r = w.reg();
            int v = w.value();
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

    /**
     * Writes the registers of engine {@code e} whose value differs from {@code regs} (indexed by register id):
     * an instruction moved past another layer's instructions ({@link Interleave}) gets back the register values
     * it had in its own layer's order. Nothing is emitted when they already match.
     */
    void restore(Engine e, int[] regs) {
        if (recording != null) throw new IllegalStateException("restore while recording");
        List<RegWrites.Write> writes = new ArrayList<>();
        for (Reg r : Reg.of(e)) {
            if (shadow[e.ordinal()][r.id()] != regs[r.id()]) writes.add(new RegWrites.Write(r, regs[r.id()]));
        }
        if (!writes.isEmpty()) set(e, new RegWrites(writes));
    }

    /**
     * Emits {@code insn} (its masks are replaced) after the instructions it depends on. What it reads and
     * writes is its footprint from the ISA table ({@link dev.cnnip.isa.Opcode#footprint}), evaluated with
     * the registers its engine holds at this point of the program (the shadow copy), so the hazards are
     * computed from the same rule the emulator enforces.
     */
    int emit(Insn insn) {
        if (recording != null) {
            recording.add(new InsnOp(insn));
            return -1;
        }
        int idx = insns.size();
        int[] regs = shadow[insn.engine().ordinal()];
        Footprint fp = insn.op().footprint(insn, r -> regs[r.id()]);
        List<Integer> deps = new ArrayList<>();
        for (MemAccess a : fp.accesses()) {
            HazardTracker t = a.space() == MemAccess.Space.SRAM ? sram : dram;
            t.access(a.start(), a.end(), a.write(), idx, insn.engine(), d -> {
                if (d != idx) deps.add(d); // an instruction that reads and writes a range does not wait for itself
            });
        }
        return add(insn, deps.stream().mapToInt(Integer::intValue).toArray());
    }

    private int add(Insn insn, int[] deps) {
        int idx = sync.add(insn.engine(), deps);
        insns.add(insn);
        source.add(new SourceEntry(idx, layer, tile, note));
        if (layer >= 0 && insn.engine() != Engine.CTL) {
            lastOfLayer.computeIfAbsent(layer, k -> {
                int[] a = new int[Engine.values().length];
                java.util.Arrays.fill(a, -1);
                return a;
            })[insn.engine().ordinal()] = idx;
        }
        return idx;
    }

    /** Emits {@code layer.begin}. */
    void beginLayer(int index) {
        add(Insn.of(Opcode.LAYER_BEGIN).with(F.ID, index).build(), new int[0]);
    }

    /**
     * Emits {@code layer.end}, waiting for the last instruction of every engine that belongs to the layer (the
     * source map's layer: a later layer's loads emitted inside this layer's instructions do not delay it, and
     * this layer's loads emitted inside an earlier layer's are waited for).
     */
    void endLayer(int index) {
        List<Integer> deps = new ArrayList<>();
        int[] last = lastOfLayer.get(index);
        if (last != null) {
            for (Engine e : Engine.values()) if (e != Engine.CTL && last[e.ordinal()] >= 0) deps.add(last[e.ordinal()]);
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
