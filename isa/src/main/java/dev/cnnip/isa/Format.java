package dev.cnnip.isa;

import java.util.Arrays;
import java.util.List;

/**
 * Operand layouts. Every instruction word holds the header (opcode bits 0-7, wait mask bits 8-23,
 * signal mask bits 24-39) followed by the operand fields of its format; unused bits are reserved and
 * must be zero.
 */
public enum Format {
    NONE(),
    LAYER(p(F.ID, 40)),
    TRAP(p(F.CODE, 40)),
    SET(p(F.R1, 40), p(F.V1, 48), p(F.R2, 80), p(F.V2, 88)),
    DMA(p(F.DRAM, 40), p(F.SRAM, 72)),
    CONV(p(F.X, 40), p(F.W, 64), p(F.ACC, 88), p(F.XT, 112), p(F.WT, 115), p(F.ACCUM, 118), p(F.A64, 119),
            p(F.WZPV, 120)),
    REQUANT(p(F.ACC, 40), p(F.PRM, 64), p(F.OUT, 88), p(F.OT, 112), p(F.MODE, 115), p(F.A64, 116)),
    QUANT(p(F.SRC, 40), p(F.PRM, 64), p(F.DST, 88), p(F.OT, 112)),
    DEQUANT(p(F.SRC, 40), p(F.PRM, 64), p(F.DST, 88), p(F.IT, 112)),
    POOL(p(F.SRC, 40), p(F.DST, 64), p(F.DT, 88)),
    ADD(p(F.A, 40), p(F.B, 64), p(F.DST, 88), p(F.AT, 112), p(F.BT, 115), p(F.OT, 118), p(F.MODE, 121),
            p(F.BSCALAR, 122)),
    MUL(p(F.A, 40), p(F.B, 64), p(F.DST, 88), p(F.AT, 112), p(F.BT, 115), p(F.OT, 118), p(F.MODE, 121),
            p(F.BSCALAR, 122)),
    LUT(p(F.SRC, 40), p(F.TBL, 64), p(F.DST, 88), p(F.IT, 112), p(F.OT, 115)),
    SOFTMAX(p(F.SRC, 40), p(F.EXP, 64), p(F.DST, 88), p(F.DT, 112)),
    /** Rows of codes through a float function ({@code pp.lrn}, {@code pp.softmaxf}): source, destination, types. */
    ROWS(p(F.SRC, 40), p(F.DST, 64), p(F.IT, 88), p(F.OT, 91));

    /** The header fields every format starts with. */
    public static final List<FieldPos> HEADER = List.of(p(F.OP, 0), p(F.WAIT, 8), p(F.SIGNAL, 24));

    private final List<FieldPos> operands;
    /** {@link #indexOf} by {@code F.ordinal()}, −1 for a field the format lacks: it runs on every field read. */
    private final int[] indexByField;

    Format(FieldPos... operands) {
        this.operands = List.of(operands);
        this.indexByField = new int[F.values().length];
        Arrays.fill(indexByField, -1);
        for (int i = operands.length - 1; i >= 0; i--) indexByField[operands[i].field().ordinal()] = i;
    }

    private static FieldPos p(F f, int lsb) {
        return new FieldPos(f, lsb);
    }

    /** Operand fields in assembly order (without the header). */
    public List<FieldPos> operands() {
        return operands;
    }

    /** Position of {@code f} in this format, or null. */
    public FieldPos find(F f) {
        for (FieldPos p : operands) if (p.field() == f) return p;
        return null;
    }

    /** Index of {@code f} among the operands; throws naming the format when absent. */
    public int indexOf(F f) {
        int i = indexByField[f.ordinal()];
        if (i >= 0) return i;
        throw new IllegalArgumentException("format " + name() + " has no field '" + f.asm() + "'");
    }
}
