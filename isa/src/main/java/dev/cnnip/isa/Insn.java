package dev.cnnip.isa;

import java.util.Arrays;
import java.util.List;

/**
 * One decoded, validated instruction: opcode, operand values in format order, and the wait and
 * signal semaphore masks. Immutable. Values are stored as the field's numeric meaning (SINT fields
 * sign-extended); the constructor rejects values that do not fit their field, unknown element types
 * and registers the engine does not have, so no raw bits travel past the codec.
 */
public final class Insn {
    private final Opcode op;
    private final long[] operands;
    private final int wait;
    private final int signal;

    private Insn(Opcode op, long[] operands, int wait, int signal) {
        this.op = op;
        this.operands = operands;
        this.wait = wait;
        this.signal = signal;
        validate();
    }

    /** A builder for an instruction of {@code op}; unset operands are 0. */
    public static Builder of(Opcode op) {
        return new Builder(op);
    }

    /** Instruction from operand values in format order. */
    public static Insn create(Opcode op, long[] operands, int wait, int signal) {
        return new Insn(op, operands.clone(), wait, signal);
    }

    /** A SET instruction of engine {@code e} writing {@code r1 = v1} and, if {@code r2} is non-null, {@code r2 = v2}. */
    public static Insn set(Engine e, Reg r1, int v1, Reg r2, int v2) {
        Opcode op = Opcode.setOf(e);
        if (op == null) throw new IllegalArgumentException("engine " + e + " has no registers");
        return of(op).with(F.R1, r1.id()).with(F.V1, v1).with(F.R2, r2 == null ? 0 : r2.id())
                .with(F.V2, r2 == null ? 0 : v2).build();
    }

    public Opcode op() { return op; }

    public Engine engine() { return op.engine(); }

    /** Wait mask: bit i set = wait for semaphore i. */
    public int waitMask() { return wait; }

    /** Signal mask: bit i set = increment semaphore i at completion. */
    public int signalMask() { return signal; }

    /** Operand values in format order (a copy). */
    public long[] operands() { return operands.clone(); }

    /** Value of field {@code f}; throws when the format has no such field. */
    public long get(F f) {
        return operands[op.format().indexOf(f)];
    }

    /** Value of an address or count field as an int. */
    public int u(F f) {
        return (int) get(f);
    }

    /** Element type held by a TYPE field. */
    public ElemType type(F f) {
        return ElemType.fromCode((int) get(f));
    }

    /** Value of a FLAG field. */
    public boolean flag(F f) {
        return get(f) != 0;
    }

    /** Register written first by a SET instruction, or null. */
    public Reg reg1() {
        return Reg.byId(engine(), (int) get(F.R1));
    }

    /** Register written second by a SET instruction, or null. */
    public Reg reg2() {
        return Reg.byId(engine(), (int) get(F.R2));
    }

    /** A copy with other semaphore masks. */
    public Insn withSync(int newWait, int newSignal) {
        return new Insn(op, operands, newWait, newSignal);
    }

    private void validate() {
        List<FieldPos> fields = op.format().operands();
        if (operands.length != fields.size()) {
            throw new IllegalArgumentException(op.mnemonic() + " takes " + fields.size() + " operands, got " + operands.length);
        }
        checkMask("wait", wait);
        checkMask("signal", signal);
        for (int i = 0; i < fields.size(); i++) {
            F f = fields.get(i).field();
            long v = operands[i];
            int w = f.width();
            boolean fits = f.kind() == FieldKind.SINT
                    ? v >= -(1L << (w - 1)) && v < (1L << (w - 1))
                    : v >= 0 && v < (1L << w);
            if (!fits) {
                throw new IllegalArgumentException(op.mnemonic() + ": value " + v + " does not fit field " + f.asm()
                        + " (" + w + (f.kind() == FieldKind.SINT ? "-bit signed)" : "-bit unsigned)"));
            }
            if (f.kind() == FieldKind.TYPE) ElemType.fromCode((int) v);
            if (f.kind() == FieldKind.REG && v != 0 && Reg.byId(op.engine(), (int) v) == null) {
                throw new IllegalArgumentException(op.mnemonic() + ": engine " + op.engine() + " has no register " + v);
            }
        }
        if (op.format() == Format.SET && get(F.R1) == 0 && get(F.R2) != 0) {
            throw new IllegalArgumentException(op.mnemonic() + ": second register set without a first");
        }
    }

    private void checkMask(String name, int mask) {
        if (mask < 0 || mask >= (1 << Isa.SEMAPHORES)) {
            throw new IllegalArgumentException(op.mnemonic() + ": " + name + " mask " + mask + " exceeds "
                    + Isa.SEMAPHORES + " semaphores");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Insn i && i.op == op && i.wait == wait && i.signal == signal
                && Arrays.equals(i.operands, operands);
    }

    @Override
    public int hashCode() {
        return (op.hashCode() * 31 + Arrays.hashCode(operands)) * 31 + wait * 65537 + signal;
    }

    @Override
    public String toString() {
        return Disassembler.format(this);
    }

    /** Builds an instruction field by field. */
    public static final class Builder {
        private final Opcode op;
        private final long[] values;
        private int wait;
        private int signal;

        private Builder(Opcode op) {
            this.op = op;
            this.values = new long[op.format().operands().size()];
        }

        public Builder with(F f, long value) {
            values[op.format().indexOf(f)] = value;
            return this;
        }

        public Builder type(F f, ElemType t) {
            return with(f, t.code());
        }

        public Builder flag(F f, boolean v) {
            return with(f, v ? 1 : 0);
        }

        public Builder waitMask(int mask) {
            this.wait = mask;
            return this;
        }

        public Builder signalMask(int mask) {
            this.signal = mask;
            return this;
        }

        public Insn build() {
            return new Insn(op, values.clone(), wait, signal);
        }
    }
}
