package dev.cnnip.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnip.isa.InsnCodec;
import dev.cnnip.isa.Opcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructionVectorsTest {
    @TempDir
    static Path dir;
    static Path out;

    @BeforeAll
    static void export() throws IOException {
        out = dir.resolve("pi");
        InstructionVectors.Summary s = InstructionVectors.export(out, 2, false);
        assertEquals(Opcode.values().length * 3, s.vectors());
    }

    private static byte[] mem(Path vec, String file, int bytes) throws IOException {
        return ReadMemH.memoryBytes(ReadMemH.parse(Files.readString(vec.resolve(file)), file), 0, bytes);
    }

    @Test
    void everyOpcodeOfTheTableHasDirectedAndRandomVectorsThatRunIt() throws IOException {
        for (Opcode op : Opcode.values()) {
            for (String kind : new String[] {"directed", "random-01", "random-02"}) {
                Path v = out.resolve("opcodes").resolve(op.mnemonic()).resolve(kind);
                assertTrue(Files.isDirectory(v), v.toString());
                JsonNode j = Manifests.parse(Files.readString(v.resolve("vector.json")), "vector.json");
                assertEquals(op.mnemonic(), j.get("mnemonic").asText());
                assertEquals(String.format("0x%02x", op.code()), j.get("opcode").asText());
                byte[] code = Files.readAllBytes(v.resolve("insn.bin"));
                assertTrue(InsnCodec.decodeAll(code).stream().anyMatch(i -> i.op() == op), op + " " + kind);
                assertEquals(code.length / 16, Files.readAllLines(v.resolve("insn.hex")).size());
                byte[] dram = mem(v, "dram_final.hex", InstructionVectors.DRAM);
                byte[] sram = mem(v, "sram_final.hex", InstructionVectors.WINDOW);
                if (op == Opcode.TRAP) {
                    assertTrue(j.get("expected_fault").asText().contains("trap code "), j.toString());
                    assertArrayEquals(mem(v, "dram_init.hex", InstructionVectors.DRAM), dram);
                } else {
                    assertEquals("", j.get("expected_fault").asText());
                    // The epilogue copied the SRAM window to DRAM [4 KiB, 8 KiB).
                    assertArrayEquals(sram, Arrays.copyOfRange(dram, InstructionVectors.WINDOW, 2 * InstructionVectors.WINDOW));
                }
            }
        }
        assertTrue(InstructionVectors.verify(out).ok());
    }

    @Test
    void randomVectorsDifferFromDirectedOnes() throws IOException {
        Path ops = out.resolve("opcodes");
        for (Opcode op : new Opcode[] {Opcode.EX_CONV, Opcode.PP_REQUANT, Opcode.PP_ADD, Opcode.LD}) {
            String d = Files.readString(ops.resolve(op.mnemonic()).resolve("directed/program.s"));
            String r = Files.readString(ops.resolve(op.mnemonic()).resolve("random-01/program.s"));
            assertFalse(d.equals(r), op.toString());
        }
    }

    /** The directed convolution (4×4×3 u8, 3×3 s8 kernel, pad 1, xzp 3, 2 outputs) against a direct computation. */
    @Test
    void directedConvolutionEqualsADirectComputation() throws IOException {
        Path v = out.resolve("opcodes/ex.conv/directed");
        ByteBuffer in = ByteBuffer.wrap(mem(v, "dram_init.hex", InstructionVectors.DRAM)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer fin = ByteBuffer.wrap(mem(v, "sram_final.hex", InstructionVectors.WINDOW)).order(ByteOrder.LITTLE_ENDIAN);
        int h = 4;
        int w = 4;
        int ic = 3;
        int oc = 2;
        int xzp = 3;
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < w; ox++) {
                for (int o = 0; o < oc; o++) {
                    int s = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy - 1 + ky;
                            int ix = ox - 1 + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            for (int c = 0; c < ic; c++) {
                                int x = (in.get(UnitVectorGen.A + (iy * w + ix) * ic + c) & 0xFF) - xzp;
                                int k = in.get(UnitVectorGen.B + ((o * 3 + ky) * 3 + kx) * ic + c);
                                s += x * k;
                            }
                        }
                    }
                    assertEquals(s, fin.getInt(UnitVectorGen.D + 4 * ((oy * w + ox) * oc + o)), "acc " + oy + "," + ox + "," + o);
                }
            }
        }
    }

    @Test
    void directedLookupAndLoadEqualDirectComputations() throws IOException {
        Path lut = out.resolve("opcodes/pp.lut/directed");
        byte[] in = mem(lut, "dram_init.hex", InstructionVectors.DRAM);
        byte[] fin = mem(lut, "sram_final.hex", InstructionVectors.WINDOW);
        for (int i = 0; i < 256; i++) assertEquals(255 - (in[UnitVectorGen.A + i] & 0xFF), fin[UnitVectorGen.D + i] & 0xFF);
        // ld esz=4 n0=8 n1=4 n2=2, DRAM strides 8/64/256 from 0x400, SRAM strides 4/36/144 to 0xc00.
        Path ld = out.resolve("opcodes/ld/directed");
        in = mem(ld, "dram_init.hex", InstructionVectors.DRAM);
        fin = mem(ld, "sram_final.hex", InstructionVectors.WINDOW);
        byte[] expect = Arrays.copyOf(in, InstructionVectors.WINDOW);
        for (int i2 = 0; i2 < 2; i2++) {
            for (int i1 = 0; i1 < 4; i1++) {
                for (int i0 = 0; i0 < 8; i0++) {
                    System.arraycopy(in, 0x400 + i2 * 256 + i1 * 64 + i0 * 8, expect, 0xc00 + i2 * 144 + i1 * 36 + i0 * 4, 4);
                }
            }
        }
        assertArrayEquals(expect, fin);
    }

    @Test
    void exportsAreByteIdentical() throws IOException {
        Path again = dir.resolve("again");
        InstructionVectors.export(again, 2, false);
        assertArrayEquals(Files.readAllBytes(out.resolve("manifest.json")), Files.readAllBytes(again.resolve("manifest.json")));
    }
}
