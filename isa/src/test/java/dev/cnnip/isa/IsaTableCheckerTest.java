package dev.cnnip.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IsaTableCheckerTest {
    private final IsaTable std = IsaTable.standard();

    @Test
    void standardTableIsSound() {
        assertEquals(List.of(), IsaTableChecker.check(std));
        assertEquals(Opcode.values().length, std.ops().size());
    }

    @Test
    void rejectsOpcodeOverlap() {
        IsaTable.OpSpec conv = std.op("ex.conv");
        IsaTable bad = std.withOp(new IsaTable.OpSpec(conv.code(), Engine.EX, "ex.conv2", conv.fields()));
        assertOnly(bad, "opcode overlap: 0x20 is both ex.conv and ex.conv2");
    }

    @Test
    void rejectsReadsOfRegistersTheEngineLacks() {
        IsaTable.OpSpec add = std.op("pp.add");
        assertEquals(List.of("n", "bmod", "fa", "fb", "fk", "azp", "bzp", "ozp", "qmin", "qmax"), add.reads());
        assertOnly(std.replaceOp("pp.add", add.withRead("esz")), "pp.add: reads register esz, which engine PP does not have");
        assertOnly(std.replaceOp("pp.add", add.withRead("fa")), "pp.add: reads register fa twice");
    }

    @Test
    void rejectsOpcodeZero() {
        IsaTable.OpSpec nop = std.op("nop");
        assertOnly(std.replaceOp("nop", new IsaTable.OpSpec(0, Engine.CTL, "nop", nop.fields())),
                "nop: opcode 0 outside 1..255 (0 is reserved so that a zero word is illegal)");
    }

    @Test
    void rejectsOverlappingFields() {
        IsaTable.OpSpec conv = std.op("ex.conv");
        IsaTable bad = std.replaceOp("ex.conv", conv.withField(new IsaTable.FieldSpec("k", FieldKind.UINT, 60, 8)));
        List<String> errs = IsaTableChecker.check(bad);
        assertTrue(errs.contains("ex.conv: fields x (bits 40..63) and k (bits 60..67) overlap"), errs.toString());
        assertTrue(errs.contains("ex.conv: fields w (bits 64..87) and k (bits 60..67) overlap"), errs.toString());
    }

    @Test
    void rejectsFieldOverlappingHeader() {
        IsaTable.OpSpec ld = std.op("ld");
        IsaTable bad = std.replaceOp("ld", ld.withField(new IsaTable.FieldSpec("z", FieldKind.UINT, 30, 4)));
        assertOnly(bad, "ld: fields signal (bits 24..39) and z (bits 30..33) overlap");
    }

    @Test
    void rejectsFieldBeyond128Bits() {
        IsaTable.OpSpec st = std.op("st");
        IsaTable bad = std.replaceOp("st", st.withField(new IsaTable.FieldSpec("far", FieldKind.UINT, 120, 12)));
        assertOnly(bad, "st: field far bits 120..131 do not fit in 128 bits");
    }

    @Test
    void rejectsKindThatDoesNotFitWidth() {
        IsaTable.OpSpec st = std.op("st");
        IsaTable bad = std.replaceOp("st", st.withField(new IsaTable.FieldSpec("f", FieldKind.FLAG, 100, 2)));
        assertOnly(bad, "st: field f of kind FLAG must be 1 bit wide, not 2");
    }

    @Test
    void rejectsDuplicateMnemonicAndWrongPrefix() {
        IsaTable.OpSpec ld = std.op("ld");
        IsaTable bad = std.withOp(new IsaTable.OpSpec(0xEE, Engine.ST, "ld", ld.fields()));
        List<String> errs = IsaTableChecker.check(bad);
        assertEquals(List.of("mnemonic ld defined twice", "ld: mnemonic does not match engine ST"), errs);
    }

    @Test
    void rejectsRegisterIdOverlap() {
        assertOnly(std.withReg(new IsaTable.RegSpec(Engine.EX, 3, "foo")),
                "register id overlap: EX id 3 is both ic and foo");
    }

    @Test
    void rejectsMissingHeader() {
        IsaTable.OpSpec nop = std.op("nop");
        IsaTable bad = std.replaceOp("nop", new IsaTable.OpSpec(nop.code(), Engine.CTL, "nop", nop.fields().subList(0, 2)));
        assertOnly(bad, "nop: missing header field signal");
    }

    private static void assertOnly(IsaTable t, String message) {
        assertEquals(List.of(message), IsaTableChecker.check(t));
    }
}
