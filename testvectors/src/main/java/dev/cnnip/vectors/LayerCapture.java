package dev.cnnip.vectors;

import dev.cnnip.emulator.LayerEvent;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.MachineState;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Captures per-layer tensors while a {@link Machine} runs, from retired instructions and layer markers
 * only (it never changes the machine).
 *
 * <p>Accumulators before requantization exist only in SRAM, tile by tile, and a later tile (or an
 * in-place {@code pp.requant}) overwrites them. They are traced to logical coordinates like this:
 * <ol>
 * <li>a shadow copy of SRAM keeps what {@code ex.conv} (its accumulator tile) and {@code ld} (its
 * destination) last wrote, so it holds the accumulators a {@code pp.requant} reads even when its output
 * overwrites them;</li>
 * <li>each {@code pp.requant} tags the first byte of every output element it writes with the
 * accumulator it came from ({@code acc[p·apitch + ch]}, bias not added);</li>
 * <li>each {@code st} of the same layer carries the tags from SRAM to DRAM bytes of the layer's output
 * symbols (an {@code ld} into SRAM clears the tags it overwrites);</li>
 * <li>at {@code layer.end} the tags at every output element's DRAM address give the accumulator tensor
 * in the output's logical shape, exported only when every element is covered.</li>
 * </ol>
 * Weights and bias are the {@code WEIGHT} symbols and the bias column (column 0 of the
 * {@code {bias, mult, shift}} table) of {@code .requant} {@code PARAM} symbols that the layer's
 * {@code ld} instructions read.
 */
final class LayerCapture implements MachineListener {
    private final Machine machine;
    private final Program program;
    private final Set<Integer> selected;
    private final MemoryView sram;
    private final MemoryView dram;
    private final byte[] shadow;
    private final long[] tagValue;
    private final int[] tagLayer;
    private final List<Symbol> constants;
    private final Map<Integer, Open> open = new TreeMap<>();
    private final List<LayerVectors> done = new ArrayList<>();

    /** A layer whose end marker has not retired yet. */
    private static final class Open {
        final LayerInfo info;
        final List<Symbol> outputs;
        final byte[] sramAtStart;
        final Map<String, Tensor> inputs = new LinkedHashMap<>();
        final Map<String, Symbol> constantsRead = new TreeMap<>();
        final Map<String, long[]> accPhys = new LinkedHashMap<>();
        final Map<String, boolean[]> covered = new LinkedHashMap<>();
        boolean requant;
        boolean a64;

        Open(LayerInfo info, List<Symbol> outputs, byte[] sramAtStart) {
            this.info = info;
            this.outputs = outputs;
            this.sramAtStart = sramAtStart;
        }
    }

    /** @param selected layer indices to capture, or null for all */
    LayerCapture(Machine machine, Set<Integer> selected) {
        this.machine = machine;
        this.program = machine.program();
        this.selected = selected;
        MachineState st = machine.state();
        this.sram = st.sram();
        this.dram = st.dram();
        int size = Math.toIntExact(sram.size());
        this.shadow = new byte[size];
        this.tagValue = new long[size];
        this.tagLayer = new int[size];
        Arrays.fill(tagLayer, -1);
        this.constants = program.symbols().stream()
                .filter(s -> s.kind() == SymbolKind.WEIGHT || s.kind() == SymbolKind.PARAM)
                .sorted(Comparator.comparingLong(Symbol::address)).toList();
    }

    /** Layers captured so far, in the order their end markers retired. */
    List<LayerVectors> layers() {
        return List.copyOf(done);
    }

    private boolean wanted(int layer) {
        return layer >= 0 && layer < program.layers().size() && (selected == null || selected.contains(layer));
    }

    private Open layer(int index) {
        return open.computeIfAbsent(index, i -> {
            LayerInfo info = program.layers().get(i);
            List<Symbol> outs = info.outputs().stream().map(n -> program.symbol(n).orElse(null)).filter(s -> s != null).toList();
            return new Open(info, outs, sram.read(0, shadow.length));
        });
    }

    @Override
    public void onLayerBegin(LayerEvent e) {
        if (!wanted(e.layer())) return;
        Open o = layer(e.layer());
        for (String in : o.info.inputs()) {
            program.symbol(in).ifPresent(s -> o.inputs.put(in, activation(s)));
        }
    }

    @Override
    public void onRetire(RetireEvent e) {
        Insn insn = e.insn();
        switch (insn.op()) {
            case EX_CONV -> onConv(insn);
            case LD -> onDma(e, true);
            case ST -> onDma(e, false);
            case PP_REQUANT -> onRequant(e);
            default -> {
                // no other instruction moves accumulators or constants
            }
        }
    }

    private void onConv(Insn insn) {
        MachineState s = machine.state();
        long n = (long) s.register(Engine.EX, Reg.EX_OH) * s.register(Engine.EX, Reg.EX_OW) * s.register(Engine.EX, Reg.EX_OC);
        int bytes = Math.toIntExact(n * (insn.flag(F.A64) ? 8 : 4));
        long acc = insn.get(F.ACC);
        sram.read(acc, shadow, (int) acc, bytes);
    }

    private void onRequant(RetireEvent e) {
        Insn insn = e.insn();
        MachineState s = machine.state();
        int n = s.register(Engine.PP, Reg.PP_N);
        int c = s.register(Engine.PP, Reg.PP_C);
        int apitch = s.register(Engine.PP, Reg.PP_APITCH);
        int opitch = s.register(Engine.PP, Reg.PP_OPITCH);
        boolean a64 = insn.flag(F.A64);
        int asz = a64 ? 8 : 4;
        int osz = insn.type(F.OT).bytes();
        long acc = insn.get(F.ACC);
        long out = insn.get(F.OUT);
        for (int p = 0; p < n; p++) {
            for (int ch = 0; ch < c; ch++) {
                int a = (int) (acc + ((long) p * apitch + ch) * asz);
                long v = a64 ? readLong(a) : readInt(a);
                int o = (int) (out + ((long) p * opitch + ch) * osz);
                tagValue[o] = v;
                tagLayer[o] = e.layer();
            }
        }
        if (wanted(e.layer())) {
            Open l = layer(e.layer());
            l.requant = true;
            l.a64 |= a64;
            // A later layer may reuse an SRAM-only output's region before this layer's end marker retires:
            // take its tags now, for the range this instruction wrote.
            long written = n == 0 ? 0 : ((long) (n - 1) * opitch + c) * osz;
            for (Symbol sym : l.outputs) {
                if (sym.kind() == SymbolKind.SRAM_ACTIVATION) tagsInSram(l, e.layer(), sym, out, out + written);
            }
        }
    }

    private long readInt(int a) {
        return (shadow[a] & 0xFF) | (shadow[a + 1] & 0xFF) << 8 | (shadow[a + 2] & 0xFF) << 16 | shadow[a + 3] << 24;
    }

    private long readLong(int a) {
        return (readInt(a) & 0xFFFF_FFFFL) | readInt(a + 4) << 32;
    }

    /** Walks the transfer's elements: {@code ld} updates the shadow and clears tags; {@code st} carries tags. */
    private void onDma(RetireEvent e, boolean load) {
        Engine eng = load ? Engine.LD : Engine.ST;
        MachineState s = machine.state();
        int esz = s.register(eng, Reg.ESZ);
        int n0 = s.register(eng, Reg.N0);
        int n1 = s.register(eng, Reg.N1);
        int n2 = s.register(eng, Reg.N2);
        int ds0 = s.register(eng, Reg.DS0);
        int ds1 = s.register(eng, Reg.DS1);
        int ds2 = s.register(eng, Reg.DS2);
        int ss0 = s.register(eng, Reg.SS0);
        int ss1 = s.register(eng, Reg.SS1);
        int ss2 = s.register(eng, Reg.SS2);
        long d = e.insn().get(F.DRAM);
        long sa = e.insn().get(F.SRAM);
        boolean capture = wanted(e.layer());
        Open l = capture ? layer(e.layer()) : null;
        boolean rows = ds0 == esz && ss0 == esz;
        int len = rows ? n0 * esz : esz;
        int inner = rows ? 1 : n0;
        for (int i2 = 0; i2 < n2; i2++) {
            for (int i1 = 0; i1 < n1; i1++) {
                for (int i0 = 0; i0 < inner; i0++) {
                    long dAddr = d + (long) i2 * ds2 + (long) i1 * ds1 + (long) i0 * ds0;
                    int sAddr = (int) (sa + (long) i2 * ss2 + (long) i1 * ss1 + (long) i0 * ss0);
                    if (load) {
                        sram.read(sAddr, shadow, sAddr, len);
                        Arrays.fill(tagLayer, sAddr, sAddr + len, -1);
                        if (l != null) noteConstants(l, dAddr, len);
                    } else if (l != null && l.requant) {
                        carryTags(l, e.layer(), sAddr, dAddr, len);
                    }
                }
            }
        }
    }

    /** Records the WEIGHT and PARAM symbols overlapping DRAM {@code [addr, addr + len)}. */
    private void noteConstants(Open l, long addr, int len) {
        int lo = 0;
        int hi = constants.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (constants.get(mid).end() <= addr) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < constants.size() && constants.get(i).address() < addr + len; i++) {
            Symbol s = constants.get(i);
            if (s.end() > addr) l.constantsRead.put(s.name(), s);
        }
    }

    private void carryTags(Open l, int layer, int sAddr, long dAddr, int len) {
        for (Symbol sym : l.outputs) {
            String outName = sym.name();
            long lo = Math.max(dAddr, sym.address());
            long hi = Math.min(dAddr + len, sym.end());
            if (lo >= hi) continue;
            int esz = sym.dtype().size();
            int elems = Math.toIntExact(Tensor.numElements(sym.physicalShape()));
            long[] acc = l.accPhys.computeIfAbsent(outName, k -> new long[elems]);
            boolean[] cov = l.covered.computeIfAbsent(outName, k -> new boolean[elems]);
            for (long b = lo; b < hi; b++) {
                long rel = b - sym.address();
                if (rel % esz != 0 || rel / esz >= elems) continue;
                int src = (int) (sAddr + (b - dAddr));
                if (tagLayer[src] != layer) continue;
                acc[(int) (rel / esz)] = tagValue[src];
                cov[(int) (rel / esz)] = true;
            }
        }
    }

    @Override
    public void onLayerEnd(LayerEvent e) {
        if (!wanted(e.layer())) return;
        Open o = open.remove(e.layer());
        if (o == null) return;
        List<CapturedTensor> tensors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        o.inputs.forEach((name, t) -> {
            Symbol s = program.symbol(name).orElseThrow();
            tensors.add(new CapturedTensor(name, CapturedTensor.Role.INPUT, t, s, s.layout()));
        });
        for (Symbol s : o.constantsRead.values()) {
            if (s.kind() == SymbolKind.WEIGHT) {
                tensors.add(new CapturedTensor(s.name(), CapturedTensor.Role.WEIGHTS, SymbolTensors.read(s, dram), s, s.layout()));
            }
        }
        if (o.requant) {
            for (Symbol s : o.constantsRead.values()) {
                int[] sh = s.shape();
                if (s.kind() == SymbolKind.PARAM && s.name().endsWith(".requant") && s.dtype() == DType.INT32
                        && sh.length == 2 && sh[1] == 3) {
                    Tensor bias = SymbolTensors.column(SymbolTensors.read(s, dram), 0);
                    tensors.add(new CapturedTensor(s.name() + ".bias", CapturedTensor.Role.BIAS, bias, s, s.layout()));
                }
            }
        }
        for (String outName : o.info.outputs()) {
            Symbol s = program.symbol(outName).orElse(null);
            if (s == null) continue;
            if (o.requant) accumulators(o, s, tensors, notes);
            tensors.add(new CapturedTensor(outName, CapturedTensor.Role.OUTPUT, activation(s), s, s.layout()));
        }
        byte[] now = sram.read(0, shadow.length);
        int lo = Arrays.mismatch(o.sramAtStart, now);
        byte[] window = new byte[0];
        long base = 0;
        if (lo >= 0) {
            int hi = now.length;
            while (hi > lo && now[hi - 1] == o.sramAtStart[hi - 1]) hi--;
            base = lo & ~3L;
            long end = Math.min(now.length, (hi + 3L) & ~3L);
            window = Arrays.copyOfRange(now, (int) base, (int) end);
        }
        done.add(new LayerVectors(o.info.index(), o.info.name(), o.info.op(), tensors, base, window, notes));
    }

    /**
     * A layer input or output as its logical tensor: an {@link SymbolKind#SRAM_ACTIVATION} (kept in SRAM
     * only, never stored to DRAM) is the machine's copy taken when its last writer retired, which the
     * machine records before it notifies listeners; every other symbol is read from DRAM now.
     */
    private Tensor activation(Symbol s) {
        return s.kind() == SymbolKind.SRAM_ACTIVATION ? machine.readSymbol(s.name()) : SymbolTensors.read(s, dram);
    }

    /**
     * An SRAM-only output is never stored, so no {@code st} carries its tags: they are read where the
     * {@code pp.requant} left them, at the symbol's SRAM address, for bytes {@code [from, to)} of SRAM
     * (only tags this layer set count, so a later layer's reuse of the region never counts).
     */
    private void tagsInSram(Open o, int layer, Symbol sym, long from, long to) {
        int esz = sym.dtype().size();
        int elems = Math.toIntExact(Tensor.numElements(sym.physicalShape()));
        long lo = Math.max(0, (from - sym.address()) / esz);
        long hi = Math.min(elems, (to - sym.address() + esz - 1) / esz);
        if (lo >= hi) return;
        long[] acc = o.accPhys.computeIfAbsent(sym.name(), k -> new long[elems]);
        boolean[] cov = o.covered.computeIfAbsent(sym.name(), k -> new boolean[elems]);
        for (int i = (int) lo; i < hi; i++) {
            long a = sym.address() + (long) i * esz;
            if (a < 0 || a >= tagLayer.length || tagLayer[(int) a] != layer) continue;
            acc[i] = tagValue[(int) a];
            cov[i] = true;
        }
    }

    private void accumulators(Open o, Symbol out, List<CapturedTensor> tensors, List<String> notes) {
        long[] phys = o.accPhys.get(out.name());
        boolean[] cov = o.covered.get(out.name());
        long[] off = SymbolTensors.offsets(out);
        int missing = 0;
        for (long x : off) if (cov == null || !cov[(int) x]) missing++;
        if (missing > 0) {
            notes.add("accumulators of '" + out.name() + "' not exported: " + missing + " of " + off.length
                    + " output elements were not traced to a pp.requant of this layer");
            return;
        }
        DType dt = o.a64 ? DType.INT64 : DType.INT32;
        Tensor acc = Tensor.zeros(dt, out.shape());
        for (int i = 0; i < off.length; i++) acc.setLong(i, phys[(int) off[i]]);
        tensors.add(new CapturedTensor(out.name() + ".acc", CapturedTensor.Role.ACC, acc, null, out.layout()));
    }
}
