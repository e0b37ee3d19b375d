package dev.cnnip.isa;

import java.util.List;

/**
 * The instruction table: opcode number, engine, mnemonic, format, the registers it reads, its footprint
 * rule (the memory it may touch) and meaning of every instruction. Encoder, decoder, assembler,
 * disassembler, the ISA reference (docs/isa.md), the debugger's help, the emulator's footprint checks,
 * the race checker and the compiler's hazard tracking derive from this table; {@link IsaTableChecker}
 * verifies it when the class loads.
 *
 * <p>Semantics in brief (the executor implements them; registers are the engine's, see {@link Reg}):
 * <ul>
 * <li>{@code ld}/{@code st}: for i2&lt;n2, i1&lt;n1, i0&lt;n0 copy esz bytes between
 * {@code dram + i2*ds2 + i1*ds1 + i0*ds0} and {@code sram + i2*ss2 + i1*ss1 + i0*ss0}.</li>
 * <li>{@code ex.conv}: for output channel o &lt; oc (group g = o / goc), output pixel (oy &lt; oh, ox &lt; ow):
 * {@code acc[(oy*ow+ox)*oc+o] (+)= Σ_{ky<kh,kx<kw,c<gic} (x[(iy*iw+ix)*ic + g*gic + c] − xzp)·(w[((o*kh+ky)*kw+kx)*gic + c] − wzp[o])}
 * with {@code iy = oy*sh − pt + ky*dh}, {@code ix = ox*sw − pl + kx*dw}; taps outside the tile
 * (virtual padding with the input zero point) contribute nothing.</li>
 * <li>{@code pp.requant}: per pixel p &lt; n and channel c &lt; c: {@code out[p*opitch+c] = rq(acc[p*apitch+c] + bias[c])}
 * with the parameter table {@code {bias, mult, shift}} (3 × int32 per channel); see {@code dev.cnnip.numerics.Requant}.</li>
 * </ul>
 */
public enum Opcode {
    //  code  engine      mnemonic       format          registers read    footprint rule
    NOP(0x01, Engine.CTL, "nop", Format.NONE, Reads.NONE, Footprints.NONE, "no operation (waits and signals only)"),
    LAYER_BEGIN(0x02, Engine.CTL, "layer.begin", Format.LAYER, Reads.NONE, Footprints.NONE, "marks the start of layer id"),
    LAYER_END(0x03, Engine.CTL, "layer.end", Format.LAYER, Reads.NONE, Footprints.NONE, "marks the end of layer id (its outputs are in DRAM)"),
    TRAP(0x04, Engine.CTL, "trap", Format.TRAP, Reads.NONE, Footprints.NONE, "stops the machine with a fault carrying the code"),
    FINISH(0x0F, Engine.CTL, "finish", Format.NONE, Reads.NONE, Footprints.NONE, "waits until every engine is idle, then ends the program"),

    LD(0x10, Engine.LD, "ld", Format.DMA, Reads.DMA, Footprints.LOAD, "strided copy DRAM to SRAM"),
    LD_SET(0x11, Engine.LD, "ld.set", Format.SET, Reads.NONE, Footprints.NONE, "writes up to two LD registers"),
    LD_SYNC(0x12, Engine.LD, "ld.sync", Format.NONE, Reads.NONE, Footprints.NONE, "no operation on the LD queue (waits and signals only)"),

    EX_CONV(0x20, Engine.EX, "ex.conv", Format.CONV, Reads.CONV, Footprints.CONV, "grouped 2-D convolution of an SRAM tile into accumulators"),
    EX_SET(0x21, Engine.EX, "ex.set", Format.SET, Reads.NONE, Footprints.NONE, "writes up to two EX registers"),
    EX_SYNC(0x22, Engine.EX, "ex.sync", Format.NONE, Reads.NONE, Footprints.NONE, "no operation on the EX queue (waits and signals only)"),

    PP_REQUANT(0x30, Engine.PP, "pp.requant", Format.REQUANT, Reads.REQUANT, Footprints.REQUANT, "adds bias, rescales and saturates accumulators to the output type"),
    PP_SET(0x31, Engine.PP, "pp.set", Format.SET, Reads.NONE, Footprints.NONE, "writes up to two PP registers"),
    PP_SYNC(0x32, Engine.PP, "pp.sync", Format.NONE, Reads.NONE, Footprints.NONE, "no operation on the PP queue (waits and signals only)"),
    PP_QUANT(0x33, Engine.PP, "pp.quant", Format.QUANT, Reads.QUANT, Footprints.QUANT, "quantizes float32 elements (QuantizeLinear)"),
    PP_DEQUANT(0x34, Engine.PP, "pp.dequant", Format.DEQUANT, Reads.QUANT, Footprints.DEQUANT, "dequantizes integer elements to float32 (DequantizeLinear)"),
    PP_MAXPOOL(0x35, Engine.PP, "pp.maxpool", Format.POOL, Reads.MAXPOOL, Footprints.POOL, "2-D max pooling over an HWC tile"),
    PP_ADD(0x36, Engine.PP, "pp.add", Format.ADD, Reads.ADD, Footprints.ELEMENTWISE, "quantized element-wise addition with requantization"),
    PP_LUT(0x37, Engine.PP, "pp.lut", Format.LUT, Reads.LUT, Footprints.LUT, "table lookup: 256 entries (8-bit inputs) or 65,536 (16-bit inputs) of the output type"),
    PP_AVGPOOL(0x3A, Engine.PP, "pp.avgpool", Format.POOL, Reads.AVGPOOL, Footprints.POOL, "quantized 2-D average pooling (ONNX Runtime's float recipe)"),
    PP_MUL(0x39, Engine.PP, "pp.mul", Format.MUL, Reads.MUL, Footprints.ELEMENTWISE, "quantized element-wise multiplication with requantization"),
    PP_SOFTMAX(0x38, Engine.PP, "pp.softmax", Format.SOFTMAX, Reads.SOFTMAX, Footprints.SOFTMAX, "quantized softmax over rows of c 8-bit elements with a table of 256 float32 exponentials"),
    PP_SOFTMAXF(0x3B, Engine.PP, "pp.softmaxf", Format.ROWS, Reads.SOFTMAXF, Footprints.ROWS, "quantized softmax over rows of c 8- or 16-bit elements computed in float (ONNX Runtime's float Softmax recipe)"),
    PP_LRN(0x3F, Engine.PP, "pp.lrn", Format.ROWS, Reads.LRN, Footprints.ROWS, "quantized local response normalisation across the c channels of n pixels (ONNX Runtime's float LRN recipe)"),

    ST(0x40, Engine.ST, "st", Format.DMA, Reads.DMA, Footprints.STORE, "strided copy SRAM to DRAM"),
    ST_SET(0x41, Engine.ST, "st.set", Format.SET, Reads.NONE, Footprints.NONE, "writes up to two ST registers"),
    ST_SYNC(0x42, Engine.ST, "st.sync", Format.NONE, Reads.NONE, Footprints.NONE, "no operation on the ST queue (waits and signals only)");

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode o : values()) BY_CODE[o.code] = o;
        IsaTableChecker.requireValid(IsaTable.standard());
    }

    private final int code;
    private final Engine engine;
    private final String mnemonic;
    private final Format format;
    private final List<Reg> reads;
    private final Footprints.Rule footprint;
    private final String description;

    Opcode(int code, Engine engine, String mnemonic, Format format, List<Reg> reads, Footprints.Rule footprint,
           String description) {
        this.code = code;
        this.engine = engine;
        this.mnemonic = mnemonic;
        this.format = format;
        this.reads = reads;
        this.footprint = footprint;
        this.description = description;
    }

    /** The 8-bit opcode number. */
    public int code() { return code; }

    public Engine engine() { return engine; }

    public String mnemonic() { return mnemonic; }

    public Format format() { return format; }

    public String description() { return description; }

    /** The registers of its engine the instruction reads (a superset: some are read only in one mode). */
    public List<Reg> reads() { return reads; }

    /** The footprint rule (with its description for the docs). */
    public Footprints.Rule footprintRule() { return footprint; }

    /**
     * The SRAM and DRAM ranges {@code insn} (of this opcode) may read and write when its engine's registers
     * hold {@code regs}.
     */
    public Footprint footprint(Insn insn, RegisterReader regs) {
        if (insn.op() != this) throw new IllegalArgumentException(insn.op().mnemonic() + " is not " + mnemonic);
        return footprint.of(insn, regs);
    }

    /** The opcode with this number, or null when the number is not assigned. */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /** The opcode with this mnemonic, or null. */
    public static Opcode fromMnemonic(String m) {
        for (Opcode o : values()) if (o.mnemonic.equals(m)) return o;
        return null;
    }

    /** The SET opcode of an engine (CTL has none: null). */
    public static Opcode setOf(Engine e) {
        return switch (e) {
            case LD -> LD_SET;
            case EX -> EX_SET;
            case PP -> PP_SET;
            case ST -> ST_SET;
            case CTL -> null;
        };
    }

    /** The no-operation instruction of an engine's queue. */
    public static Opcode syncOf(Engine e) {
        return switch (e) {
            case LD -> LD_SYNC;
            case EX -> EX_SYNC;
            case PP -> PP_SYNC;
            case ST -> ST_SYNC;
            case CTL -> NOP;
        };
    }
}
