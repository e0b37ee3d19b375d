package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses assembly text into instructions. One instruction per line: a mnemonic followed by
 * {@code name=value} operands in any order (omitted operands are 0) and optional
 * {@code wait=0,3} / {@code signal=1}. Comments start with {@code ;} or {@code #}; blank lines and
 * lines starting with {@code .} (directives, handled by program-level assemblers) are skipped by
 * {@link #assemble}. Numbers are decimal or {@code 0x} hex; float-bit registers also accept
 * {@code f:1.5}.
 */
public final class Assembler {
    private Assembler() {}

    /** Instructions of all non-directive lines. */
    public static List<Insn> assemble(String text) {
        List<Insn> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = stripComment(lines[i]).trim();
            if (l.isEmpty() || l.startsWith(".")) continue;
            out.add(parseLine(l, i + 1));
        }
        return out;
    }

    /** The line without its comment. */
    public static String stripComment(String line) {
        int c = line.length();
        int a = line.indexOf(';');
        int b = line.indexOf('#');
        if (a >= 0) c = Math.min(c, a);
        if (b >= 0) c = Math.min(c, b);
        return line.substring(0, c);
    }

    /** Parses one instruction; {@code lineNo} is used in error messages (0: unknown). */
    public static Insn parseLine(String line, int lineNo) {
        String[] tok = stripComment(line).trim().split("\\s+");
        if (tok.length == 0 || tok[0].isEmpty()) throw new AsmException(lineNo, "empty instruction");
        Opcode op = Opcode.fromMnemonic(tok[0]);
        if (op == null) throw new AsmException(lineNo, "unknown mnemonic '" + tok[0] + "'");
        Insn.Builder b = Insn.of(op);
        int setCount = 0;
        for (int i = 1; i < tok.length; i++) {
            String t = tok[i];
            int eq = t.indexOf('=');
            if (eq <= 0) throw new AsmException(lineNo, "expected name=value, got '" + t + "'");
            String key = t.substring(0, eq);
            String val = t.substring(eq + 1);
            try {
                if (key.equals("wait")) {
                    b.waitMask(parseMask(val));
                } else if (key.equals("signal")) {
                    b.signalMask(parseMask(val));
                } else if (op.format() == Format.SET) {
                    Reg r = Reg.byName(op.engine(), key);
                    if (r == null) {
                        throw new AsmException(lineNo, op.engine() + " has no register '" + key + "'");
                    }
                    if (setCount == 2) throw new AsmException(lineNo, op.mnemonic() + " writes at most two registers");
                    long v = r.floatBits() ? parseFloatBits(val) : parseNumber(val);
                    if (v > 0xFFFF_FFFFL || v < Integer.MIN_VALUE) {
                        throw new AsmException(lineNo, "value " + val + " of " + key + " does not fit 32 bits");
                    }
                    b.with(setCount == 0 ? F.R1 : F.R2, r.id()).with(setCount == 0 ? F.V1 : F.V2, (int) v);
                    setCount++;
                } else {
                    F f = field(op, key, lineNo);
                    b.with(f, parseValue(f, val));
                }
            } catch (NumberFormatException e) {
                throw new AsmException(lineNo, "bad value '" + val + "' for " + key);
            } catch (IllegalArgumentException e) {
                throw new AsmException(lineNo, e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new AsmException(lineNo, e.getMessage());
        }
    }

    private static F field(Opcode op, String key, int lineNo) {
        for (FieldPos p : op.format().operands()) if (p.field().asm().equals(key)) return p.field();
        List<String> names = new ArrayList<>();
        for (FieldPos p : op.format().operands()) names.add(p.field().asm());
        throw new AsmException(lineNo, op.mnemonic() + " has no field '" + key + "' (fields: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
    }

    private static long parseValue(F f, String v) {
        return switch (f.kind()) {
            case TYPE -> ElemType.fromAsm(v).code();
            case MODE -> switch (v) {
                case "f32", "0" -> 0;
                case "int", "1" -> 1;
                default -> throw new IllegalArgumentException("mode must be f32 or int, not '" + v + "'");
            };
            case SEMMASK -> parseMask(v);
            default -> parseNumber(v);
        };
    }

    static long parseNumber(String v) {
        String s = v.replace("_", "");
        boolean neg = s.startsWith("-");
        if (neg) s = s.substring(1);
        long r = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        return neg ? -r : r;
    }

    private static long parseFloatBits(String v) {
        if (v.startsWith("f:")) return Float.floatToRawIntBits(Float.parseFloat(v.substring(2))) & 0xFFFF_FFFFL;
        return parseNumber(v);
    }

    static int parseMask(String v) {
        int m = 0;
        if (v.isEmpty()) return 0;
        for (String p : v.split(",")) {
            String s = p.startsWith("s") ? p.substring(1) : p;
            int i = Integer.parseInt(s);
            if (i < 0 || i >= Isa.SEMAPHORES) {
                throw new IllegalArgumentException("semaphore " + i + " outside 0.." + (Isa.SEMAPHORES - 1));
            }
            m |= 1 << i;
        }
        return m;
    }
}
