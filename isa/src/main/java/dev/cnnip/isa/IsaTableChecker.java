package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an {@link IsaTable}: opcode numbers unique and non-zero (an all-zero word must be illegal),
 * mnemonics unique and prefixed by their engine, the header fields in place, every field inside the
 * 128-bit word, no two fields of an instruction overlapping, field widths fitting their kinds, and
 * register ids and names unique per engine, and every register an instruction reads existing on its
 * engine, named once. Each problem is one message naming the conflict.
 */
public final class IsaTableChecker {
    private IsaTableChecker() {}

    /** All problems found; empty when the table is sound. */
    public static List<String> check(IsaTable t) {
        List<String> errors = new ArrayList<>();
        Map<Integer, String> codes = new HashMap<>();
        Set<String> mnemonics = new HashSet<>();
        for (IsaTable.OpSpec op : t.ops()) {
            String m = op.mnemonic();
            if (op.code() <= 0 || op.code() > 255) {
                errors.add(m + ": opcode " + op.code() + " outside 1..255 (0 is reserved so that a zero word is illegal)");
            }
            String prev = codes.putIfAbsent(op.code(), m);
            if (prev != null) {
                errors.add(String.format("opcode overlap: 0x%02x is both %s and %s", op.code(), prev, m));
            }
            if (!mnemonics.add(m)) errors.add("mnemonic " + m + " defined twice");
            checkPrefix(op, errors);
            checkHeader(op, errors);
            checkFields(op, errors);
        }
        checkRegs(t, errors);
        checkReads(t, errors);
        return errors;
    }

    /** Throws {@link IllegalStateException} listing the problems when the table is not sound. */
    public static void requireValid(IsaTable t) {
        List<String> errors = check(t);
        if (!errors.isEmpty()) throw new IllegalStateException("ISA table invalid: " + String.join("; ", errors));
    }

    private static void checkPrefix(IsaTable.OpSpec op, List<String> errors) {
        String prefix = op.engine().prefix();
        String m = op.mnemonic();
        boolean ok;
        if (prefix.isEmpty()) {
            ok = true;
            for (Engine e : Engine.values()) {
                if (!e.prefix().isEmpty() && (m.equals(e.prefix()) || m.startsWith(e.prefix() + "."))) ok = false;
            }
        } else {
            ok = m.equals(prefix) || m.startsWith(prefix + ".");
        }
        if (!ok) errors.add(m + ": mnemonic does not match engine " + op.engine());
    }

    private static void checkHeader(IsaTable.OpSpec op, List<String> errors) {
        for (FieldPos h : Format.HEADER) {
            boolean found = false;
            for (IsaTable.FieldSpec f : op.fields()) {
                if (f.name().equals(h.field().asm())) {
                    found = true;
                    if (f.lsb() != h.lsb() || f.width() != h.field().width()) {
                        errors.add(op.mnemonic() + ": header field " + f.name() + " must be bits " + h.lsb() + ".."
                                + (h.end() - 1));
                    }
                }
            }
            if (!found) errors.add(op.mnemonic() + ": missing header field " + h.field().asm());
        }
    }

    private static void checkFields(IsaTable.OpSpec op, List<String> errors) {
        String m = op.mnemonic();
        Set<String> names = new HashSet<>();
        List<IsaTable.FieldSpec> fs = op.fields();
        for (IsaTable.FieldSpec f : fs) {
            if (!names.add(f.name())) errors.add(m + ": field " + f.name() + " defined twice");
            if (f.width() <= 0) errors.add(m + ": field " + f.name() + " has width " + f.width());
            if (f.lsb() < 0 || f.end() > Isa.BITS) {
                errors.add(m + ": field " + f.name() + " bits " + f.lsb() + ".." + (f.end() - 1)
                        + " do not fit in " + Isa.BITS + " bits");
            }
            String fit = kindFit(f);
            if (fit != null) errors.add(m + ": field " + f.name() + " " + fit);
        }
        for (int i = 0; i < fs.size(); i++) {
            for (int j = i + 1; j < fs.size(); j++) {
                IsaTable.FieldSpec a = fs.get(i);
                IsaTable.FieldSpec b = fs.get(j);
                if (a.lsb() < b.end() && b.lsb() < a.end()) {
                    errors.add(m + ": fields " + a.name() + " (bits " + a.lsb() + ".." + (a.end() - 1) + ") and "
                            + b.name() + " (bits " + b.lsb() + ".." + (b.end() - 1) + ") overlap");
                }
            }
        }
    }

    private static String kindFit(IsaTable.FieldSpec f) {
        return switch (f.kind()) {
            case FLAG, MODE -> f.width() == 1 ? null : "of kind " + f.kind() + " must be 1 bit wide, not " + f.width();
            case TYPE -> f.width() >= 3 ? null : "of kind TYPE needs 3 bits to hold every element type";
            case REG -> f.width() == 8 ? null : "of kind REG must be 8 bits wide";
            case SEMMASK -> f.width() == Isa.SEMAPHORES ? null
                    : "of kind SEMMASK must be " + Isa.SEMAPHORES + " bits wide (one per semaphore)";
            case UINT, SINT, ADDR -> f.width() <= 32 || f.name().equals("op") ? null
                    : "wider than 32 bits is not supported";
        };
    }

    private static void checkReads(IsaTable t, List<String> errors) {
        Set<String> regs = new HashSet<>();
        for (IsaTable.RegSpec r : t.regs()) regs.add(r.engine() + "." + r.name());
        for (IsaTable.OpSpec op : t.ops()) {
            Set<String> seen = new HashSet<>();
            for (String r : op.reads()) {
                if (!regs.contains(op.engine() + "." + r)) {
                    errors.add(op.mnemonic() + ": reads register " + r + ", which engine " + op.engine() + " does not have");
                }
                if (!seen.add(r)) errors.add(op.mnemonic() + ": reads register " + r + " twice");
            }
        }
    }

    private static void checkRegs(IsaTable t, List<String> errors) {
        Map<String, String> ids = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (IsaTable.RegSpec r : t.regs()) {
            if (r.id() < 1 || r.id() > 255) {
                errors.add("register " + r.engine() + "." + r.name() + " id " + r.id() + " outside 1..255");
            }
            String prev = ids.putIfAbsent(r.engine() + "#" + r.id(), r.name());
            if (prev != null) {
                errors.add("register id overlap: " + r.engine() + " id " + r.id() + " is both " + prev + " and " + r.name());
            }
            if (!names.add(r.engine() + "." + r.name())) {
                errors.add("register " + r.engine() + "." + r.name() + " defined twice");
            }
            if (r.engine() == Engine.CTL) errors.add("register " + r.name() + ": CTL has no register file");
        }
    }
}
