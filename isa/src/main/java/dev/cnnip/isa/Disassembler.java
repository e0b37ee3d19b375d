package dev.cnnip.isa;

import java.util.List;

/**
 * Canonical assembly text of an instruction: the mnemonic, every operand as {@code name=value} in
 * format order, then {@code wait=…} and {@code signal=…} when non-empty. SET instructions print the
 * registers they write ({@code ex.set ih=16 iw=16}). {@link Assembler#parseLine} reads it back exactly.
 */
public final class Disassembler {
    private Disassembler() {}

    public static String format(Insn insn) {
        StringBuilder sb = new StringBuilder(insn.op().mnemonic());
        if (insn.op().format() == Format.SET) {
            appendReg(sb, insn.reg1(), insn.get(F.V1));
            appendReg(sb, insn.reg2(), insn.get(F.V2));
        } else {
            List<FieldPos> fields = insn.op().format().operands();
            long[] vals = insn.operands();
            for (int i = 0; i < fields.size(); i++) {
                F f = fields.get(i).field();
                sb.append(' ').append(f.asm()).append('=').append(value(f, vals[i]));
            }
        }
        if (insn.waitMask() != 0) sb.append(" wait=").append(mask(insn.waitMask()));
        if (insn.signalMask() != 0) sb.append(" signal=").append(mask(insn.signalMask()));
        return sb.toString();
    }

    private static void appendReg(StringBuilder sb, Reg r, long v) {
        if (r == null) return;
        sb.append(' ').append(r.asm()).append('=');
        sb.append(r.floatBits() ? String.format("0x%08x", (int) v) : Long.toString(v));
    }

    static String value(F f, long v) {
        return switch (f.kind()) {
            case UINT, SINT, FLAG -> Long.toString(v);
            case ADDR -> String.format("0x%0" + ((f.width() + 3) / 4) + "x", v);
            case TYPE -> ElemType.fromCode((int) v).asm();
            case MODE -> v == 0 ? "f32" : "int";
            case REG -> Long.toString(v);
            case SEMMASK -> mask((int) v);
        };
    }

    /** Semaphore numbers of a mask, comma-separated ({@code 0,3}). */
    public static String mask(int m) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Isa.SEMAPHORES; i++) {
            if ((m & (1 << i)) != 0) {
                if (sb.length() > 0) sb.append(',');
                sb.append(i);
            }
        }
        return sb.toString();
    }
}
