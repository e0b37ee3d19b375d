package dev.cnnip.emulator.exec;

import dev.cnnip.emulator.mem.MemoryView;
import dev.cnnip.emulator.mem.Sram;
import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Reg;

/**
 * Operand checks and bulk element transfers shared by the instruction kernels. Every check throws an
 * {@link ExecFault} with a one-line message; kernels run all checks before the first write, so a
 * faulting instruction has no effect.
 */
final class Operands {
    private Operands() {}

    /** Register value that must be {@code >= 0} (a count or dimension). */
    static int count(RegisterFile r, Reg reg) {
        int v = r.get(reg);
        if (v < 0) throw ExecFault.operand("register " + reg.asm() + " = " + v + " must be >= 0");
        return v;
    }

    /** Register value that must be {@code >= 1} (a stride, dilation or divisor). */
    static int positive(RegisterFile r, Reg reg) {
        int v = r.get(reg);
        if (v < 1) throw ExecFault.operand("register " + reg.asm() + " = " + v + " must be >= 1");
        return v;
    }

    /** Integer element type of field {@code f}; {@code f32} faults. */
    static ElemType integer(Insn insn, F f) {
        ElemType t = insn.type(f);
        if (!t.isInteger()) {
            throw ExecFault.operand("element type " + t.asm() + " of field " + f.asm() + " is not supported by "
                    + insn.op().mnemonic() + " (integer types only)");
        }
        return t;
    }

    /** The product of non-negative factors, or a fault naming {@code what} when it overflows 63 bits. */
    static long product(String what, long... factors) {
        long p = 1;
        try {
            for (long f : factors) p = Math.multiplyExact(p, f);
        } catch (ArithmeticException e) {
            throw ExecFault.operand("size of " + what + " overflows");
        }
        return p;
    }

    /** Faults unless {@code [address, address + length)} lies in SRAM. */
    static void sram(Sram s, long address, long length, boolean write, String what) {
        range("SRAM", s, address, length, write, what);
    }

    /**
     * Faults unless {@code [address, address + length)} lies in {@code mem} (named {@code space}) and its
     * guard (the instruction's declared footprint) allows it. This is the one place every kernel passes
     * with each operand's whole range before touching it.
     */
    static void range(String space, MemoryView mem, long address, long length, boolean write, String what) {
        if (length <= 0) return;
        if (!mem.contains(address, length)) {
            throw new ExecFault(ExecFault.Cause.MEMORY_RANGE, space + " " + (write ? "write" : "read") + " of " + what
                    + " " + hexRange(address, address + length) + " outside " + space + " of 0x"
                    + Long.toHexString(mem.size()) + " bytes");
        }
        String denied = mem.guard().check(address, length, write, what);
        if (denied != null) {
            throw new ExecFault(ExecFault.Cause.FOOTPRINT, space + " " + (write ? "write" : "read") + " of " + what
                    + " " + hexRange(address, address + length) + " " + denied);
        }
    }

    /** {@code [0xlo, 0xhi)}; negative bounds print with a minus sign. */
    static String hexRange(long lo, long hi) {
        return "[" + hex(lo) + ", " + hex(hi) + ")";
    }

    private static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n} (int arithmetic, wrapping). */
    static void readInts(Sram s, ElemType t, long address, int n, int[] dst, int sub) {
        switch (t) {
            case U8 -> { for (int i = 0; i < n; i++) dst[i] = s.u8(address + i) - sub; }
            case S8 -> { for (int i = 0; i < n; i++) dst[i] = s.s8(address + i) - sub; }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = s.u16(address + 2L * i) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = s.s16(address + 2L * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = s.s32(address + 4L * i) - sub; }
        }
    }

    /** {@code dst[i] = element i of type t at address − sub} for {@code i < n}, in 64-bit arithmetic. */
    static void readLongs(Sram s, ElemType t, long address, int n, long[] dst, long sub) {
        switch (t) {
            case U8 -> { for (int i = 0; i < n; i++) dst[i] = s.u8(address + i) - sub; }
            case S8 -> { for (int i = 0; i < n; i++) dst[i] = s.s8(address + i) - sub; }
            case U16 -> { for (int i = 0; i < n; i++) dst[i] = s.u16(address + 2L * i) - sub; }
            case S16 -> { for (int i = 0; i < n; i++) dst[i] = s.s16(address + 2L * i) - sub; }
            case S32, F32 -> { for (int i = 0; i < n; i++) dst[i] = s.s32(address + 4L * i) - sub; }
        }
    }

    /** Stores {@code src[i]} as element {@code i} of type {@code t} at {@code address}, for {@code i < n} (low bytes, no saturation). */
    static void writeInts(Sram s, ElemType t, long address, int n, int[] src) {
        switch (t.bytes()) {
            case 1 -> { for (int i = 0; i < n; i++) s.put8(address + i, src[i]); }
            case 2 -> { for (int i = 0; i < n; i++) s.put16(address + 2L * i, src[i]); }
            default -> { for (int i = 0; i < n; i++) s.put32(address + 4L * i, src[i]); }
        }
    }
}
