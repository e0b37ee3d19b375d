package dev.cnnip.isa;

import java.util.List;

/** The register sets instructions read, named once for the instruction table ({@link Opcode}). */
final class Reads {
    private Reads() {}

    static final List<Reg> NONE = List.of();
    static final List<Reg> DMA = List.of(Reg.ESZ, Reg.N0, Reg.N1, Reg.N2, Reg.DS0, Reg.DS1, Reg.DS2, Reg.SS0, Reg.SS1,
            Reg.SS2);
    static final List<Reg> CONV = Reg.of(Engine.EX);
    static final List<Reg> REQUANT = List.of(Reg.PP_N, Reg.PP_C, Reg.PP_APITCH, Reg.PP_OPITCH, Reg.PP_OZP, Reg.PP_QMIN,
            Reg.PP_QMAX);
    static final List<Reg> QUANT = List.of(Reg.PP_N, Reg.PP_C, Reg.PP_INNER);
    static final List<Reg> MAXPOOL = List.of(Reg.PP_IH, Reg.PP_IW, Reg.PP_C, Reg.PP_OH, Reg.PP_OW, Reg.PP_KH, Reg.PP_KW,
            Reg.PP_SH, Reg.PP_SW, Reg.PP_DH, Reg.PP_DW, Reg.PP_PT, Reg.PP_PL);
    static final List<Reg> AVGPOOL = List.of(Reg.PP_IH, Reg.PP_IW, Reg.PP_C, Reg.PP_OH, Reg.PP_OW, Reg.PP_KH, Reg.PP_KW,
            Reg.PP_SH, Reg.PP_SW, Reg.PP_DH, Reg.PP_DW, Reg.PP_PT, Reg.PP_PL, Reg.PP_CIP, Reg.PP_XS, Reg.PP_XZP,
            Reg.PP_YS, Reg.PP_OZP, Reg.PP_QMIN, Reg.PP_QMAX);
    static final List<Reg> ADD = List.of(Reg.PP_N, Reg.PP_BMOD, Reg.PP_FA, Reg.PP_FB, Reg.PP_FK, Reg.PP_AZP, Reg.PP_BZP,
            Reg.PP_OZP, Reg.PP_QMIN, Reg.PP_QMAX);
    static final List<Reg> MUL = List.of(Reg.PP_N, Reg.PP_BMOD, Reg.PP_MM, Reg.PP_MSH, Reg.PP_AZP, Reg.PP_BZP, Reg.PP_OZP,
            Reg.PP_QMIN, Reg.PP_QMAX);
    static final List<Reg> LUT = List.of(Reg.PP_N);
    static final List<Reg> LRN = List.of(Reg.PP_N, Reg.PP_C, Reg.PP_LSIZE, Reg.PP_LALPHA, Reg.PP_LBETA, Reg.PP_LBIAS, Reg.PP_XS,
            Reg.PP_XZP, Reg.PP_YS, Reg.PP_OZP, Reg.PP_QMIN, Reg.PP_QMAX);
    static final List<Reg> SOFTMAX = List.of(Reg.PP_N, Reg.PP_C, Reg.PP_YINV, Reg.PP_OZP);
    static final List<Reg> SOFTMAXF = List.of(Reg.PP_N, Reg.PP_C, Reg.PP_XS, Reg.PP_XZP, Reg.PP_YS, Reg.PP_OZP, Reg.PP_QMIN,
            Reg.PP_QMAX);
}
