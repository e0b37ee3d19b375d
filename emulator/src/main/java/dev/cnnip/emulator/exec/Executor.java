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
 * <p>The dispatch is an exhaustive {@code switch} over {@link Opcode}: adding an opcode to the ISA table
 * breaks this build until its semantics exist.
 */
public final class Executor {
    private final Dram dram;
    private final Sram sram;
    private final Scratch scratch = new Scratch();

    public Executor(Dram dram, Sram sram) {
        this.dram = dram;
        this.sram = sram;
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
        return switch (insn.op()) {
            case NOP, LAYER_BEGIN, LAYER_END, FINISH, LD_SYNC, EX_SYNC, PP_SYNC, ST_SYNC -> WorkMetrics.NONE;
            case TRAP -> throw new ExecFault(ExecFault.Cause.TRAP, "trap code " + insn.get(F.CODE));
            case LD_SET, EX_SET, PP_SET, ST_SET -> set(insn, regs);
            case LD -> DmaOp.run(insn, regs, dram, sram, true);
            case ST -> DmaOp.run(insn, regs, dram, sram, false);
            case EX_CONV -> ConvOp.run(insn, regs, sram, scratch);
            case PP_REQUANT -> RequantOp.run(insn, regs, sram, scratch);
            case PP_QUANT -> QuantOp.quantize(insn, regs, sram, scratch);
            case PP_DEQUANT -> QuantOp.dequantize(insn, regs, sram, scratch);
            case PP_MAXPOOL -> PoolOp.run(insn, regs, sram, scratch);
            case PP_AVGPOOL -> AvgPoolOp.run(insn, regs, sram, scratch);
            case PP_ADD, PP_MUL -> AddOp.run(insn, regs, sram, scratch);
            case PP_LUT -> LutOp.run(insn, regs, sram, scratch);
            case PP_SOFTMAX -> SoftmaxOp.run(insn, regs, sram, scratch);
            case PP_LRN -> LrnOp.run(insn, regs, sram, scratch);
            case PP_SOFTMAXF -> SoftmaxFloatOp.run(insn, regs, sram, scratch);
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
