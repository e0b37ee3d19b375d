package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * The instruction table as plain data, so that {@link IsaTableChecker} can check it and tests can
 * check deliberately broken variants of it (negative fixtures). {@link #standard()} snapshots the
 * enums {@link Opcode}, {@link Format} and {@link Reg}.
 */
public record IsaTable(List<OpSpec> ops, List<RegSpec> regs) {

    /** A field of one instruction: name, kind, bits {@code [lsb, lsb + width)}. */
    public record FieldSpec(String name, FieldKind kind, int lsb, int width) {
        public int end() {
            return lsb + width;
        }
    }

    /**
     * One instruction: opcode number, engine, mnemonic, all its fields (header included) and the names of
     * the registers of its engine it reads.
     */
    public record OpSpec(int code, Engine engine, String mnemonic, List<FieldSpec> fields, List<String> reads) {
        public OpSpec {
            fields = List.copyOf(fields);
            reads = List.copyOf(reads);
        }

        /** An instruction that reads no register. */
        public OpSpec(int code, Engine engine, String mnemonic, List<FieldSpec> fields) {
            this(code, engine, mnemonic, fields, List.of());
        }

        /** A copy with one more field (for negative fixtures). */
        public OpSpec withField(FieldSpec f) {
            List<FieldSpec> l = new ArrayList<>(fields);
            l.add(f);
            return new OpSpec(code, engine, mnemonic, l, reads);
        }

        /** A copy that also reads register {@code name} (for negative fixtures). */
        public OpSpec withRead(String name) {
            List<String> l = new ArrayList<>(reads);
            l.add(name);
            return new OpSpec(code, engine, mnemonic, fields, l);
        }
    }

    /** One register of one engine. */
    public record RegSpec(Engine engine, int id, String name) {}

    public IsaTable {
        ops = List.copyOf(ops);
        regs = List.copyOf(regs);
    }

    /** The table of this ISA. */
    public static IsaTable standard() {
        List<OpSpec> ops = new ArrayList<>();
        for (Opcode o : Opcode.values()) {
            List<FieldSpec> fields = new ArrayList<>();
            for (FieldPos p : Format.HEADER) fields.add(spec(p));
            for (FieldPos p : o.format().operands()) fields.add(spec(p));
            List<String> reads = new ArrayList<>();
            for (Reg r : o.reads()) reads.add(r.asm());
            ops.add(new OpSpec(o.code(), o.engine(), o.mnemonic(), fields, reads));
        }
        List<RegSpec> regs = new ArrayList<>();
        for (Reg r : Reg.values()) {
            for (Engine e : r.group().engines()) regs.add(new RegSpec(e, r.id(), r.asm()));
        }
        return new IsaTable(ops, regs);
    }

    private static FieldSpec spec(FieldPos p) {
        return new FieldSpec(p.field().asm(), p.field().kind(), p.lsb(), p.field().width());
    }

    /** A copy with {@code op} appended. */
    public IsaTable withOp(OpSpec op) {
        List<OpSpec> l = new ArrayList<>(ops);
        l.add(op);
        return new IsaTable(l, regs);
    }

    /** A copy with the op named {@code mnemonic} replaced. */
    public IsaTable replaceOp(String mnemonic, OpSpec op) {
        List<OpSpec> l = new ArrayList<>();
        for (OpSpec o : ops) l.add(o.mnemonic().equals(mnemonic) ? op : o);
        return new IsaTable(l, regs);
    }

    /** A copy with {@code reg} appended. */
    public IsaTable withReg(RegSpec reg) {
        List<RegSpec> l = new ArrayList<>(regs);
        l.add(reg);
        return new IsaTable(ops, l);
    }

    /** The op with this mnemonic; throws when absent. */
    public OpSpec op(String mnemonic) {
        for (OpSpec o : ops) if (o.mnemonic().equals(mnemonic)) return o;
        throw new IllegalArgumentException("no op " + mnemonic);
    }
}
