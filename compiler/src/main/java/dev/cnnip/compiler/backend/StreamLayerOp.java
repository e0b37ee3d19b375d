package dev.cnnip.compiler.backend;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import java.util.List;

/**
 * Element-wise layers streamed in chunks: the constant table (if any) is loaded once, then per chunk LD
 * the operands, PP computes, ST writes the result; chunks are double buffered.
 */
record StreamLayerOp(String name, String op, List<String> nodes, StreamSpec spec) implements LayerOp {
    @Override
    public List<TensorRef> inputs() {
        return spec.b() == null ? List.of(spec.a()) : List.of(spec.a(), spec.b());
    }

    @Override
    public List<TensorRef> outputs() {
        return List.of(spec.y());
    }


    /** Elements from which a layer is streamed as {@link #PIPELINE_CHUNKS} chunks or more. */
    static final long PIPELINE_ELEMENTS = 65536;

    /** Chunks a large layer is split into at least. */
    static final int PIPELINE_CHUNKS = 4;

    @Override
    public Emission lower(SramArena arena, long sramBytes) {
        return lower(arena, sramBytes, Residency.NONE);
    }

    /**
     * Chunks sized to double-buffer the operands that live in DRAM; an operand or output resident in SRAM
     * ({@link Residency}) is read or written in place (element e at its address + e × element bytes, the
     * physical order the stream walks), and an output resident in SRAM only is not stored.
     */
    @Override
    public Emission lower(SramArena arena, long sramBytes, Residency residency) {
        StreamSpec s = spec;
        long total = s.y().elements();
        long aRes = residency.address(s.a());
        long bRes = bb() > 0 ? residency.address(s.b()) : -1;
        long yRes = residency.address(s.y());
        boolean store = !residency.sramOnly(s.y());
        int ab = aRes >= 0 ? 0 : s.at().bytes();
        int bb = bRes >= 0 ? 0 : bb();
        int yb = yRes >= 0 ? 0 : s.yt().bytes();
        long align = s.kind() == StreamSpec.Kind.QUANTIZE || s.kind() == StreamSpec.Kind.DEQUANTIZE
                ? (long) s.channels() * s.inner() : 1;
        if (s.channels() == 1) align = 1;
        if (s.bmod() > 0) align = s.bmod(); // every chunk starts at B[0]
        long fixed = (s.table() >= 0 ? SramArena.align(s.tableBytes()) : 0)
                + (s.bScalar() ? SramArena.align((long) s.bHeld() * s.bt().bytes()) : 0);
        long perElem = 2L * (ab + bb + yb);
        long room = sramBytes - fixed - 6L * SramArena.ALIGN;
        long chunk = perElem == 0 ? (room >= 0 ? total : 0)
                : Math.min(total, Math.max(0, room / perElem)) / align * align;
        if (chunk > 0 && (perElem == 0 || total >= PIPELINE_ELEMENTS)) {
            // Large layers (and layers with everything in SRAM) still run as a few chunks, so that loading one
            // overlaps processing the previous one and the next layer starts on the first; whole multiples of
            // the alignment.
            chunk = Math.min(chunk, Math.max(align, ConvPlan.ceil((int) Math.min(total, Integer.MAX_VALUE), PIPELINE_CHUNKS) / align * align));
        }
        if (chunk <= 0) {
            throw new BackendException("layer '" + name + "' (" + op + ") does not fit in SRAM of " + sramBytes + " bytes");
        }
        long tbl = s.table() >= 0 ? arena.alloc(s.tableBytes()) : -1;
        long bScalarBuf = s.bScalar() ? arena.alloc((long) s.bHeld() * s.bt().bytes()) : -1;
        long[] aBuf = aRes >= 0 ? null : arena.allocPair(chunk * ab);
        long[] bBuf = bb > 0 ? arena.allocPair(chunk * bb) : null;
        long[] yBuf = yRes >= 0 ? null : arena.allocPair(chunk * yb);
        long fChunk = chunk;
        return em -> emit(em, fChunk, tbl, bScalarBuf, aBuf, bBuf, yBuf, aRes, bRes, yRes, store);
    }

    /** Emits the instructions into the buffers {@link #lower} placed (−1: the operand is not resident). */
    private void emit(Emitter em, long chunk, long tbl, long bScalarBuf, long[] aBuf, long[] bBuf, long[] yBuf,
                      long aRes, long bRes, long yRes, boolean store) {
        StreamSpec s = spec;
        long total = s.y().elements();
        int ab = s.at().bytes();
        int bb = bb();
        int yb = s.yt().bytes();
        em.tile(0);
        if (tbl >= 0) Dma.load(em, s.table(), tbl, s.tableBytes());
        if (bScalarBuf >= 0) Dma.load(em, s.b().address(), bScalarBuf, (long) s.bHeld() * s.bt().bytes());
        em.set(Engine.PP, s.regs());
        if (s.kind() == StreamSpec.Kind.ADD || s.kind() == StreamSpec.Kind.MUL) em.set(Engine.PP, Reg.PP_BMOD, s.bmod());
        int par = 0;
        int tile = 0;
        for (long e0 = 0; e0 < total; e0 += chunk) {
            em.tile(tile++);
            long n = Math.min(chunk, total - e0);
            long a;
            if (aRes >= 0) {
                a = aRes + e0 * ab;
            } else {
                a = aBuf[par];
                Dma.load(em, s.a().address() + e0 * ab, a, n * ab);
            }
            long bAddr;
            if (s.bScalar()) {
                bAddr = bScalarBuf;
            } else if (bRes >= 0) {
                bAddr = bRes + e0 * bb;
            } else if (bBuf != null) {
                bAddr = bBuf[par];
                Dma.load(em, s.b().address() + e0 * bb, bAddr, n * bb);
            } else {
                bAddr = -1;
            }
            long y = yRes >= 0 ? yRes + e0 * yb : yBuf[par];
            em.set(Engine.PP, Reg.PP_N, (int) n);
            Insn insn = switch (s.kind()) {
                case QUANTIZE -> {
                    yield Insn.of(Opcode.PP_QUANT).with(F.SRC, a).with(F.PRM, tbl).with(F.DST, y)
                            .type(F.OT, s.yt()).build();
                }
                case DEQUANTIZE -> {
                    yield Insn.of(Opcode.PP_DEQUANT).with(F.SRC, a).with(F.PRM, tbl).with(F.DST, y)
                            .type(F.IT, s.at()).build();
                }
                case LUT -> {
                    yield Insn.of(Opcode.PP_LUT).with(F.SRC, a).with(F.TBL, tbl).with(F.DST, y)
                            .type(F.IT, s.at()).type(F.OT, s.yt()).build();
                }
                case ADD, MUL -> {
                    yield Insn.of(s.kind() == StreamSpec.Kind.ADD ? Opcode.PP_ADD : Opcode.PP_MUL).with(F.A, a).with(F.B, bAddr).with(F.DST, y)
                            .type(F.AT, s.at()).type(F.BT, s.bt()).type(F.OT, s.yt())
                            .with(F.MODE, s.intMode() ? 1 : 0).flag(F.BSCALAR, s.scalarRecipe()).build();
                }
            };
            em.emit(insn);
            if (store) Dma.store(em, y, s.y().address() + e0 * yb, n * yb);
            par ^= 1;
        }
    }

    /** Bytes per element of B streamed with A (0 when B is held once or absent). */
    private int bb() {
        return spec.bScalar() || spec.b() == null ? 0 : spec.bt().bytes();
    }
}
