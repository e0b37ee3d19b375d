package dev.cnnip.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.program.SymbolKind;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.Demo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SRAM residency: a convolution's output that only the next convolution reads stays in SRAM. Whatever the
 * schedule (all in DRAM, write-through, SRAM only), every layer's output is the same, and the DRAM traffic
 * falls in that order.
 */
class ResidencyTest {
    @TempDir
    Path dir;

    @Test
    void everyScheduleGivesTheSameLayerOutputsWithLessDramTraffic() throws Exception {
        ModelProto model = QdqQuantizer.quantize(DemoModel.build(Demo.MODEL_SEED),
                DemoModel.inputs(Demo.DATA_SEED, Demo.CALIBRATION_ITEMS), QdqQuantizer.Options.defaults(), null).model();
        Map<String, Tensor> in = DemoModel.inputs(Demo.DATA_SEED + 1, 1).get(0);
        for (String preset : List.of("v3u-like", "tiny")) {
            CompileOptions base = CompileOptions.of(HwConfig.preset(preset), Numerics.ORT);
            Program dramOnly = Compiler.compile(model, "demo", base.withSramResidency(false));
            Program through = Compiler.compile(model, "demo", base.withKeepInDram(true));
            Program sramOnly = Compiler.compile(model, "demo", base.withKeepInDram(false));
            assertEquals(0, count(dramOnly, SymbolKind.SRAM_ACTIVATION));
            assertEquals(0, count(through, SymbolKind.SRAM_ACTIVATION));
            assertTrue(count(sramOnly, SymbolKind.SRAM_ACTIVATION) > 0, preset + ": some tensor stays in SRAM");

            Machine a = Sim.run(dramOnly, in, false);
            Machine b = Sim.run(through, in, false);
            Machine c = Sim.run(sramOnly, in, false);
            Machine cs = Sim.run(sramOnly, in, true);
            for (LayerInfo l : dramOnly.layers()) {
                for (String t : l.outputs()) {
                    byte[] want = a.readSymbol(t).data();
                    assertArrayEquals(want, b.readSymbol(t).data(), preset + " write-through: " + t);
                    assertArrayEquals(want, c.readSymbol(t).data(), preset + " SRAM only: " + t);
                    assertArrayEquals(want, cs.readSymbol(t).data(), preset + " SRAM only, serial: " + t);
                }
            }
            long da = a.perfReport().total().dramBytes();
            long db = b.perfReport().total().dramBytes();
            long dc = c.perfReport().total().dramBytes();
            assertTrue(da > db && db > dc, preset + ": DRAM bytes " + da + " > " + db + " > " + dc);
            // Write-through reads less (the resident inputs) but writes as much as the DRAM-only schedule.
            assertEquals(a.perfReport().total().dramWritten(), b.perfReport().total().dramWritten());
            System.out.printf("%s: dram-only %d cycles %d bytes, write-through %d / %d, sram-only %d / %d%n", preset, a.perfReport().totalCycles(), da, b.perfReport().totalCycles(), db, c.perfReport().totalCycles(), dc);

            // The symbol kind survives the program file, and an SRAM tensor is not readable before its layer ends.
            Path f = dir.resolve(preset + ".cnnip");
            ProgramFile.write(f, sramOnly);
            Program back = ProgramFile.read(f);
            assertEquals(count(sramOnly, SymbolKind.SRAM_ACTIVATION), count(back, SymbolKind.SRAM_ACTIVATION));
            Symbol s = back.symbols().stream().filter(x -> x.kind() == SymbolKind.SRAM_ACTIVATION).findFirst().orElseThrow();
            assertTrue(s.end() <= back.hwConfig().sramBytes() && s.layer() >= 0, s.toString());
            Machine fresh = new Machine(back, SimOptions.defaults(), "demo");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh.readSymbol(s.name()));
            assertTrue(e.getMessage().contains("lives in SRAM only"), e.getMessage());
            assertFalse(back.outputs().contains(s.name()), "graph outputs always go to DRAM");
        }
    }

    private static long count(Program p, SymbolKind k) {
        return p.symbols().stream().filter(s -> s.kind() == k).count();
    }
}
