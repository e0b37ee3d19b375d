package dev.cnnip.compiler.backend;

import dev.cnnip.isa.ElemType;
import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.List;

/**
 * Local response normalisation across channels of an NHWC tensor: every pixel's {@code c} channels are
 * contiguous, so the cross-channel window lies inside one pixel; pixels are streamed through
 * {@code pp.lrn} in double-buffered chunks (load, normalise, store).
 *
 * @param c    channels per pixel
 * @param regs PP register values (window, alpha/size, beta, bias, scales, zero points, saturation)
 */
record LrnLayerOp(String name, List<String> nodes, TensorRef x, TensorRef y, int c, RegWrites regs) implements LayerOp {
    @Override
    public String op() {
        return "LRN";
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
        long pixels = x.elements() / c;
        long perTile = Math.min(pixels, (sramBytes - 4L * SramArena.ALIGN) / (2L * c * (ib + ob)));
        if (perTile < 1) throw new BackendException("layer '" + name + "' (LRN) pixel of " + c + " channels does not fit in SRAM");
        long[] in = arena.allocPair(perTile * c * ib);
        long[] out = arena.allocPair(perTile * c * ob);
        return em -> emit(em, perTile, in, out);
    }

    /** Emits the instructions into the buffers {@link #lower} placed. */
    private void emit(Emitter em, long perTile, long[] in, long[] out) {
        int ib = x.dtype().size();
        int ob = y.dtype().size();
        long pixels = x.elements() / c;
        em.tile(0);
        em.set(Engine.PP, regs);
        em.set(Engine.PP, Reg.PP_C, c);
        int par = 0;
        int tile = 0;
        for (long p0 = 0; p0 < pixels; p0 += perTile) {
            em.tile(tile++);
            long pp = Math.min(perTile, pixels - p0);
            Dma.load(em, x.address() + p0 * c * ib, in[par], pp * c * ib);
            em.set(Engine.PP, Reg.PP_N, (int) pp);
            em.emit(Insn.of(Opcode.PP_LRN).with(F.SRC, in[par]).with(F.DST, out[par]).type(F.IT, ElemType.of(x.dtype()))
                    .type(F.OT, ElemType.of(y.dtype())).build());
            Dma.store(em, out[par], y.address() + p0 * c * ob, pp * c * ob);
            par ^= 1;
        }
    }
}
