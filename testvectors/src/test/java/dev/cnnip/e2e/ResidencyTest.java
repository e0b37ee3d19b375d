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
 * SRAM residency: activations stay in SRAM from their producer to their last reader. Whatever the
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

    /**
     * The demo's residual Add reads two tensors, and the quantized graph input is written by a Quantize layer:
     * all stay in SRAM (no DRAM bytes) on v3u-like; the next layers' weights are loaded inside earlier layers
     * (prefetch); and every layer's output equals the DRAM-only schedule's, serial or overlapped, race-checked.
     */
    @Test
    void residualAddInputsAndQuantizedInputStayInSramAndWeightsArePrefetched() {
        ModelProto model = QdqQuantizer.quantize(DemoModel.build(Demo.MODEL_SEED),
                DemoModel.inputs(Demo.DATA_SEED, Demo.CALIBRATION_ITEMS), QdqQuantizer.Options.defaults(), null).model();
        Map<String, Tensor> in = DemoModel.inputs(Demo.DATA_SEED + 1, 1).get(0);
        CompileOptions base = CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT);
        Program p = Compiler.compile(model, "demo", base);
        LayerInfo add = p.layers().stream().filter(l -> l.op().equals("Add")).findFirst().orElseThrow();
        assertEquals(2, add.inputs().size());
        for (String t : add.inputs()) {
            assertEquals(SymbolKind.SRAM_ACTIVATION, p.symbol(t).orElseThrow().kind(), "Add input " + t);
        }
        LayerInfo quantize = p.layers().get(0);
        assertEquals("Quantize", quantize.op());
        assertEquals(SymbolKind.SRAM_ACTIVATION, p.symbol(quantize.outputs().get(0)).orElseThrow().kind());

        // prefetch: some layer's instruction comes before its layer.begin (inside an earlier layer's); besides
        // loads, only the first convolution's (it reads the quantized input in place and starts on its first
        // chunks: Interleave)
        List<dev.cnnip.isa.Insn> code = dev.cnnip.isa.InsnCodec.decodeAll(p.code());
        int[] begin = new int[p.layers().size()];
        for (int pc = 0; pc < code.size(); pc++) {
            if (code.get(pc).op() == dev.cnnip.isa.Opcode.LAYER_BEGIN) begin[(int) code.get(pc).u(dev.cnnip.isa.F.ID)] = pc;
        }
        long early = p.sourceMap().stream().filter(e -> e.layer() > 0 && e.insn() < begin[e.layer()]).peek(e -> {
            if (e.layer() != 1) assertEquals(dev.cnnip.isa.Engine.LD, code.get(e.insn()).engine(), "only loads move ahead: " + e);
        }).count();
        assertTrue(early > 0, "some weights are prefetched");
        assertEquals("Conv", p.layers().get(1).op());

        Machine dramOnly = Sim.run(Compiler.compile(model, "demo", base.withSramResidency(false)), in, false);
        Machine over = Sim.run(p, in, false);
        Machine serial = Sim.run(p, in, true);
        for (LayerInfo l : p.layers()) {
            for (String t : l.outputs()) {
                byte[] want = dramOnly.readSymbol(t).data();
                assertArrayEquals(want, over.readSymbol(t).data(), "overlapped: " + t);
                assertArrayEquals(want, serial.readSymbol(t).data(), "serial: " + t);
            }
        }
        // the layers' attributed cycles add up to the run's
        assertEquals(over.perfReport().totalCycles(),
                over.perfReport().layers().stream().mapToLong(dev.cnnip.emulator.timing.LayerStats::attributedCycles).sum());
    }

    private static long count(Program p, SymbolKind k) {
        return p.symbols().stream().filter(s -> s.kind() == k).count();
    }
}
