package dev.cnnip.emulator.exec;

import dev.cnnip.isa.Reg;

/**
 * The PP pooling registers both {@code pp.maxpool} and {@code pp.avgpool} read: an HWC input tile
 * (ih × iw × c), the output tile (oh × ow × c), window, strides, dilations and leading pads. Reading
 * faults on negative sizes and on strides or dilations below 1.
 */
record PoolWindow(int ih, int iw, int c, int oh, int ow, int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl) {
    static PoolWindow read(RegisterFile r) {
        return new PoolWindow(Operands.count(r, Reg.PP_IH), Operands.count(r, Reg.PP_IW), Operands.count(r, Reg.PP_C),
                Operands.count(r, Reg.PP_OH), Operands.count(r, Reg.PP_OW), Operands.count(r, Reg.PP_KH),
                Operands.count(r, Reg.PP_KW), Operands.positive(r, Reg.PP_SH), Operands.positive(r, Reg.PP_SW),
                Operands.positive(r, Reg.PP_DH), Operands.positive(r, Reg.PP_DW), r.get(Reg.PP_PT), r.get(Reg.PP_PL));
    }

    /** Input elements. */
    long inputs() {
        return Operands.product("src", ih, iw, c);
    }

    /** Output elements. */
    long outputs() {
        return Operands.product("dst", oh, ow, c);
    }

    /** Input row of tap {@code ky} for output row {@code oy} (may lie outside [0, ih)). */
    long row(int oy, int ky) {
        return (long) oy * sh - pt + (long) ky * dh;
    }

    /** Input column of tap {@code kx} for output column {@code ox} (may lie outside [0, iw)). */
    long col(int ox, int kx) {
        return (long) ox * sw - pl + (long) kx * dw;
    }
}
