package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Format;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.List;

/**
 * Rows of {@code c} contiguous codes streamed through an instruction of format {@code ROWS}, which runs a
 * float function on each dequantized row ({@code pp.lrn}: a pixel's channels of an NHWC tensor, so the
 * cross-channel window lies inside one row; {@code pp.softmaxf}: a softmax row), in double-buffered chunks
 * (load, compute, store).
 *
 * @param op     the layer's operator name in reports ({@code LRN}, {@code Softmax})
 * @param opcode {@code PP_LRN} or {@code PP_SOFTMAXF}
 * @param c      elements per row
 * @param regs   PP register values (the function's, then scales, zero points and saturation)
 */
record FloatRowsLayerOp(String name, List<String> nodes, String op, Opcode opcode, TensorRef x, TensorRef y, int c,
                        RegWrites regs) implements LayerOp {
    FloatRowsLayerOp {
        if (opcode.format() != Format.ROWS) throw new IllegalArgumentException(opcode.mnemonic() + " is not of format ROWS");
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
        long perTile = Math.min(rows, (sramBytes - 4L * SramArena.ALIGN) / (2L * c * (ib + ob)));
        if (perTile < 1) throw new BackendException("layer '" + name + "' (" + op + ") row of " + c + " elements does not fit in SRAM");
        long[] in = arena.allocPair(perTile * c * ib);
        long[] out = arena.allocPair(perTile * c * ob);
        return em -> emit(em, perTile, in, out);
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long perTile, long[] in, long[] out) {
        int ib = x.dtype().size();
        int ob = y.dtype().size();
        long rows = x.elements() / c;
        em.tile(0);
        em.set(Engine.PP, regs);
        em.set(Engine.PP, Reg.PP_C, c);
        int par = 0;
        int tile = 0;
        for (long p0 = 0; p0 < rows; p0 += perTile) {
            em.tile(tile++);
            long pp = Math.min(perTile, rows - p0);
            Dma.load(em, x.address() + p0 * c * ib, in[par], pp * c * ib);
            em.set(Engine.PP, Reg.PP_N, (int) pp);
            em.emit(Insn.of(opcode).with(F.SRC, in[par]).with(F.DST, out[par]).type(F.IT, ElemType.of(x.dtype()))
                    .type(F.OT, ElemType.of(y.dtype())).build());
            Dma.store(em, out[par], y.address() + p0 * c * ob, pp * c * ob);
            par ^= 1;
        }
    }
}
