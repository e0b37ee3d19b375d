package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.isa.table.LookupTable;
import dev.cnnip.isa.table.QuantEntry;
import java.util.List;

/**
 * Concatenation along one physical axis: every input, viewed as {@code [outer][inner_i]} in physical
 * order, is copied into the output's {@code [outer][inner_out]} rows at its offset; inputs whose
 * quantization differs from the output's pass through a requantizing lookup table on the way.
 *
 * @param outer  product of the physical dimensions before the concatenation axis
 * @param inners per input, elements from the axis on (its slice of an output row)
 * @param tables per input, DRAM address of its requantization table, or -1 to copy unchanged: for an 8-bit input a
 *               256-entry {@code pp.lut} table of the output type; for a 16-bit input two {@code QuantEntry}s (the
 *               input's then the output's scale and zero point) for a {@code pp.dequant} to float32 and a
 *               {@code pp.quant} back (ONNX Runtime's float DequantizeLinear → QuantizeLinear)
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
        boolean viaFloat = false;
        for (int k = 0; k < inputs.size(); k++) viaFloat |= throughFloat(k);
        long room = sramBytes - 2 * SramArena.align(tableBytes()) - (viaFloat ? 10L : 8L) * SramArena.ALIGN;
        long maxInner = 0;
        for (long i : inners) maxInner = Math.max(maxInner, i);
        long rowBytes = maxInner * (4L * eb + (viaFloat ? 8 : 0)); // in and out pairs, and a float32 pair
        if (room <= 0 || rowBytes > room) throw new BackendException("layer '" + name + "' (Concat) rows of "
                + maxInner * eb + " bytes do not fit in " + sramBytes + " bytes of SRAM");
        long rowsPerTile = Math.max(1, room / rowBytes);
        long tbl = arena.alloc(tableBytes());
        long[] in = arena.allocPair(rowsPerTile * maxInner * eb);
        long[] out = arena.allocPair(rowsPerTile * maxInner * eb);
        long[] f = viaFloat ? arena.allocPair(rowsPerTile * maxInner * 4) : null;
        return em -> emit(em, rowsPerTile, tbl, in, out, f);
    }

    /** Whether input {@code k} is requantized through float32 (16-bit codes) rather than a lookup table. */
    private boolean throughFloat(int k) {
        return tables[k] >= 0 && inputs.get(k).dtype().size() > 1;
    }

    /** Bytes of an 8-bit input's requantization table (one output element per code); the 16-bit entries are smaller. */
    private long tableBytes() {
        return LookupTable.bytes(ElemType.U8, ElemType.of(y.dtype()));
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long rowsPerTile, long tbl, long[] in, long[] out, long[] f) {
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
            boolean viaFloat = throughFloat(k);
            if (requant) Dma.load(em, tables[k], tbl, viaFloat ? 2L * QuantEntry.BYTES : tableBytes());
            for (long r0 = 0; r0 < outer; r0 += rowsPerTile) {
                em.tile(tile++);
                long rows = Math.min(rowsPerTile, outer - r0);
                int ib = x.dtype().size(); // an input's element size differs from the output's only through a table
                Dma.load(em, x.address() + r0 * inner * ib, in[par], rows * inner * ib);
                long src = in[par];
                if (viaFloat) {
                    em.set(Engine.PP, Reg.PP_N, (int) (rows * inner));
                    em.set(Engine.PP, Reg.PP_C, 1);
                    em.set(Engine.PP, Reg.PP_INNER, 1);
                    em.emit(Insn.of(Opcode.PP_DEQUANT).with(F.SRC, in[par]).with(F.PRM, tbl).with(F.DST, f[par])
                            .type(F.IT, it).build());
                    em.emit(Insn.of(Opcode.PP_QUANT).with(F.SRC, f[par]).with(F.PRM, tbl + QuantEntry.BYTES)
                            .with(F.DST, out[par]).type(F.OT, ElemType.of(y.dtype())).build());
                    src = out[par];
                } else if (requant) {
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
