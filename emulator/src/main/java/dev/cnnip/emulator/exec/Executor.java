package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.Dram;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;

/**
 * The functional executor: applies one instruction's effect to the memories and the engine's
 * registers and reports the work done. It knows nothing of time (the timing model does) nor of
 * semaphores and queues (the machine does). Either the whole effect is applied or, on an
 * {@link ExecFault}, none of it.
 *
 * <p>The dispatch goes through a table of one {@link Semantics} per opcode, built by an exhaustive
 * {@code switch} over {@link Opcode}: adding an opcode to the ISA table breaks this build until its
 * semantics exist. A table rather than a {@code switch} at every call: the call through the table is
 * megamorphic, so the JIT compiles each instruction's semantics on its own instead of inlining all of them
 * into one huge {@code execute} (and recompiling it whenever a program reaches an opcode it had not seen),
 * which made warm-up, not simulation, the cost of short evaluations.
 */
public final class Executor {
    /** One opcode's effect, bound to this executor's memories. */
    @FunctionalInterface
    private interface Semantics {
        WorkMetrics run(Insn insn, RegisterFile regs);
    }

    private final Dram dram;
    private final Sram sram;
    private final Scratch scratch = new Scratch();
    private final Semantics[] byOpcode = new Semantics[Opcode.values().length];

    public Executor(Dram dram, Sram sram) {
        this.dram = dram;
        this.sram = sram;
        for (Opcode op : Opcode.values()) byOpcode[op.ordinal()] = semantics(op);
    }

    /**
     * Executes {@code insn} with the register file of its engine; returns the work it did.
     *
     * @throws ExecFault when the instruction cannot execute (state unchanged)
     */
    public WorkMetrics execute(Insn insn, RegisterFile regs) {
        if (regs.engine() != insn.engine()) {
            throw new IllegalArgumentException(insn.op().mnemonic() + " runs on " + insn.engine().label()
                    + ", not with the registers of " + regs.engine().label());
        }
        return byOpcode[insn.op().ordinal()].run(insn, regs);
    }

    private Semantics semantics(Opcode op) {
        return switch (op) {
            case NOP, LAYER_BEGIN, LAYER_END, FINISH, LD_SYNC, EX_SYNC, PP_SYNC, ST_SYNC -> (i, r) -> WorkMetrics.NONE;
            case TRAP -> (i, r) -> {
                throw new ExecFault(ExecFault.Cause.TRAP, "trap code " + i.get(F.CODE));
            };
            case LD_SET, EX_SET, PP_SET, ST_SET -> Executor::set;
            case LD -> (i, r) -> DmaOp.run(i, r, dram, sram, true);
            case ST -> (i, r) -> DmaOp.run(i, r, dram, sram, false);
            case EX_CONV -> (i, r) -> ConvOp.run(i, r, sram, scratch);
            case PP_REQUANT -> (i, r) -> RequantOp.run(i, r, sram, scratch);
            case PP_QUANT -> (i, r) -> QuantOp.quantize(i, r, sram, scratch);
            case PP_DEQUANT -> (i, r) -> QuantOp.dequantize(i, r, sram, scratch);
            case PP_MAXPOOL -> (i, r) -> PoolOp.run(i, r, sram, scratch);
            case PP_AVGPOOL -> (i, r) -> AvgPoolOp.run(i, r, sram, scratch);
            case PP_ADD, PP_MUL -> (i, r) -> AddOp.run(i, r, sram, scratch);
            case PP_LUT -> (i, r) -> LutOp.run(i, r, sram, scratch);
            case PP_SOFTMAX -> (i, r) -> SoftmaxOp.run(i, r, sram, scratch);
            case PP_LRN -> (i, r) -> LrnOp.run(i, r, sram, scratch);
            case PP_SOFTMAXF -> (i, r) -> SoftmaxFloatOp.run(i, r, sram, scratch);
        };
    }

    /** {@code *.set}: {@code r1 = v1}, then {@code r2 = v2} when {@code r2 ≠ 0} (so r2 wins if both name one register). */
    static WorkMetrics set(Insn insn, RegisterFile regs) {
        int r1 = (int) insn.get(F.R1);
        int r2 = (int) insn.get(F.R2);
        if (r1 != 0) regs.set(r1, (int) insn.get(F.V1));
        if (r2 != 0) regs.set(r2, (int) insn.get(F.V2));
        return WorkMetrics.NONE;
    }
}
