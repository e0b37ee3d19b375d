package dev.cnnip.emulator;

import dev.cnnip.emulator.check.FootprintGuard;
import dev.cnnip.emulator.check.RaceChecker;
import dev.cnnip.emulator.check.RaceLog;
import dev.cnnip.emulator.exec.ExecFault;
import dev.cnnip.emulator.exec.Executor;
import dev.cnnip.emulator.exec.WorkMetrics;
import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.timing.Timing;
import dev.cnnip.emulator.timing.TimingModel;
import dev.cnnip.emulator.timing.ZeroBlockCounter;
import dev.cnnip.emulator.timing.ZeroBlocks;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Footprint;
import dev.cnnip.isa.IllegalInstructionException;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Isa;
import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The instruction-set simulator of one program: fetch, per-engine queues, semaphores, the functional
 * {@link Executor} and the {@link TimingModel}, driven one retirement at a time.
 *
 * <p>Fetch reads the code in program order and dispatches each instruction to its engine's queue while
 * that queue holds fewer than {@code queue.depth} un-retired instructions; it stops after
 * {@code finish}. An instruction is ready when it heads its queue and every semaphore of its wait mask
 * is {@code > 0} ({@code finish} also needs every other queue empty). Executing it decrements the
 * waited semaphores, applies its effect atomically, increments the signalled ones and retires it.
 * <ul>
 * <li>Serial mode: instructions execute in program order; a next instruction that is not ready is a
 * deadlock.</li>
 * <li>Overlapped mode: among the ready queue heads, the one the timing model would start first executes
 * (ties: lowest pc). A correctly synchronised program gives the same memory contents in both modes.</li>
 * </ul>
 * Before an instruction executes, the machine computes its footprint from the ISA table
 * ({@link dev.cnnip.isa.Opcode#footprint}); the executor's accesses outside it are
 * {@link MachineFault.Kind#FOOTPRINT} faults. With {@link SimOptions#checkRaces()} a
 * {@link RaceChecker} also tracks the footprints with happens-before from program order and semaphores,
 * and the first unordered conflicting pair is a {@link MachineFault.Kind#RACE} fault.
 * The run ends when {@code finish} retires. Every stop is a {@link MachineFault}; afterwards the state
 * stays inspectable and {@link #step()} throws the same fault again. Not thread-safe; machines share no
 * state, so any number can run side by side. {@link #reset()} makes a machine ready for the next
 * inference without decoding the program or building its DRAM image again.
 */
public final class Machine {
    private final Program program;
    private final SimOptions options;
    private final List<Insn> code;
    private final MachineState state;
    private final Executor executor;
    /** Null in a functional-only run ({@link SimOptions#timed()} false); a new one at each {@link #reset()}. */
    private TimingModel timing;
    private final boolean inOrder;
    private final int queueDepth;
    private final boolean zeroSkip;
    /** SRAM-only tensors by the pc of their last write, and their bytes once it retired. */
    private final Map<Integer, List<Symbol>> sramSymbolsOf = new java.util.HashMap<>();
    private final Map<String, byte[]> sramSnapshots = new java.util.HashMap<>();
    private final List<MachineListener> listeners = new ArrayList<>();
    private final FootprintGuard guard = new FootprintGuard();
    private RaceChecker races;
    private int serialNext;

    /** A machine for {@code program} with default options. */
    public Machine(Program program) {
        this(program, SimOptions.defaults());
    }

    public Machine(Program program, SimOptions options) {
        this(program, options, "program");
    }

    /**
     * A machine at reset: DRAM holds the program's segments (zero elsewhere), SRAM, semaphores and queues
     * are empty, registers hold their reset values.
     *
     * @param sourceName names the program in load errors, e.g. its file name
     * @throws MachineFault of kind {@link MachineFault.Kind#ILLEGAL_INSTRUCTION} when a code word does not
     *                      decode: {@code net.cnnip: instruction 7: unknown opcode 0xee}
     */
    public Machine(Program program, SimOptions options, String sourceName) {
        this.program = program;
        this.options = options;
        try {
            this.code = List.copyOf(InsnCodec.decodeAll(program.code()));
        } catch (IllegalInstructionException e) {
            throw new MachineFault(MachineFault.Kind.ILLEGAL_INSTRUCTION, null, -1, sourceName + ": " + e.getMessage());
        }
        this.state = new MachineState(Dram.of(program.dramSize(), program.segments()),
                new Sram(program.hwConfig().sramBytes()), code);
        this.executor = new Executor(state.dram, state.sram);
        state.sram.guard(guard.sram());
        state.dram.guard(guard.dram());
        this.races = options.checkRaces() ? new RaceChecker() : null;
        this.timing = options.timed() ? new TimingModel(program, options.serial()) : null;
        this.inOrder = options.serial() || !options.timed();
        this.queueDepth = (int) Math.min(program.hwConfig().queueDepth(), Integer.MAX_VALUE);
        this.zeroSkip = program.hwConfig().exZeroSkip();
        for (Symbol s : program.symbols()) {
            if (s.kind() == SymbolKind.SRAM_ACTIVATION) sramSymbolsOf.computeIfAbsent(lastWriter(s), k -> new ArrayList<>()).add(s);
        }
    }

    public Program program() {
        return program;
    }

    /**
     * Back to the state of a new machine for the same program and options: DRAM holds the program's segments
     * again (only the pages written since are restored), SRAM, semaphores, queues, registers, timing, race
     * checker and SRAM-only tensor copies start afresh, a fault is cleared. The decoded code, the DRAM image
     * and the listeners are kept. Runs after a reset give the same results and cycles as on a new machine.
     */
    public void reset() {
        state.reset();
        timing = options.timed() ? new TimingModel(program, options.serial()) : null;
        races = options.checkRaces() ? new RaceChecker() : null;
        sramSnapshots.clear();
        serialNext = 0;
    }

    public SimOptions options() {
        return options;
    }

    /** The decoded code, by program index. */
    public List<Insn> instructions() {
        return code;
    }

    /** The machine state (live: it changes as the machine steps). */
    public MachineState state() {
        return state;
    }

    /** The race checker, when {@link SimOptions#checkRaces()} is on. */
    public Optional<RaceChecker> raceChecker() {
        return Optional.ofNullable(races);
    }

    public void addListener(MachineListener l) {
        listeners.add(l);
    }

    public void removeListener(MachineListener l) {
        listeners.remove(l);
    }

    /**
     * Executes and retires one instruction; returns its event, or null when the program has finished.
     *
     * @throws MachineFault when the machine stops (then on every later call)
     */
    public RetireEvent step() {
        if (state.fault != null) throw state.fault;
        if (state.finished) return null;
        try {
            return advance();
        } catch (MachineFault f) {
            state.fault = f;
            throw f;
        }
    }

    /**
     * The program index of the instruction the next {@link #step()} will retire, without executing it
     * (the debugger stops before it for {@code break pc} and {@code break op}); −1 when the machine has
     * finished or stopped, or the next step would fault (deadlock, no {@code finish}). It dispatches
     * what fetch would dispatch anyway at the start of that step, so it changes neither the order nor
     * the timing of the run.
     */
    public int peekNext() {
        if (state.fault != null || state.finished) return -1;
        try {
            fetch();
            return options.serial() ? serialCandidate() : overlappedCandidate();
        } catch (MachineFault f) {
            return -1;
        }
    }

    /** Steps until {@code finish} retires. */
    public void run() {
        while (step() != null) {
            // each step notifies the listeners
        }
    }

    /**
     * The performance report of what has retired so far.
     *
     * @throws IllegalStateException in a functional-only run
     */
    public PerfReport perfReport() {
        if (timing == null) throw new IllegalStateException("a functional-only run (SimOptions.timed = false) has no perf report");
        return timing.report();
    }

    /** Non-zero semaphore values by semaphore number (a clean program ends with none). */
    public Map<Integer, Integer> semaphoreBalances() {
        Map<Integer, Integer> out = new TreeMap<>();
        for (int s = 0; s < Isa.SEMAPHORES; s++) if (state.semaphores[s] != 0) out.put(s, state.semaphores[s]);
        return Collections.unmodifiableMap(out);
    }

    /** Warnings about a finished run: semaphores left non-zero, code after {@code finish}. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        semaphoreBalances().forEach((s, v) -> out.add("semaphore s" + s + " ends at " + v + " (signalled, never waited for)"));
        if (state.finished && state.fetchPc < code.size()) {
            out.add((code.size() - state.fetchPc) + " instruction(s) after finish at pc " + (state.fetchPc - 1)
                    + " were not executed");
        }
        return List.copyOf(out);
    }

    // ---- host I/O ----

    /**
     * Writes a graph input: {@code logical} must have the INPUT symbol's dtype and logical shape; it is
     * stored in the symbol's physical layout (see {@link Layouts}) at its DRAM address.
     */
    public void writeInput(String name, Tensor logical) {
        Symbol s = symbol(name);
        if (s.kind() != SymbolKind.INPUT) {
            throw new IllegalArgumentException("symbol '" + name + "' is " + s.kind() + ", not an INPUT");
        }
        byte[] physical = Layouts.toPhysical(s, logical);
        state.dram.write(s.address(), physical, 0, physical.length);
    }

    /**
     * Overwrites any symbol's DRAM bytes with {@code logical} (same dtype and logical shape), stored in its
     * physical layout. A host write between steps, like {@link #writeInput}: the quantization debugger
     * uses it at a {@code layer.begin} in serial mode to feed one layer chosen input values.
     */
    public void writeSymbol(String name, Tensor logical) {
        Symbol s = symbol(name);
        byte[] physical = Layouts.toPhysical(s, logical);
        state.dram.write(s.address(), physical, 0, physical.length);
    }

    /**
     * The pc after whose retirement an SRAM-only tensor is complete: the last post-processing instruction of
     * its producing layer (in program order, which is the PP engine's order) whose output ({@code out} or
     * {@code dst} field) starts inside the tensor; else its layer's {@code layer.end}. The tensor's bytes are not
     * overwritten before its last reader has read them, and those reads wait for these writes.
     */
    private int lastWriter(Symbol s) {
        int last = -1;
        int end = -1;
        for (int pc = 0; pc < code.size(); pc++) {
            if (layerOf(pc) != s.layer()) continue;
            Insn insn = code.get(pc);
            F outField = insn.op().format().find(F.OUT) != null ? F.OUT : insn.op().format().find(F.DST) != null ? F.DST : null;
            if (insn.engine() == Engine.PP && outField != null) {
                long out = insn.get(outField);
                if (out >= s.address() && out < s.end()) last = pc;
            }
            if (insn.op() == Opcode.LAYER_END && insn.u(F.ID) == s.layer()) end = pc;
        }
        return last >= 0 ? last : end;
    }

    /**
     * Reads any symbol as a logical tensor (physical layout undone): from DRAM, or for an
     * {@link SymbolKind#SRAM_ACTIVATION} the copy taken from SRAM when its producing layer ended (an
     * {@link IllegalStateException} before that).
     */
    public Tensor readSymbol(String name) {
        Symbol s = symbol(name);
        if (s.kind() == SymbolKind.SRAM_ACTIVATION) {
            byte[] copy = sramSnapshots.get(name);
            if (copy == null) {
                throw new IllegalStateException("tensor '" + name + "' lives in SRAM only and its layer " + s.layer()
                        + " has not written it yet");
            }
            return Layouts.toLogical(s, copy);
        }
        return Layouts.toLogical(s, state.dram.read(s.address(), Layouts.physicalBytes(s)));
    }

    /** Every graph output, in program order. */
    public Map<String, Tensor> outputs() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String o : program.outputs()) out.put(o, readSymbol(o));
        return Collections.unmodifiableMap(out);
    }

    private Symbol symbol(String name) {
        return program.symbol(name).orElseThrow(() -> new IllegalArgumentException("no symbol '" + name
                + "' in the program (inputs: " + String.join(", ", program.inputs()) + ")"));
    }

    // ---- execution ----

    private RetireEvent advance() {
        fetch();
        int pc = inOrder ? serialCandidate() : overlappedCandidate();
        Insn insn = code.get(pc);
        Engine e = insn.engine();
        if (state.retired >= options.maxInstructions()) {
            throw fault(MachineFault.Kind.WATCHDOG, pc, "watchdog: instruction limit of " + options.maxInstructions()
                    + " reached");
        }
        long projected = timing == null ? 0 : timing.projectedStart(pc, insn);
        if (projected > options.maxCycles()) {
            throw fault(MachineFault.Kind.WATCHDOG, pc, "watchdog: would start at cycle " + projected
                    + ", beyond the limit of " + options.maxCycles() + " cycles");
        }
        int[] sems = state.semaphores.clone();
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.waitMask() & (1 << s)) != 0) sems[s]--;
        }
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.signalMask() & (1 << s)) != 0 && ++sems[s] > MachineState.SEMAPHORE_MAX) {
                throw fault(MachineFault.Kind.SEMAPHORE_OVERFLOW, pc, "semaphore s" + s + " would exceed "
                        + MachineState.SEMAPHORE_MAX);
            }
        }
        // The ISA table's footprint of this instruction: the executor may touch nothing else.
        Footprint fp = insn.op().footprint(insn, state.registers[e.ordinal()]::get);
        if (races != null) {
            RaceChecker.Race race = races.execute(pc, insn, fp);
            if (race != null) throw fault(MachineFault.Kind.RACE, pc, race.message(this::where));
        }
        // Before the executor runs: its accumulators may overwrite the weights it read.
        ZeroBlocks skipped = zeroSkip && timing != null && insn.op() == Opcode.EX_CONV
                ? ZeroBlockCounter.count(program.hwConfig(), insn, state.registers[e.ordinal()], state.sram)
                : ZeroBlocks.NONE;
        WorkMetrics m;
        guard.arm(fp);
        try {
            m = executor.execute(insn, state.registers[e.ordinal()]);
        } catch (ExecFault f) {
            throw fault(switch (f.kind()) {
                case MEMORY_RANGE -> MachineFault.Kind.MEMORY_RANGE;
                case FOOTPRINT -> MachineFault.Kind.FOOTPRINT;
                case BAD_OPERAND -> MachineFault.Kind.BAD_OPERAND;
                case TRAP -> MachineFault.Kind.TRAP;
            }, pc, f.getMessage());
        } finally {
            guard.disarm();
        }
        System.arraycopy(sems, 0, state.semaphores, 0, sems.length);
        Timing t = timing == null ? UNTIMED : timing.retire(pc, insn, m, skipped);
        // An SRAM-only tensor is complete once its last writer retired: keep a copy so it can be read later.
        List<Symbol> complete = sramSymbolsOf.get(pc);
        if (complete != null) {
            for (Symbol s : complete) {
                byte[] copy = new byte[Layouts.physicalBytes(s)];
                state.sram.read(s.address(), copy, 0, copy.length);
                sramSnapshots.put(s.name(), copy);
            }
        }
        state.queues[e.ordinal()].poll();
        state.lastRetired[e.ordinal()] = pc;
        long seq = state.retired++;
        if (timing != null) state.cycle = timing.now();
        if (inOrder) serialNext = pc + 1;
        RetireEvent ev = new RetireEvent(seq, pc, e, insn, m, t.fetch(), t.start(), t.end(), layerOf(pc));
        for (MachineListener l : listeners) l.onRetire(ev);
        switch (insn.op()) {
            case LAYER_BEGIN -> {
                state.currentLayer = insn.u(F.ID);
                LayerEvent le = layerEvent(insn, pc, t.end());
                for (MachineListener l : listeners) l.onLayerBegin(le);
            }
            case LAYER_END -> {
                if (state.currentLayer == insn.u(F.ID)) state.currentLayer = -1;
                LayerEvent le = layerEvent(insn, pc, t.end());
                for (MachineListener l : listeners) l.onLayerEnd(le);
            }
            case FINISH -> {
                state.finished = true;
                if (races != null) RaceLog.clean(program, races);
            }
            default -> {
                // other instructions have no machine-level side effect
            }
        }
        return ev;
    }

    private static final Timing UNTIMED = new Timing(0, 0, 0, 0, 0, 0, 0, 0);

    /** Layer of {@code pc} from the source map, or −1 (also in a functional-only run). */
    private int layerOf(int pc) {
        if (timing != null) return timing.layerOf(pc);
        return program.sourceFor(pc).map(dev.cnnip.program.SourceEntry::layer).orElse(-1);
    }

    private LayerEvent layerEvent(Insn insn, int pc, long cycle) {
        int id = insn.u(F.ID);
        return new LayerEvent(id, id < program.layers().size() ? program.layers().get(id).name() : "", pc, cycle);
    }

    /** Dispatches in program order while the target queue has room; stops after {@code finish}. */
    private void fetch() {
        while (!state.fetchDone) {
            if (state.fetchPc >= code.size()) {
                state.fetchDone = true;
                break;
            }
            int pc = state.fetchPc;
            Insn insn = code.get(pc);
            Engine e = insn.engine();
            IntQueue q = state.queues[e.ordinal()];
            if (q.size() >= queueDepth) break;
            q.add(pc);
            long fetched = timing == null ? 0 : timing.dispatch(pc, e);
            state.fetchPc++;
            if (insn.op() == Opcode.FINISH) state.fetchDone = true;
            DispatchEvent de = new DispatchEvent(pc, e, insn, fetched);
            for (MachineListener l : listeners) l.onDispatch(de);
        }
    }

    private boolean ready(int pc, Insn insn) {
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.waitMask() & (1 << s)) != 0 && state.semaphores[s] <= 0) return false;
        }
        return insn.op() != Opcode.FINISH || othersDrained(insn.engine());
    }

    private boolean othersDrained(Engine self) {
        for (Engine e : Engine.values()) {
            if (e != self && !state.queues[e.ordinal()].isEmpty()) return false;
        }
        return true;
    }

    private boolean allQueuesEmpty() {
        for (IntQueue q : state.queues) if (!q.isEmpty()) return false;
        return true;
    }

    private int serialCandidate() {
        if (serialNext >= state.fetchPc && allQueuesEmpty()) throw noFinish();
        Insn insn = code.get(serialNext);
        if (!ready(serialNext, insn)) {
            throw new MachineFault(MachineFault.Kind.DEADLOCK, null, -1, "fault: deadlock in serial mode at cycle "
                    + state.cycle + ": " + blocked(serialNext) + "; " + semaphoreSummary());
        }
        return serialNext;
    }

    private int overlappedCandidate() {
        int best = -1;
        long bestStart = Long.MAX_VALUE;
        for (IntQueue q : state.queues) {
            if (q.isEmpty()) continue;
            int pc = q.peek();
            Insn insn = code.get(pc);
            if (!ready(pc, insn)) continue;
            long start = timing.projectedStart(pc, insn);
            if (start < bestStart || (start == bestStart && pc < best)) {
                best = pc;
                bestStart = start;
            }
        }
        if (best >= 0) return best;
        if (allQueuesEmpty()) throw noFinish();
        StringJoiner heads = new StringJoiner("; ");
        for (IntQueue q : state.queues) if (!q.isEmpty()) heads.add(blocked(q.peek()));
        throw new MachineFault(MachineFault.Kind.DEADLOCK, null, -1, "fault: deadlock at cycle " + timing.now() + ": "
                + heads + "; " + semaphoreSummary());
    }

    private MachineFault noFinish() {
        return new MachineFault(MachineFault.Kind.NO_FINISH, null, -1, "fault: the program ran out of instructions"
                + " without finish (" + state.retired + " of " + code.size() + " retired)");
    }

    /** {@code ld pc 3 (ld) waits for s0=0, s2=1} or, for finish, the engines it waits for. */
    private String blocked(int pc) {
        Insn insn = code.get(pc);
        StringBuilder sb = new StringBuilder(insn.engine().label()).append(" pc ").append(pc).append(" (")
                .append(insn.op().mnemonic()).append(")");
        StringJoiner waits = new StringJoiner(", ");
        for (int s = 0; s < Isa.SEMAPHORES; s++) {
            if ((insn.waitMask() & (1 << s)) != 0) waits.add("s" + s + "=" + state.semaphores[s]);
        }
        if (waits.length() > 0) sb.append(" waits for ").append(waits);
        if (insn.op() == Opcode.FINISH) {
            StringJoiner busy = new StringJoiner(", ");
            for (Engine e : Engine.values()) {
                if (e != insn.engine() && !state.queues[e.ordinal()].isEmpty()) busy.add(e.label());
            }
            if (busy.length() > 0) sb.append(waits.length() > 0 ? " and" : "").append(" waits for ").append(busy)
                    .append(" to drain");
        }
        return sb.toString();
    }

    private String semaphoreSummary() {
        StringJoiner nz = new StringJoiner(" ");
        for (int s = 0; s < Isa.SEMAPHORES; s++) if (state.semaphores[s] != 0) nz.add("s" + s + "=" + state.semaphores[s]);
        return "semaphores: " + (nz.length() == 0 ? "all 0" : nz.toString());
    }

    private MachineFault fault(MachineFault.Kind kind, int pc, String detail) {
        Insn insn = code.get(pc);
        return new MachineFault(kind, insn.engine(), pc, "fault at " + where(pc) + ": " + detail);
    }

    /** {@code ex pc 42 (ex.conv, layer 3 'conv2')}: engine, pc, mnemonic and layer of an instruction. */
    private String where(int pc) {
        Insn insn = code.get(pc);
        StringBuilder sb = new StringBuilder(insn.engine().label()).append(" pc ").append(pc)
                .append(" (").append(insn.op().mnemonic());
        int layer = layerOf(pc) >= 0 ? layerOf(pc) : state.currentLayer;
        if (layer >= 0) {
            sb.append(", layer ").append(layer);
            List<LayerInfo> layers = program.layers();
            if (layer < layers.size()) sb.append(" '").append(layers.get(layer).name()).append('\'');
        }
        return sb.append(')').toString();
    }
}
