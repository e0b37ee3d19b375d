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
 * once, then rows are streamed through {@code pp.softmax} in chunks (16-bit codes, which a table cannot
 * cover, go through {@code pp.softmaxf}: {@link FloatRowsLayerOp}).
 *
 * @param table DRAM address of the 256 float32 exponentials
 * @param regs  PP register values (output scaling and zero point)
 */
record SoftmaxLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int c, long table, RegWrites regs)
        implements LayerOp {
    SoftmaxLayerOp {
        if (table < 0) throw new IllegalArgumentException("layer '" + name + "': pp.softmax needs its table");
    }

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
        long rowsPerTile = Math.min(rows, (sramBytes - SoftmaxTable.BYTES - 6L * SramArena.ALIGN) / (2L * c * (ib + ob)));
        if (rowsPerTile < 1) throw new BackendException("layer '" + name + "' (Softmax) row of " + c + " elements does not fit in SRAM");
        long tbl = arena.alloc(SoftmaxTable.BYTES);
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
        Dma.load(em, table, tbl, SoftmaxTable.BYTES);
        em.set(Engine.PP, regs);
        em.set(Engine.PP, Reg.PP_C, c);
        int par = 0;
        int tile = 0;
        for (long r0 = 0; r0 < rows; r0 += rowsPerTile) {
            em.tile(tile++);
            long rr = Math.min(rowsPerTile, rows - r0);
            Dma.load(em, x.address() + r0 * c * ib, in[par], rr * c * ib);
            em.set(Engine.PP, Reg.PP_N, (int) rr);
            em.emit(Insn.of(Opcode.PP_SOFTMAX).with(F.SRC, in[par]).with(F.EXP, tbl).with(F.DST, out[par])
                    .type(F.DT, ElemType.of(x.dtype())).build());
            Dma.store(em, out[par], y.address() + r0 * c * ob, rr * c * ob);
            par ^= 1;
        }
    }
}
