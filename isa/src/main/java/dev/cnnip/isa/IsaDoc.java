package dev.cnnip.isa;

import java.util.List;

/** Renders the ISA reference (docs/isa.md) from the instruction table. */
public final class IsaDoc {
    private IsaDoc() {}

    /** The whole reference as Markdown. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# cnnip ISA reference\n\n");
        sb.append("Generated from the instruction table (`isa/src/main/java/dev/cnnip/isa/Opcode.java`, `Format.java`, `Reg.java`, `Footprints.java`)"
                + " by `IsaDoc`; `IsaDocTest` fails when this file is out of date. Regenerate with\n"
                + "`mvn -q -pl isa test -Dtest=IsaDocTest -Dcnnip.updateDocs=true`.\n\n");
        sb.append("## Encoding\n\n");
        sb.append("- Every instruction is ").append(Isa.BITS).append(" bits, stored little-endian in ").append(Isa.BYTES)
                .append(" bytes: bit *i* is bit *i* mod 8 of byte *i*/8. In `$readmemh` files one instruction is one line of 32 hex digits, most significant first.\n");
        sb.append("- Bits 0-7 hold the opcode, bits 8-23 the wait mask and bits 24-39 the signal mask over ")
                .append(Isa.SEMAPHORES).append(" counting semaphores; operand fields start at bit ").append(Isa.OPERAND_LSB)
                .append(". Bits no field uses are reserved and must be zero; opcode 0 is unassigned, so an all-zero word is illegal.\n");
        sb.append("- An instruction first waits until every semaphore of its wait mask is greater than zero and decrements each;"
                + " when it completes it increments every semaphore of its signal mask.\n");
        sb.append("- Fetch reads the single instruction stream in order and dispatches each instruction to its engine's in-order queue.\n\n");
        sb.append("Assembly: `mnemonic name=value … [wait=0,3] [signal=1]`; SET instructions name the registers they write (`ex.set ih=16 iw=16`).\n\n");

        sb.append("## Instructions\n\n| opcode | mnemonic | engine | format | meaning |\n|---|---|---|---|---|\n");
        for (Opcode o : Opcode.values()) {
            sb.append(String.format("| 0x%02x | `%s` | %s | %s | %s |%n", o.code(), o.mnemonic(), o.engine(),
                    o.format(), o.description()));
        }
        sb.append("\n## Registers read and memory footprints\n\n");
        sb.append("What each instruction reads from its engine's registers, and the byte ranges of SRAM and DRAM it may read"
                + " and write (its footprint), as start `+` length from the named field or register; `\\|t\\|` is the size in"
                + " bytes of element type t. The emulator faults on any access outside the footprint, `cnnip run --check-races`"
                + " tracks it, and the compiler derives its semaphores from it. Instructions not listed read no register and"
                + " touch no memory.\n\n");
        sb.append("| mnemonic | registers read | memory read | memory written |\n|---|---|---|---|\n");
        for (Opcode o : Opcode.values()) {
            Footprints.Rule rule = o.footprintRule();
            if (o.reads().isEmpty() && rule.reads().isEmpty() && rule.writes().isEmpty()) continue;
            sb.append(String.format("| `%s` | %s | %s | %s |%n", o.mnemonic(),
                    o.reads().stream().map(r -> "`" + r.asm() + "`").reduce((a, b) -> a + " " + b).orElse("-"),
                    rule.reads().isEmpty() ? "-" : String.join("; ", rule.reads()),
                    rule.writes().isEmpty() ? "-" : String.join("; ", rule.writes())));
        }
        sb.append("\n## Parameter tables\n\nTables instructions read from SRAM (codecs in `dev.cnnip.isa.table`), little-endian:\n\n");
        sb.append("| table | read by | layout | bytes |\n|---|---|---|---|\n");
        sb.append("| requantization | `pp.requant` | per channel int32 `bias`, int32 `mult` (f32 mode: float32 bits of M), int32 `shift` (f32 mode: 0) | ")
                .append(dev.cnnip.isa.table.RequantEntry.BYTES).append(" per channel |\n");
        sb.append("| quantization | `pp.quant`, `pp.dequant` | per entry float32 `scale`, int32 `zp` | ")
                .append(dev.cnnip.isa.table.QuantEntry.BYTES).append(" per entry |\n");
        sb.append("| softmax | `pp.softmax` | ").append(dev.cnnip.isa.table.SoftmaxTable.ENTRIES)
                .append(" float32 exponentials | ").append(dev.cnnip.isa.table.SoftmaxTable.BYTES).append(" |\n");
        sb.append("| lookup | `pp.lut` | one entry of type `ot` per input code of type `it`, entry x − min(it) for code x | 256·\\|ot\\| (8-bit it) or 65,536·\\|ot\\| (16-bit it) |\n");
        sb.append("\n## Formats\n\nEvery format starts with the header fields:\n\n");
        fieldTable(sb, Format.HEADER);
        for (Format f : Format.values()) {
            if (f.operands().isEmpty()) continue;
            sb.append("\n### ").append(f).append("\n\n");
            fieldTable(sb, f.operands());
        }
        sb.append("\n## Registers\n\nEach engine's registers hold 32-bit values written by its SET instruction; id 0 in a SET field writes nothing.\n");
        for (Reg.Group g : Reg.Group.values()) {
            sb.append("\n### ").append(g.engines().stream().map(Enum::name).reduce((a, b) -> a + " and " + b).orElse(""))
                    .append("\n\n| id | name | reset | meaning |\n|---|---|---|---|\n");
            for (Reg r : Reg.values()) {
                if (r.group() == g) {
                    sb.append(String.format("| %d | `%s` | %d | %s |%n", r.id(), r.asm(), r.reset(), r.description()));
                }
            }
        }
        sb.append("\n## Element types\n\n| code | name | bytes | range |\n|---|---|---|---|\n");
        for (ElemType t : ElemType.values()) {
            sb.append(String.format("| %d | `%s` | %d | %s |%n", t.code(), t.asm(), t.bytes(),
                    t.isInteger() ? t.min() + " .. " + t.max() : "IEEE 754 binary32"));
        }
        return sb.toString();
    }

    private static void fieldTable(StringBuilder sb, List<FieldPos> fields) {
        sb.append("| bits | field | kind | meaning |\n|---|---|---|---|\n");
        for (FieldPos p : fields) {
            sb.append(String.format("| %d-%d | `%s` | %s | %s |%n", p.lsb(), p.end() - 1, p.field().asm(),
                    p.field().kind(), p.field().description()));
        }
    }
}
