package dev.cnnip.isa;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes instructions to 128-bit little-endian words and decodes them back, using only the positions
 * in {@link Format}. Bit {@code i} of the word is bit {@code i % 8} of byte {@code i / 8}.
 */
public final class InsnCodec {
    private InsnCodec() {}

    /** The 16 bytes of {@code insn}. */
    public static byte[] encode(Insn insn) {
        long[] w = new long[2];
        put(w, 0, 8, insn.op().code());
        put(w, 8, Isa.SEMAPHORES, insn.waitMask());
        put(w, 24, Isa.SEMAPHORES, insn.signalMask());
        long[] vals = insn.operands();
        List<FieldPos> fields = insn.op().format().operands();
        for (int i = 0; i < fields.size(); i++) {
            FieldPos p = fields.get(i);
            put(w, p.lsb(), p.field().width(), vals[i]);
        }
        byte[] out = new byte[Isa.BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (w[0] >>> (8 * i));
            out[8 + i] = (byte) (w[1] >>> (8 * i));
        }
        return out;
    }

    /** Encodes a list of instructions into consecutive 16-byte words. */
    public static byte[] encodeAll(List<Insn> insns) {
        byte[] out = new byte[insns.size() * Isa.BYTES];
        for (int i = 0; i < insns.size(); i++) System.arraycopy(encode(insns.get(i)), 0, out, i * Isa.BYTES, Isa.BYTES);
        return out;
    }

    /** Decodes the word at {@code offset}; throws {@link IllegalInstructionException} for invalid words. */
    public static Insn decode(byte[] code, int offset) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            lo |= (code[offset + i] & 0xFFL) << (8 * i);
            hi |= (code[offset + 8 + i] & 0xFFL) << (8 * i);
        }
        long[] w = {lo, hi};
        int opc = (int) get(w, 0, 8);
        Opcode op = Opcode.fromCode(opc);
        if (op == null) throw new IllegalInstructionException(String.format("unknown opcode 0x%02x", opc));
        long[] usedMask = new long[2];
        markUsed(usedMask, 0, 40);
        List<FieldPos> fields = op.format().operands();
        long[] vals = new long[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            FieldPos p = fields.get(i);
            long raw = get(w, p.lsb(), p.field().width());
            vals[i] = p.field().kind() == FieldKind.SINT ? signExtend(raw, p.field().width()) : raw;
            markUsed(usedMask, p.lsb(), p.field().width());
        }
        if ((lo & ~usedMask[0]) != 0 || (hi & ~usedMask[1]) != 0) {
            throw new IllegalInstructionException(op.mnemonic() + ": reserved bits set");
        }
        try {
            return Insn.create(op, vals, (int) get(w, 8, Isa.SEMAPHORES), (int) get(w, 24, Isa.SEMAPHORES));
        } catch (IllegalArgumentException e) {
            throw new IllegalInstructionException(e.getMessage());
        }
    }

    /**
     * Decodes a whole code section; the first invalid word throws an {@link IllegalInstructionException}
     * naming its index.
     */
    public static List<Insn> decodeAll(byte[] code) {
        if (code.length % Isa.BYTES != 0) {
            throw new IllegalInstructionException("code size " + code.length + " is not a multiple of " + Isa.BYTES);
        }
        List<Insn> out = new ArrayList<>(code.length / Isa.BYTES);
        for (int i = 0; i < code.length / Isa.BYTES; i++) {
            try {
                out.add(decode(code, i * Isa.BYTES));
            } catch (IllegalInstructionException e) {
                throw new IllegalInstructionException("instruction " + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** 32 hex digits, most significant first, as {@code $readmemh} expects (element 0 in the low bits). */
    public static String toHex(byte[] word) {
        StringBuilder sb = new StringBuilder(32);
        for (int i = Isa.BYTES - 1; i >= 0; i--) sb.append(String.format("%02x", word[i] & 0xFF));
        return sb.toString();
    }

    /** Parses 32 hex digits written by {@link #toHex}. */
    public static byte[] fromHex(String hex) {
        String h = hex.trim();
        if (h.length() != 32) throw new IllegalArgumentException("expected 32 hex digits, got '" + h + "'");
        byte[] out = new byte[Isa.BYTES];
        for (int i = 0; i < Isa.BYTES; i++) {
            out[Isa.BYTES - 1 - i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static long signExtend(long raw, int width) {
        return width >= 64 ? raw : (raw << (64 - width)) >> (64 - width);
    }

    private static void markUsed(long[] mask, int lsb, int width) {
        put(mask, lsb, width, width >= 64 ? -1L : (1L << width) - 1);
    }

    static long get(long[] w, int lsb, int width) {
        long mask = width >= 64 ? -1L : (1L << width) - 1;
        long v;
        if (lsb >= 64) {
            v = w[1] >>> (lsb - 64);
        } else if (lsb + width <= 64) {
            v = w[0] >>> lsb;
        } else {
            v = (w[0] >>> lsb) | (w[1] << (64 - lsb));
        }
        return v & mask;
    }

    static void put(long[] w, int lsb, int width, long value) {
        long mask = width >= 64 ? -1L : (1L << width) - 1;
        long v = value & mask;
        if (lsb >= 64) {
            w[1] |= v << (lsb - 64);
        } else {
            w[0] |= v << lsb;
            if (lsb + width > 64) w[1] |= v >>> (64 - lsb);
        }
    }
}
