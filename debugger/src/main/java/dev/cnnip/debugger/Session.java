package dev.cnnip.debugger;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineFault;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One debugging session: a program, its inputs, the machine running it, the stop points and the
 * execution commands. Not thread-safe, except {@link #interrupt()}, which any thread (a Ctrl-C
 * handler) may call to stop a running command after the instruction in flight retires.
 */
public final class Session {
    /** Why an execution command returned. */
    public enum StopKind { STEPPED, BREAKPOINT, WATCHPOINT, UNTIL, FINISHED, FAULT, INTERRUPTED }

    /**
     * The end of an execution command.
     *
     * @param kind    why it stopped
     * @param message one or more lines describing the stop (breakpoint, watched bytes, fault)
     * @param retired the instructions retired by the command, the last {@link #KEEP} of them
     * @param count   how many it retired in all
     */
    public record Stop(StopKind kind, String message, List<RetireEvent> retired, long count) {}

    /** Retired instructions a stop keeps for display. */
    static final int KEEP = 20;

    private final Program program;
    private final String sourceName;
    private final Map<String, Tensor> inputs;
    private final ReferenceProvider reference;
    private SimOptions options;
    private Machine machine;
    private Recorder recorder;
    private final List<StopPoint> points = new ArrayList<>();
    private int nextId = 1;
    private volatile boolean interrupted;
    private TensorMetrics metrics = TensorMetrics.basic();

    public Session(Program program, String sourceName, Map<String, Tensor> inputs, SimOptions options,
                   ReferenceProvider reference) {
        this.program = program;
        this.sourceName = sourceName;
        this.inputs = new LinkedHashMap<>(inputs);
        this.options = options;
        this.reference = reference;
        reset();
    }

    public Program program() {
        return program;
    }

    public Machine machine() {
        return machine;
    }

    public ReferenceProvider reference() {
        return reference;
    }

    /** How {@code compare} measures dequantized outputs against the float model. */
    public TensorMetrics metrics() {
        return metrics;
    }

    /** Replaces the metrics (e.g. with a shared comparison engine's). */
    public void setMetrics(TensorMetrics m) {
        this.metrics = java.util.Objects.requireNonNull(m);
    }

    public Map<String, Tensor> inputs() {
        return inputs;
    }

    public SimOptions options() {
        return options;
    }

    Recorder recorder() {
        return recorder;
    }

    List<StopPoint> points() {
        return points;
    }

    /** A fresh machine at reset with the inputs written; stop points stay, watch snapshots are re-read. */
    public void reset() {
        machine = new Machine(program, options, sourceName);
        recorder = new Recorder(program, machine.state(), reference != ReferenceProvider.NONE);
        machine.addListener(recorder);
        inputs.forEach(machine::writeInput);
        for (StopPoint p : points) if (p.isWatch()) p.snapshot = read(p);
    }

    /** Switches serial mode; the machine restarts from reset (the order of execution changes). */
    public void setSerial(boolean serial) {
        options = options.withSerial(serial);
        reset();
    }

    /** Asks a running command to stop after the current instruction (thread-safe). */
    public void interrupt() {
        interrupted = true;
    }

    // ---- stop points ----

    StopPoint add(java.util.function.IntFunction<StopPoint> make) {
        StopPoint p = make.apply(nextId++);
        if (p.isWatch()) p.snapshot = read(p);
        points.add(p);
        return p;
    }

    StopPoint point(int id) {
        return points.stream().filter(p -> p.id == id).findFirst()
                .orElseThrow(() -> new UserError("no breakpoint or watchpoint " + id + (points.isEmpty() ? " (none set)"
                        : " (ids: " + String.join(", ", points.stream().map(p -> Integer.toString(p.id)).toList()) + ")")));
    }

    private byte[] read(StopPoint p) {
        return memory(p.kind == StopPoint.Kind.WATCH_SRAM).read(p.start, p.length);
    }

    MemoryView memory(boolean sram) {
        return sram ? machine.state().sram() : machine.state().dram();
    }

    // ---- execution ----

    /** What ends an execution command besides stop points, the end of the program and faults. */
    @FunctionalInterface
    interface Goal {
        /** Whether to stop after {@code e} retired; {@code n} counts the command's retirements from 1. */
        boolean reached(RetireEvent e, long n);
    }

    /** {@code step [n]}: retires {@code n} instructions in the machine's order. */
    public Stop step(long n) {
        return resume((e, k) -> k >= n, StopKind.STEPPED, "");
    }

    /** {@code stepi <engine>}: runs until an instruction of {@code engine} retires. */
    public Stop stepEngine(Engine engine) {
        if (machine.state().queue(engine).isEmpty() && machine.state().fetchDone()) {
            throw new UserError("engine " + engine.label() + " has no instruction left to execute");
        }
        return resume((e, k) -> e.engine() == engine, StopKind.STEPPED, "");
    }

    /** {@code continue}: runs until a stop point, the end, a fault or an interrupt. */
    public Stop cont() {
        return resume((e, k) -> false, StopKind.UNTIL, "");
    }

    /** {@code until layer}: runs until the layer's {@code layer.end} retires. */
    public Stop untilLayer(int layer) {
        if (recorder.layerEnd[layer] >= 0) {
            throw new UserError("layer " + layer + " '" + program.layers().get(layer).name() + "' has already ended (at cycle "
                    + recorder.layerEnd[layer] + "); 'run' restarts from reset");
        }
        return resume((e, k) -> e.insn().op() == Opcode.LAYER_END && e.insn().u(dev.cnnip.isa.F.ID) == layer,
                StopKind.UNTIL, "layer " + layer + " '" + program.layers().get(layer).name() + "' ended");
    }

    /** {@code until cycle}: runs until simulated time reaches {@code cycle}. */
    public Stop untilCycle(long cycle) {
        if (machine.state().cycle() >= cycle) {
            throw new UserError("the machine is already at cycle " + machine.state().cycle());
        }
        return resume((e, k) -> machine.state().cycle() >= cycle, StopKind.UNTIL, "reached cycle " + cycle);
    }

    private Stop resume(Goal goal, StopKind goalKind, String goalText) {
        interrupted = false;
        ArrayDequeKeep kept = new ArrayDequeKeep(KEEP);
        long n = 0;
        boolean before = false;
        List<StopPoint> watches = new ArrayList<>();
        List<StopPoint> after = new ArrayList<>();
        for (StopPoint p : points) {
            if (!p.enabled) continue;
            switch (p.kind) {
                case PC, OP -> before = true;
                case WATCH_DRAM, WATCH_SRAM -> watches.add(p);
                default -> after.add(p);
            }
        }
        while (true) {
            if (machine.state().finished()) return finished(kept, n);
            if (machine.state().fault().isPresent()) {
                return new Stop(StopKind.FAULT, machine.state().fault().get().getMessage(), kept.list(), n);
            }
            if (interrupted) {
                interrupted = false;
                return new Stop(StopKind.INTERRUPTED, "interrupted", kept.list(), n);
            }
            // Not before the first instruction: continuing from a pc breakpoint must move past it.
            if (before && n > 0) {
                int pc = machine.peekNext();
                if (pc >= 0) {
                    Insn insn = machine.instructions().get(pc);
                    for (StopPoint p : points) {
                        if (p.enabled && (p.kind == StopPoint.Kind.PC && p.pc == pc
                                || p.kind == StopPoint.Kind.OP && p.op == insn.op())) {
                            p.hits++;
                            return new Stop(StopKind.BREAKPOINT, "breakpoint " + p.id + " (" + p.describe() + "): before "
                                    + insn.engine().label() + " pc " + pc + " " + insn.op().mnemonic(), kept.list(), n);
                        }
                    }
                }
            }
            long cycleBefore = machine.state().cycle();
            RetireEvent e;
            try {
                e = machine.step();
            } catch (MachineFault f) {
                return new Stop(StopKind.FAULT, f.getMessage(), kept.list(), n);
            }
            if (e == null) return finished(kept, n);
            n++;
            kept.add(e);
            StringBuilder hit = new StringBuilder();
            StopKind kind = null;
            for (StopPoint p : after) {
                boolean h = switch (p.kind) {
                    case LAYER_BEGIN -> e.insn().op() == Opcode.LAYER_BEGIN && e.insn().u(dev.cnnip.isa.F.ID) == p.layer;
                    case LAYER_END -> e.insn().op() == Opcode.LAYER_END && e.insn().u(dev.cnnip.isa.F.ID) == p.layer;
                    case CYCLE -> cycleBefore < p.cycle && machine.state().cycle() >= p.cycle;
                    default -> false;
                };
                if (h) {
                    p.hits++;
                    kind = StopKind.BREAKPOINT;
                    line(hit, "breakpoint " + p.id + " (" + p.describe() + ")");
                }
            }
            dev.cnnip.isa.Footprint fp = watches.isEmpty() ? null
                    : e.insn().op().footprint(e.insn(), r -> machine.state().register(e.engine(), r));
            for (StopPoint p : watches) {
                // The machine faults on any access outside the footprint, so an instruction whose
                // footprint writes nothing in the range cannot have changed it.
                if (!writes(fp, p)) continue;
                byte[] now = read(p);
                if (!Arrays.equals(now, p.snapshot)) {
                    p.hits++;
                    kind = kind == null ? StopKind.WATCHPOINT : kind;
                    line(hit, "watchpoint " + p.id + " (" + p.describe() + ") written by " + where(e) + "\n"
                            + Hex.diff(p.start, p.snapshot, now));
                    p.snapshot = now;
                }
            }
            if (kind != null) return new Stop(kind, hit.toString(), kept.list(), n);
            if (goal.reached(e, n)) {
                if (machine.state().finished()) return finished(kept, n);
                return new Stop(goalKind, goalText, kept.list(), n);
            }
        }
    }

    private static boolean writes(dev.cnnip.isa.Footprint fp, StopPoint p) {
        dev.cnnip.isa.MemAccess.Space space = p.kind == StopPoint.Kind.WATCH_SRAM ? dev.cnnip.isa.MemAccess.Space.SRAM
                : dev.cnnip.isa.MemAccess.Space.DRAM;
        for (dev.cnnip.isa.MemAccess a : fp.accesses()) {
            if (a.write() && a.space() == space && a.start() < p.start + p.length && p.start < a.end()) return true;
        }
        return false;
    }

    private static void line(StringBuilder sb, String s) {
        if (sb.length() > 0) sb.append('\n');
        sb.append(s);
    }

    private Stop finished(ArrayDequeKeep kept, long n) {
        return new Stop(StopKind.FINISHED, "program finished at cycle " + machine.state().cycle() + " ("
                + machine.state().retired() + " instructions retired)", kept.list(), n);
    }

    /** {@code ex pc 45 ex.conv (layer 3 'relu2', tile 0) at cycle 1234}. */
    String where(RetireEvent e) {
        return e.engine().label() + " pc " + e.pc() + " " + e.insn().op().mnemonic() + annotation(e.pc())
                + " at cycle " + e.end();
    }

    /** {@code  (layer 3 'relu2', tile 0)} from the source map, or empty. */
    String annotation(int pc) {
        Optional<SourceEntry> s = program.sourceFor(pc);
        if (s.isEmpty() || s.get().layer() < 0) return "";
        LayerInfo l = program.layers().get(s.get().layer());
        return " (layer " + l.index() + " '" + l.name() + "'" + (s.get().tile() >= 0 ? ", tile " + s.get().tile() : "") + ")";
    }

    /** A ring of the last few retired instructions. */
    private static final class ArrayDequeKeep {
        private final java.util.ArrayDeque<RetireEvent> q = new java.util.ArrayDeque<>();
        private final int cap;

        ArrayDequeKeep(int cap) {
            this.cap = cap;
        }

        void add(RetireEvent e) {
            if (q.size() == cap) q.removeFirst();
            q.addLast(e);
        }

        List<RetireEvent> list() {
            return List.copyOf(q);
        }
    }
}
