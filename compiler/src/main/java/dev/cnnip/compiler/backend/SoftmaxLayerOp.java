package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.SoftmaxTable;
import java.util.List;

/**
 * Softmax over the innermost physical axis ({@code c} elements a row): the exponential table is loaded
 * once, then rows are streamed through {@code pp.softmax} in chunks; without a table (16-bit codes), rows are
 * streamed through {@code pp.softmaxf}, which computes in float.
 *
 * @param table DRAM address of the 256 float32 exponentials, or -1 for {@code pp.softmaxf}
 * @param regs  PP register values ({@code pp.softmax}: output scaling and zero point; {@code pp.softmaxf}: input and
 *              output scales, zero points and output code range)
 */
record SoftmaxLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int c, long table, RegWrites regs)
        implements LayerOp {
    @Override
    public String op() {
        return "Softmax";
    }

    @Override
    public List<TensorRef> inputs() {
        return List.of(x);
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(y);
    }


    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        int ib = x.dtype().size();
        int ob = y.dtype().size();
        long rows = x.elements() / c;
        long tableBytes = table >= 0 ? SoftmaxTable.BYTES : 0;
        long rowsPerTile = Math.min(rows, (sramBytes - tableBytes - 6L * SramArena.ALIGN) / (2L * c * (ib + ob)));
        if (rowsPerTile < 1) throw new BackendException("layer '" + name + "' (Softmax) row of " + c + " elements does not fit in SRAM");
        long tbl = table >= 0 ? arena.alloc(SoftmaxTable.BYTES) : -1;
        long[] in = arena.allocPair(rowsPerTile * c * ib);
        long[] out = arena.allocPair(rowsPerTile * c * ob);
        return em -> emit(em, rowsPerTile, tbl, in, out);
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long rowsPerTile, long tbl, long[] in, long[] out) {
        int ib = x.dtype().size();
        int ob = y.dtype().size();
        long rows = x.elements() / c;
        em.tile(0);
        if (table >= 0) Dma.load(em, table, tbl, SoftmaxTable.BYTES);
        em.set(Engine.PP, regs);
        em.set(Engine.PP, Reg.PP_C, c);
        int par = 0;
        int tile = 0;
        for (long r0 = 0; r0 < rows; r0 += rowsPerTile) {
            em.tile(tile++);
            long rr = Math.min(rowsPerTile, rows - r0);
            Dma.load(em, x.address() + r0 * c * ib, in[par], rr * c * ib);
            em.set(Engine.PP, Reg.PP_N, (int) rr);
            if (table >= 0) {
                em.emit(Insn.of(Opcode.PP_SOFTMAX).with(F.SRC, in[par]).with(F.EXP, tbl).with(F.DST, out[par])
                                .type(F.DT, ElemType.of(x.dtype())).build());
            } else {
                em.emit(Insn.of(Opcode.PP_SOFTMAXF).with(F.SRC, in[par]).with(F.DST, out[par])
                                .type(F.IT, ElemType.of(x.dtype())).type(F.OT, ElemType.of(y.dtype())).build());
            }
            Dma.store(em, out[par], y.address() + r0 * c * ob, rr * c * ob);
            par ^= 1;
        }
    }
}
