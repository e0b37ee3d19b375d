package dev.cnnip.isa;

import java.util.List;

/** Renders the ISA reference (docs/isa.md) from the instruction table. */
public final class IsaDoc {
    private IsaDoc() {}

    /** The whole reference as Markdown. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# cnnip ISA reference\n\n");
        sb.append("Generated from the instruction table (`isa/src/main/java/dev/cnnip/isa/Opcode.java`, `Format.java`, `Reg.java`)"
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
