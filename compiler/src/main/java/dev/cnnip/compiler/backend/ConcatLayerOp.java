package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.LookupTable;
import java.util.List;

/**
 * Concatenation along one physical axis: every input, viewed as {@code [outer][inner_i]} in physical
 * order, is copied into the output's {@code [outer][inner_out]} rows at its offset; inputs whose
 * quantization differs from the output's pass through a requantizing lookup table on the way.
 *
 * @param outer  product of the physical dimensions before the concatenation axis
 * @param inners per input, elements from the axis on (its slice of an output row)
 * @param tables per input, DRAM address of its requantization table ({@code pp.lut}: 256 entries for an 8-bit input,
 *               65,536 for a 16-bit one, each of the output type), or -1 to copy unchanged
 */
record ConcatLayerOp(String name, List<String> nodes, List<TensorRef> inputs, TensorRef y, long outer, long[] inners,
                     long[] tables) implements LayerOp {
    @Override
    public String op() {
        return "Concat";
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(y);
    }


    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        int eb = y.dtype().size(); // buffers hold the wider of the input and output elements
        for (TensorRef x : inputs) eb = Math.max(eb, x.dtype().size());
        long innerOut = 0;
        for (long i : inners) innerOut += i;
        long room = sramBytes - 2 * SramArena.align(tableBytes()) - 8L * SramArena.ALIGN;
        long maxInner = 0;
        for (long i : inners) maxInner = Math.max(maxInner, i);
        // a 16-bit input's table alone is 65,536 output elements (128 KiB for 16-bit outputs)
        if (room <= 0 || maxInner * eb * 4 > room) throw new BackendException("layer '" + name + "' (Concat) rows of "
                + maxInner * eb + " bytes and a requantization table of " + tableBytes() + " bytes do not fit in "
                + sramBytes + " bytes of SRAM");
        long rowsPerTile = Math.max(1, room / (4 * maxInner * eb));
        long tbl = arena.alloc(tableBytes());
        long[] in = arena.allocPair(rowsPerTile * maxInner * eb);
        long[] out = arena.allocPair(rowsPerTile * maxInner * eb);
        return em -> emit(em, rowsPerTile, tbl, in, out);
    }

    /**
     * Bytes of the largest requantization table: one output element per input code (256 codes for an 8-bit input,
     * 65,536 for a 16-bit one); at least the 8-bit size, so programs without 16-bit inputs keep their layout.
     */
    private long tableBytes() {
        ElemType ot = ElemType.of(y.dtype());
        long bytes = LookupTable.bytes(ElemType.U8, ot);
        for (int k = 0; k < inputs.size(); k++) {
            if (tables[k] >= 0) bytes = Math.max(bytes, LookupTable.bytes(ElemType.of(inputs.get(k).dtype()), ot));
        }
        return bytes;
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long rowsPerTile, long tbl, long[] in, long[] out) {
        int eb = y.dtype().size();
        long innerOut = 0;
        for (long i : inners) innerOut += i;
        int par = 0;
        int tile = 0;
        long offset = 0;
        for (int k = 0; k < inputs.size(); k++) {
            TensorRef x = inputs.get(k);
            long inner = inners[k];
            boolean requant = tables[k] >= 0;
            ElemType it = ElemType.of(x.dtype());
            if (requant) Dma.load(em, tables[k], tbl, LookupTable.bytes(it, ElemType.of(y.dtype())));
            for (long r0 = 0; r0 < outer; r0 += rowsPerTile) {
                em.tile(tile++);
                long rows = Math.min(rowsPerTile, outer - r0);
                int ib = x.dtype().size(); // an input's element size differs from the output's only through a table
                Dma.load(em, x.address() + r0 * inner * ib, in[par], rows * inner * ib);
                long src = in[par];
                if (requant) {
                    em.set(Engine.PP, Reg.PP_N, (int) (rows * inner));
                    em.emit(Insn.of(Opcode.PP_LUT).with(F.SRC, in[par]).with(F.TBL, tbl).with(F.DST, out[par])
                                    .type(F.IT, it).type(F.OT, ElemType.of(y.dtype())).build());
                    src = out[par];
                }
                Dma.store(em, src, y.address() + (r0 * innerOut + offset) * eb, inner * eb,
                        new Dma.Loop((int) rows, innerOut * eb, inner * eb));
                par ^= 1;
            }
            offset += inner;
        }
    }
}
