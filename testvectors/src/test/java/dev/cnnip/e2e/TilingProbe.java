package dev.cnnip.e2e;

import dev.cnnip.isa.Engine;
import dev.cnnip.isa.F;
import dev.cnnip.isa.Insn;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import dev.cnnip.isa.Reg;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;
import dev.cnnip.program.SourceEntry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the compiler tiled each convolution-like layer, read back from the instruction stream: the EX
 * registers in force at every {@code ex.conv} (tracked in program order from their reset values, as the
 * in-order EX queue sees them) against the layer's output shape.
 */
final class TilingProbe {
    /** Ways a layer was split. */
    enum Kind { ROWS, COLUMNS, OUTPUT_CHANNEL_BLOCKS, INPUT_CHANNEL_CHUNKS }

    private TilingProbe() {}

    /** Layer index → how many {@code ex.conv} instructions showed each kind of split (layers without ex.conv absent). */
    static Map<Integer, Map<Kind, Integer>> of(Program p) {
        List<Insn> code = InsnCodec.decodeAll(p.code());
        Map<Reg, Integer> ex = new EnumMap<>(Reg.class);
        for (Reg r : Reg.of(Engine.EX)) ex.put(r, r.reset());
        Map<Integer, Map<Kind, Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < code.size(); i++) {
            Insn insn = code.get(i);
            if (insn.op() == Opcode.EX_SET) {
                if (insn.reg1() != null) ex.put(insn.reg1(), insn.u(F.V1));
                if (insn.reg2() != null) ex.put(insn.reg2(), insn.u(F.V2));
            } else if (insn.op() == Opcode.EX_CONV) {
                int layer = p.sourceFor(i).map(SourceEntry::layer).orElse(-1);
                if (layer < 0) continue;
                Map<Kind, Integer> kinds = out.computeIfAbsent(layer, k -> new EnumMap<>(Kind.class));
                int[] full = outputGeometry(p, p.layers().get(layer));
                count(kinds, Kind.ROWS, ex.get(Reg.EX_OH) < full[0]);
                count(kinds, Kind.COLUMNS, ex.get(Reg.EX_OW) < full[1]);
                count(kinds, Kind.OUTPUT_CHANNEL_BLOCKS, ex.get(Reg.EX_OC) < full[2]);
                count(kinds, Kind.INPUT_CHANNEL_CHUNKS, insn.flag(F.ACCUM));
            }
        }
        return out;
    }

    private static void count(Map<Kind, Integer> kinds, Kind k, boolean happened) {
        kinds.merge(k, happened ? 1 : 0, Integer::sum);
    }

    /** {rows, columns, channels} of a layer output as the EX engine sees it (a matrix product is one row of M pixels). */
    private static int[] outputGeometry(Program p, LayerInfo l) {
        int[] s = p.symbol(l.outputs().get(0)).orElseThrow().shape();
        if (s.length == 4) return new int[] {s[2], s[3], s[1]};
        return new int[] {1, s[s.length - 2], s[s.length - 1]};
    }
}
