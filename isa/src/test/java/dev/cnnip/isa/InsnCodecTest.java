package dev.cnnip.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InsnCodecTest {

    /** A random valid instruction of {@code op}. */
    static Insn random(Opcode op, Random rnd) {
        List<FieldPos> fields = op.format().operands();
        long[] vals = new long[fields.size()];
        for (int i = 0; i < vals.length; i++) {
            F f = fields.get(i).field();
            vals[i] = switch (f.kind()) {
                case TYPE -> ElemType.values()[rnd.nextInt(ElemType.values().length)].code();
                case REG -> {
                    List<Reg> regs = Reg.of(op.engine());
                    yield regs.get(rnd.nextInt(regs.size())).id();
                }
                case SINT -> (rnd.nextLong() << (64 - f.width())) >> (64 - f.width());
                default -> rnd.nextLong() & ((1L << f.width()) - 1);
            };
        }
        return Insn.create(op, vals, rnd.nextInt(1 << Isa.SEMAPHORES), rnd.nextInt(1 << Isa.SEMAPHORES));
    }

    @Test
    void randomInstructionsSurviveEncodeDecodeAndAsmRoundTrip() {
        Random rnd = new Random(42);
        int n = 0;
        for (int k = 0; k < 2000; k++) {
            for (Opcode op : Opcode.values()) {
                Insn insn = random(op, rnd);
                byte[] bits = InsnCodec.encode(insn);
                Insn back = InsnCodec.decode(bits, 0);
                assertEquals(insn, back);
                String text = Disassembler.format(insn);
                Insn parsed = Assembler.parseLine(text, 1);
                assertEquals(insn, parsed, text);
                assertEquals(text, Disassembler.format(parsed));
                assertArrayEquals(bits, InsnCodec.encode(parsed));
                assertArrayEquals(bits, InsnCodec.fromHex(InsnCodec.toHex(bits)));
                n++;
            }
        }
        assertEquals(2000 * Opcode.values().length, n);
    }

    @Test
    void knownEncodingIsStable() {
        Insn i = Insn.of(Opcode.EX_CONV).with(F.X, 0x10).with(F.W, 0x200).with(F.ACC, 0x3000)
                .type(F.XT, ElemType.U8).type(F.WT, ElemType.S8).flag(F.ACCUM, true).waitMask(0b101).signalMask(0x8000).build();
        // bits 127..112 = 0x0048 (wt=1 at bit 115, accum at bit 118), acc 0x003000, w 0x000200, x 0x000010,
        // signal 0x8000, wait 0x0005, opcode 0x20
        assertEquals("0048" + "003000" + "000200" + "000010" + "8000" + "0005" + "20", InsnCodec.toHex(InsnCodec.encode(i)));
        assertEquals("ex.conv x=0x000010 w=0x000200 acc=0x003000 xt=u8 wt=s8 accum=1 a64=0 wzpv=0 wait=0,2 signal=15",
                Disassembler.format(i));
    }

    @Test
    void decodeRejectsUnknownOpcodeReservedBitsAndBadFields() {
        byte[] zero = new byte[16];
        assertEquals("unknown opcode 0x00", assertThrows(IllegalInstructionException.class, () -> InsnCodec.decode(zero, 0)).getMessage());
        byte[] finish = InsnCodec.encode(Insn.of(Opcode.FINISH).build());
        finish[15] = 1;
        assertEquals("finish: reserved bits set", assertThrows(IllegalInstructionException.class, () -> InsnCodec.decode(finish, 0)).getMessage());
        byte[] conv = InsnCodec.encode(Insn.of(Opcode.EX_CONV).build());
        conv[14] = 7; // xt = 7: no such element type
        assertTrue(assertThrows(IllegalInstructionException.class, () -> InsnCodec.decode(conv, 0)).getMessage()
                .contains("unknown element type code 7"));
        byte[] set = InsnCodec.encode(Insn.set(Engine.EX, Reg.EX_IH, 3, null, 0));
        set[5] = (byte) 200; // register 200 does not exist
        assertEquals("ex.set: engine EX has no register 200",
                assertThrows(IllegalInstructionException.class, () -> InsnCodec.decode(set, 0)).getMessage());
        List<Insn> prog = new ArrayList<>(List.of(Insn.of(Opcode.NOP).build(), Insn.of(Opcode.FINISH).build()));
        byte[] code = InsnCodec.encodeAll(prog);
        code[16] = (byte) 0xEE;
        assertEquals("instruction 1: unknown opcode 0xee",
                assertThrows(IllegalInstructionException.class, () -> InsnCodec.decodeAll(code)).getMessage());
    }

    @Test
    void builderRejectsValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> Insn.of(Opcode.LD).with(F.SRAM, 1 << 24).build());
        assertThrows(IllegalArgumentException.class, () -> Insn.of(Opcode.LD).waitMask(1 << 16).build());
        assertThrows(IllegalArgumentException.class, () -> Insn.of(Opcode.LD).with(F.ACC, 1));
    }
}
