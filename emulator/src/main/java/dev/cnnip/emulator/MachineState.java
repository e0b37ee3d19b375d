package dev.cnnip.emulator;

import dev.cnnip.emulator.exec.RegisterFile;
import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Isa;
import dev.cnnip.isa.Reg;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The architectural state of a {@link Machine}, readable at every instruction boundary (the debugger's
 * view): memories, semaphores, per-engine registers and queues, fetch pointer, per-engine pc, retired
 * count, finished flag and current layer. Only the machine changes it.
 */
public final class MachineState {
    /** Largest semaphore value. */
    public static final int SEMAPHORE_MAX = 65535;

    /** An instruction waiting in an engine queue. */
    public record Queued(int pc, Insn insn) {}

    final Dram dram;
    final Sram sram;
    final int[] semaphores = new int[Isa.SEMAPHORES];
    final RegisterFile[] registers = new RegisterFile[Engine.values().length];
    final IntQueue[] queues = new IntQueue[Engine.values().length];
    final int[] lastRetired = new int[Engine.values().length];
    private final List<Insn> code;
    int fetchPc;
    boolean fetchDone;
    long retired;
    boolean finished;
    int currentLayer = -1;
    long cycle;
    MachineFault fault;

    MachineState(Dram dram, Sram sram, List<Insn> code) {
        this.dram = dram;
        this.sram = sram;
        this.code = code;
        for (Engine e : Engine.values()) {
            registers[e.ordinal()] = new RegisterFile(e);
            queues[e.ordinal()] = new IntQueue();
            lastRetired[e.ordinal()] = -1;
        }
    }

    /** Back to reset: DRAM to its reset image, SRAM zero, registers, semaphores, queues and counters cleared. */
    void reset() {
        dram.reset();
        sram.clear();
        java.util.Arrays.fill(semaphores, 0);
        for (Engine e : Engine.values()) {
            registers[e.ordinal()].reset();
            queues[e.ordinal()].clear();
            lastRetired[e.ordinal()] = -1;
        }
        fetchPc = 0;
        fetchDone = false;
        retired = 0;
        finished = false;
        currentLayer = -1;
        cycle = 0;
        fault = null;
    }

    /** The DRAM (read access). */
    public MemoryView dram() {
        return dram;
    }

    /** The SRAM (read access, typed little-endian accessors). */
    public MemoryView sram() {
        return sram;
    }

    /** Value of semaphore {@code i} (0-15). */
    public int semaphore(int i) {
        return semaphores[i];
    }

    /** All semaphore values, a copy. */
    public int[] semaphores() {
        return semaphores.clone();
    }

    /** Value of register {@code r} of engine {@code e}. */
    public int register(Engine e, Reg r) {
        return registers[e.ordinal()].get(r);
    }

    /** The register file of engine {@code e}, a copy by register id. */
    public int[] registers(Engine e) {
        return registers[e.ordinal()].snapshot();
    }

    /** Instructions dispatched to engine {@code e} and not yet retired, head first. */
    public List<Queued> queue(Engine e) {
        IntQueue q = queues[e.ordinal()];
        List<Queued> out = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) out.add(new Queued(q.get(i), code.get(q.get(i))));
        return out;
    }

    /**
     * The engine's pc: the program index of its queue head, else of its last retired instruction, else −1.
     */
    public int pc(Engine e) {
        IntQueue q = queues[e.ordinal()];
        return q.isEmpty() ? lastRetired[e.ordinal()] : q.peek();
    }

    /** Program index of the next instruction fetch will dispatch. */
    public int fetchPc() {
        return fetchPc;
    }

    /** Whether fetch has dispatched everything it will (the end of the code or {@code finish}). */
    public boolean fetchDone() {
        return fetchDone;
    }

    /** Instructions retired. */
    public long retired() {
        return retired;
    }

    /** Whether {@code finish} has retired. */
    public boolean finished() {
        return finished;
    }

    /** Layer index of the last {@code layer.begin} not yet ended, or −1. */
    public int currentLayer() {
        return currentLayer;
    }

    /** Simulated time: the latest end cycle of a retired instruction. */
    public long cycle() {
        return cycle;
    }

    /** The fault that stopped the machine, if any. */
    public Optional<MachineFault> fault() {
        return Optional.ofNullable(fault);
    }
}
