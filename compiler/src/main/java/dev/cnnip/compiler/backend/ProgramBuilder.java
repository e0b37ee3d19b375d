package dev.cnnip.compiler.backend;

import dev.cnnip.hw.HwConfig;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.program.DramSegment;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places constants and activation tensors in DRAM, lowers the layers in order and assembles the
 * {@link Program}: code, DRAM segments, symbol table, layers and source map.
 *
 * <p>DRAM map: the first 4 KiB stay unused (a null-ish address faults visibly), then constants, then
 * every activation tensor that is not SRAM-only in its own 64-byte aligned region (no reuse, so every layer's
 * output can be read after a run).
 *
 * <p>Schedule: {@link ResidencyPlanner} chooses the SRAM-resident tensors; each layer is lowered below them and
 * recorded, its buffers placed by {@link Prefetch#place}; the layers are then emitted in order with each layer's
 * leading constant loads moved into an earlier layer ({@link Prefetch}), and the convolutions after a layer that
 * streams from DRAM moved into it ({@link Interleave}).
 */
public final class ProgramBuilder {
    private static final long GUARD = 4096;

    private final HwConfig hw;
    private final Numerics numerics;
    private final String toolVersion;
    private final List<DramSegment> segments = new ArrayList<>();
    private final List<Symbol> constSymbols = new ArrayList<>();
    private final Map<String, TensorRef> tensors = new LinkedHashMap<>();
    private final List<LayerOp> layers = new ArrayList<>();
    private final Map<String, TensorRef> constOperands = new HashMap<>();
    private long next = GUARD;
    private boolean residency = true;
    private boolean keepInDram = false;

    public ProgramBuilder(HwConfig hw, Numerics numerics, String toolVersion) {
        this.hw = hw;
        this.numerics = numerics;
        this.toolVersion = toolVersion;
    }

    public HwConfig hw() {
        return hw;
    }

    /**
     * Whether activations stay in SRAM from their producer to their last reader where they fit
     * ({@link ResidencyPlanner}; default on); off, every layer loads its inputs from DRAM.
     */
    public ProgramBuilder residency(boolean on) {
        this.residency = on;
        return this;
    }

    /**
     * Whether SRAM-resident tensors are also written to DRAM (write-through: every layer's output then has its
     * DRAM symbol). Off (the default), a resident tensor that is not a graph output lives in SRAM only and its
     * symbol is an {@code SRAM_ACTIVATION} at its SRAM address.
     */
    public ProgramBuilder keepInDram(boolean on) {
        this.keepInDram = on;
        return this;
    }

    public Numerics numerics() {
        return numerics;
    }

    /**
     * Places constant bytes in DRAM and returns their address.
     *
     * @param shape         logical shape recorded in the symbol table
     * @param layout        physical layout name
     * @param physicalShape physical shape
     */
    public long constant(String name, SymbolKind kind, DType dtype, int[] shape, String layout, int[] physicalShape,
                         byte[] data) {
        long addr = SramArena.align(next);
        next = addr + data.length;
        segments.add(new DramSegment(name, addr, data));
        constSymbols.add(new Symbol(name, dtype, shape, layout, physicalShape, addr, data.length, new float[0], new int[0],
                0, kind, -1));
        return addr;
    }

    /**
     * A constant operand of an element-wise layer (e.g. a quantized bias added by QLinearAdd): placed in
     * DRAM now, in the tensor's row-major order.
     */
    public TensorRef constantTensor(String name, dev.cnnip.tensor.Tensor value, float[] scale, int[] zp) {
        TensorRef known = constOperands.get(name);
        if (known != null) return known;
        TensorRef t = new TensorRef(name, value.dtype(), value.shape(), scale, zp, 0);
        if (t.layout() != Layout.ROW_MAJOR) throw new BackendException("constant operand '" + name + "' must not be 4-D");
        t.place(constant(name, SymbolKind.PARAM, value.dtype(), value.shape(), "ROW_MAJOR", value.shape(), value.data()));
        constOperands.put(name, t);
        return t;
    }

    /** Registers an activation tensor (placed when the program is built); returns it. */
    public TensorRef tensor(TensorRef t) {
        TensorRef prev = tensors.putIfAbsent(t.name(), t);
        if (prev != null && prev != t) throw new IllegalArgumentException("tensor " + t.name() + " registered twice");
        return t;
    }

    public TensorRef tensor(String name) {
        return Objects.requireNonNull(tensors.get(name), () -> "unknown tensor " + name);
    }

    public boolean hasTensor(String name) {
        return tensors.containsKey(name);
    }

    /** Makes {@code view} share {@code base}'s DRAM bytes (a reshape that keeps the physical order). */
    public void alias(TensorRef view, TensorRef base) {
        view.aliasTo(base.aliasOf() != null ? base.aliasOf() : base);
    }

    public void add(LayerOp op) {
        layers.add(op);
    }

    /** Lowers every layer and returns the program. */
    public Program build(List<TensorRef> inputs, List<TensorRef> outputs, String modelName, String modelSha256) {
        long[] cap = new long[layers.size()];
        java.util.Arrays.fill(cap, hw.sramBytes());
        long constEnd = next; // constants are placed before the activations
        Residency res = residency
                ? ResidencyPlanner.plan(layers, hw.sramBytes(), cap, outputs, keepInDram, tensors.values())
                : Residency.NONE;
        for (TensorRef t : tensors.values()) {
            if (t.aliasOf() == null && !res.sramOnly(t)) {
                long addr = SramArena.align(next);
                next = addr + Math.max(1, t.bytes());
                t.place(addr);
            }
        }
        long dramSize = (next + GUARD - 1) / GUARD * GUARD;
        if (dramSize > hw.dramBytes()) {
            throw new BackendException("program needs " + dramSize + " bytes of DRAM, the hardware has " + hw.dramBytes());
        }
        Emitter em = new Emitter();
        Map<String, Integer> producer = new HashMap<>();
        int n = layers.size();
        List<List<Emitter.Op>> recorded = new ArrayList<>(n);
        List<Prefetch.Range> arenas = new ArrayList<>(n);
        List<List<Prefetch.Range>> touched = new ArrayList<>(n);
        long sramEnd = 0;
        for (int i = 0; i < n; i++) {
            LayerOp op = layers.get(i);
            // size the layer's buffers on a probe arena (tiling and allocation only, no instructions), then
            // place them clear of the previous layers' buffers when they fit (below the SRAM-resident tensors live
            // during the layer), so its loads can start while the previous layers still compute
            long capacity = cap[i];
            SramArena probe = new SramArena(capacity, 0);
            op.lower(probe, capacity, res);
            long footprint = probe.used();
            long base = Prefetch.place(arenas, touched, sramEnd, footprint, capacity);
            recorded.add(em.record(op.lower(new SramArena(capacity, base), capacity, res)));
            arenas.add(new Prefetch.Range(base, base + footprint));
            List<Prefetch.Range> rs = new ArrayList<>();
            for (TensorRef t : op.inputs()) if (res.address(t) >= 0) rs.add(new Prefetch.Range(res.address(t), res.address(t) + res.extent(t)));
            for (TensorRef t : op.outputs()) if (res.address(t) >= 0) rs.add(new Prefetch.Range(res.address(t), res.address(t) + res.extent(t)));
            touched.add(rs);
            sramEnd = SramArena.align(base + footprint);
            for (TensorRef o : op.outputs()) producer.put(o.name(), i);
        }
        // weight prefetch: each layer's leading constant loads go inside an earlier layer's instructions
        boolean[] hasPrefix = new boolean[n];
        int[] prefixLen = new int[n];
        for (int i = 0; i < n; i++) {
            recorded.set(i, LoadMerge.merge(recorded.get(i), Prefetch.prefixLength(recorded.get(i), constEnd)));
            prefixLen[i] = Prefetch.prefixLength(recorded.get(i), constEnd);
            hasPrefix[i] = prefixLen[i] > 0;
        }
        boolean[] streams = new boolean[n];
        for (int i = 0; i < n; i++) streams[i] = Prefetch.streams(recorded.get(i), prefixLen[i]);
        int[] host = Prefetch.hosts(arenas, touched, hasPrefix, streams);
        List<List<Integer>> hosted = new ArrayList<>(n);
        for (int i = 0; i < n; i++) hosted.add(new ArrayList<>());
        for (int k = 0; k < n; k++) if (host[k] != k) hosted.get(host[k]).add(k);
        Interleave.Builder order = new Interleave.Builder();
        for (int j = 0; j < n; j++) {
            LayerOp op = layers.get(j);
            List<Emitter.Op> own = host[j] != j ? Prefetch.without(recorded.get(j), 0, prefixLen[j]) : recorded.get(j);
            int at = hosted.get(j).isEmpty() ? own.size() : Prefetch.insertionPoint(own);
            order.begin(j, op.name());
            order.replay(j, op.name(), own.subList(0, at));
            for (int k : hosted.get(j)) order.replay(k, layers.get(k).name(), recorded.get(k).subList(0, prefixLen[k]));
            order.replay(j, op.name(), own.subList(at, own.size()));
            order.end(j, op.name());
        }
        // cross-layer pipeline: convolutions after a layer streaming activations from DRAM start on its first chunks
        boolean[] streamHost = new boolean[n];
        boolean[] mover = new boolean[n];
        for (int i = 0; i < n; i++) {
            streamHost[i] = layers.get(i) instanceof StreamLayerOp && streams[i];
            // a convolution reading the previous layer's output in place: its instructions may run before its
            // layer.begin, since nothing outside the program (a host writing a layer's DRAM inputs at its begin,
            // as the isolated ONNX Runtime comparison does) can change a tensor that lives in SRAM only
            List<TensorRef> before = i > 0 ? layers.get(i - 1).outputs() : List.of();
            mover[i] = i > 0 && layers.get(i) instanceof ConvLayerOp
                    && layers.get(i).inputs().stream().allMatch(t -> res.sramOnly(t) && before.contains(t));
        }
        Interleave.emit(em, Interleave.reorder(order.entries(), streamHost, mover, new boolean[n]));
        List<Insn> code = em.finish();
        Program.Builder b = Program.builder(toolVersion, hw, numerics).code(InsnCodec.encodeAll(code)).dramSize(dramSize)
                .model(modelName, modelSha256);
        segments.forEach(b::segment);
        constSymbols.forEach(b::symbol);
        for (TensorRef t : tensors.values()) {
            SymbolKind kind = inputs.contains(t) ? SymbolKind.INPUT
                    : outputs.contains(t) ? SymbolKind.OUTPUT : SymbolKind.ACTIVATION;
            int[] zp = t.zeroPoint();
            boolean allZero = java.util.Arrays.stream(zp).allMatch(z -> z == 0);
            // a reshape view of an SRAM-only tensor lives where its base does, written by the base's producer
            TensorRef root = Residency.root(t);
            boolean sramOnly = res.sramOnly(root);
            if (sramOnly) kind = SymbolKind.SRAM_ACTIVATION;
            b.symbol(new Symbol(t.name(), t.dtype(), t.shape(), t.layout().label(), t.physicalShape(),
                    sramOnly ? res.address(t) : t.address(),
                    Math.max(0, t.bytes()), t.scale(), allZero && t.scale().length == 0 ? new int[0] : zp,
                    t.scale().length > 1 ? t.axis() : 0, kind, producer.getOrDefault(root.name(), -1)));
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerOp op = layers.get(i);
            b.layer(new LayerInfo(i, op.name(), op.op(), op.nodes(), op.inputs().stream().map(TensorRef::name).toList(),
                    op.outputs().stream().map(TensorRef::name).toList(), op.macs()));
        }
        SourceEntry prev = null;
        for (SourceEntry e : em.sourceMap()) {
            if (prev == null || prev.layer() != e.layer() || prev.tile() != e.tile() || !prev.note().equals(e.note())) {
                b.source(e);
                prev = e;
            }
        }
        inputs.forEach(t -> b.input(t.name()));
        outputs.forEach(t -> b.output(t.name()));
        return b.build();
    }
}
