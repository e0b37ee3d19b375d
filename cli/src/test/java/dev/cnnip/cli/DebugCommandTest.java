package dev.cnnip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.debugger.Console;
import dev.cnnip.debugger.Out;
import dev.cnnip.debugger.ReferenceProvider;
import dev.cnnip.debugger.Session;
import dev.cnnip.debugger.Terminal;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnip debug} in batch mode on the demo program (quantized and compiled here, ort numerics);
 * tensors are checked against ONNX Runtime on the quantized model, run independently by the test.
 */
class DebugCommandTest {
    @TempDir
    static Path dir;
    static Path prog;
    static Path image;
    static Path floatModel;
    static Path qModel;
    static Program program;
    static ModelProto quantized;
    static Map<String, Tensor> input;

    @BeforeAll
    static void demo() throws IOException {
        ModelProto f = DemoModel.build(1);
        quantized = QdqQuantizer.quantize(f, DemoModel.inputs(2026, 8), QdqQuantizer.Options.defaults(), null).model();
        // Write-through: the script watches DRAM bytes of tensors that would otherwise stay in SRAM only.
        program = dev.cnnip.compiler.Compiler.compile(quantized, "cnnip-demo",
                CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT).withKeepInDram(true));
        floatModel = dir.resolve("float.onnx");
        qModel = dir.resolve("q.onnx");
        OnnxModels.save(floatModel, f);
        OnnxModels.save(qModel, quantized);
        prog = dir.resolve("demo.cnnip");
        ProgramFile.write(prog, program);
        input = DemoModel.inputs(2027, 1).get(0);
        image = dir.resolve("image.npy");
        Npy.write(image, input.get(DemoModel.INPUT));
    }

    /** ONNX Runtime's values of program tensors on the quantized model (exposed as extra graph outputs). */
    static Map<String, Tensor> ort(List<String> names) {
        try (OrtRunner r = OrtRunner.create(OnnxModels.withExtraOutputs(quantized, names), OrtOptions.defaults())) {
            return r.run(input, names);
        }
    }

    private CliRunner debug(String script, String... extra) throws IOException {
        Path s = dir.resolve("script-" + Integer.toHexString(script.hashCode()) + ".txt");
        Files.writeString(s, script);
        List<String> args = new ArrayList<>(List.of("debug", prog.toString(), "--input", "image=" + image, "--batch", s.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void everyCommandRunsInBatchMode() throws IOException {
        Path dumped = dir.resolve("relu3.npy");
        Path deq = dir.resolve("relu3-deq.npy");
        Path sub = dir.resolve("sub.txt");
        Files.writeString(sub, "# a sourced script\ninfo breakpoints\n");
        int layer4 = program.sourceMap().stream().filter(e -> e.layer() == 4).findFirst().orElseThrow().insn();
        int layer1 = program.sourceMap().stream().filter(e -> e.layer() == 1).findFirst().orElseThrow().insn();
        String script = String.join("\n",
                "help", "help break", "info layers",
                "break layer relu1_quantized end", "break layer 3", "break op pp.maxpool", "break pc " + layer4, "break cycle 20000",
                "disable 4", "enable 4", "disable 5", "info breakpoints",
                "step", "step 2", "stepi ex",
                "continue", "info engines", "info semaphores", "info sram", "disas", "disas " + layer1 + " 3", "x/16xb sram 0",
                "x/4dw dram relu1_quantized", "x/2fw dram image",
                "tensor relu1_quantized[0,3,:4,:4]", "tensor relu1_quantized[0,3,:4,:4] dequant",
                "tensor relu1_quantized stats hist",
                // pool1 runs as row bands (several pp.maxpool), the first of them before relu1's last stores retire:
                // stop at the first band (the engine view again: which heads wait on semaphores depends on the
                // schedule, so it is shown at two stops), then go on to relu1's end and relu2's begin
                "continue", "info engines", "disable 3", "continue", "continue",
                "delete", "watch dram relu3_quantized 16", "watch sram 0 4", "delete 7",
                "continue", "info breakpoints",
                "delete", "break layer relu3_quantized end", "continue",
                "dump relu3_quantized " + dumped, "dump relu3_quantized " + deq + " dequant",
                "compare", "compare relu1_quantized",
                "until layer add_quantized", "until cycle 25000", "stats", "stats relu3_quantized", "timeline", "timeline 4",
                "source " + sub,
                "delete", "continue", "compare all",
                "serial on", "serial", "until layer 2", "serial off", "run",
                "quit", "info layers");
        CliRunner r = debug(script, "--model", floatModel.toString(), "--quantized-model", qModel.toString());
        String o = r.out();
        assertEquals(0, r.code(), r.err() + "\n" + o);
        assertEquals("", r.err());
        // help comes from the declarations, sub-commands included
        assertTrue(o.contains("  stepi <engine>") && o.contains("break layer <name|index> [begin|end]"), o);
        assertTrue(o.contains("  break cycle <n>"), o);
        // breakpoints: a layer end, pc/op before execution, cycle
        assertTrue(o.contains("breakpoint 1: layer 1 'relu1_quantized' end"), o);
        assertTrue(o.contains("breakpoint 1 (layer 1 'relu1_quantized' end)"), o);
        assertTrue(o.contains("breakpoint 3 (op pp.maxpool): before pp pc "), o);
        assertTrue(o.contains("breakpoint 2 (layer 3 'relu2_quantized' begin)"), o);
        assertTrue(o.contains("5    breakpoint  no "), o);
        assertTrue(o.contains("breakpoint 4 (pc " + layer4 + "): before "), o);
        // a watchpoint hit names the writer and shows old and new bytes
        Matcher w = Pattern.compile("watchpoint 6 \\(dram 0x[0-9a-f]+\\+16\\) written by st pc \\d+ st \\(layer 4 'relu3_quantized', tile \\d+\\) at cycle \\d+\n"
                + "  old: ((?:00 ){15}00)\n  new: ([0-9a-f ]+)\n").matcher(o);
        assertTrue(w.find(), o);
        assertTrue(o.contains("deleted 7 (sram 0x0+4)"), o);
        // the dump read back as .npy equals ONNX Runtime element for element
        Tensor ref = ort(List.of("relu3_quantized")).get("relu3_quantized");
        Tensor got = Npy.read(dumped);
        assertArrayEquals(ref.shape(), got.shape());
        assertEquals(ref.dtype(), got.dtype());
        assertArrayEquals(ref.data(), got.data());
        // the dequantized dump is scale * (q - zp) of the same values
        Symbol s = program.symbol("relu3_quantized").orElseThrow();
        Tensor d = Npy.read(deq);
        for (int i = 0; i < ref.size(); i++) {
            assertEquals(s.scale()[0] * (ref.getLong(i) - (s.zeroPoint().length == 0 ? 0 : s.zeroPoint()[0])), d.getFloat(i), 1e-6);
        }
        // compare: every executed layer exact against ORT, with float-model figures
        assertTrue(o.matches("(?s).*\n  4  relu3_quantized +exact +\\d+\\.\\d\\d +0\\.99\\d+ +\\d.*"), o);
        assertTrue(o.contains(" 10  logits                     exact"), o);
        assertFalse(o.contains("differ"), o);
        // views
        assertTrue(o.contains("ld       ") && o.contains("waiting on s"), o);
        // relu1 runs as four row bands of 16 rows (accumulators of 16 x 64 pixels x 16 channels x 4 bytes); at that
        // point the quantized input (resident, written through) has been stored
        assertTrue(o.contains("stored to image_quantized by st pc"), o);
        assertTrue(o.matches("(?s).*\\[0x[0-9a-f]+, 0x[0-9a-f]+\\) +65536  written by ex.conv acc by ex pc \\d+ \\(layer 1 'relu1_quantized'.*"), o);
        assertTrue(o.contains("; layer 1 'relu1_quantized' (Conv) tile 0"), o);
        assertTrue(o.matches("(?s).*ex   \\|[#+.]{64}\\| +\\d+\\.\\d%.*"), o);
        assertTrue(o.matches("(?s).*layer 4 'relu3_quantized' \\(Conv\\): \\d+ instructions, cycles \\d+\\.\\.\\d+ = \\d+, 9437184 MACs.*"), o);
        assertTrue(o.matches("(?s).*program finished at cycle \\d+ \\(" + program.instructionCount() + " instructions retired\\).*"), o);
        assertTrue(o.contains("serial mode is on"), o);
        assertTrue(o.contains("(cnnip) # a sourced script") || o.contains("(cnnip) info breakpoints"), o);
        // quit ends the script: the last command never runs
        assertFalse(o.contains("(cnnip) info layers\n  #  layer") && o.lastIndexOf("(cnnip) info layers") > o.indexOf("(cnnip) quit"), o);
    }

    @Test
    void everyLayerOutputDumpedAtItsEndEqualsOnnxRuntime() throws IOException {
        StringBuilder script = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (var l : program.layers()) {
            String out = l.outputs().get(0);
            if (program.symbol(out).isEmpty()) continue;
            names.add(out);
            script.append("until layer ").append(l.index()).append('\n')
                    .append("dump ").append(out).append(' ').append(dir.resolve("at-end-" + l.index() + ".npy")).append('\n');
        }
        CliRunner r = debug(script.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Tensor> ref = ort(names);
        int i = 0;
        for (var l : program.layers()) {
            String out = l.outputs().get(0);
            if (program.symbol(out).isEmpty()) continue;
            Tensor got = Npy.read(dir.resolve("at-end-" + l.index() + ".npy"));
            assertEquals(ref.get(out).dtype(), got.dtype(), out);
            assertArrayEquals(ref.get(out).shape(), got.shape(), out);
            assertArrayEquals(ref.get(out).data(), got.data(), "layer " + l.index() + " " + out);
            i++;
        }
        assertEquals(11, i);
    }

    /**
     * relu1 lives in SRAM only; after later layers have begun (and reused its SRAM and the DRAM addresses its
     * SRAM address happens to equal), the console still shows its values, from the copy taken when it was complete,
     * names its memory correctly and warns of nothing.
     */
    @Test
    void sramOnlyTensorAfterLaterLayersBegan() throws IOException {
        // The default schedule (the other tests' program keeps every output in DRAM).
        Program resident = dev.cnnip.compiler.Compiler.compile(quantized, "cnnip-demo",
                CompileOptions.of(HwConfig.preset("v3u-like"), Numerics.ORT));
        Symbol s = resident.symbol("relu1_quantized").orElseThrow();
        assertEquals(dev.cnnip.program.SymbolKind.SRAM_ACTIVATION, s.kind());
        Path file = dir.resolve("demo-resident.cnnip");
        ProgramFile.write(file, resident);
        Path script = dir.resolve("script-resident.txt");
        Files.writeString(script, "until layer 4\ntensor relu1_quantized[0,3,:4,:4]\n");
        CliRunner r = CliRunner.run("debug", file.toString(), "--input", "image=" + image, "--batch", script.toString());
        assertEquals(0, r.code(), r.err());
        String o = r.out();
        assertTrue(o.contains("sram_activation in sram @0x" + Long.toHexString(s.address())), o);
        assertFalse(o.contains("in dram @0x" + Long.toHexString(s.address())), o);
        assertFalse(o.contains("may have overwritten"), o);
        Tensor ref = ort(List.of("relu1_quantized")).get("relu1_quantized");
        List<Double> raw = numbers(afterTwoLines(o.split("\\(cnnip\\) tensor")[1]));
        assertEquals(16, raw.size(), o);
        int[] shape = ref.shape();
        for (int h = 0, k = 0; h < 4; h++) {
            for (int wd = 0; wd < 4; wd++, k++) {
                assertEquals(ref.getLong(((3 * shape[2]) + h) * shape[3] + wd), raw.get(k).longValue(), o);
            }
        }
    }

    @Test
    void dequantizedSliceMatchesOnnxRuntime() throws IOException {
        CliRunner r = debug("until layer 1\ntensor relu1_quantized[0,3,:4,:4] dequant\ntensor relu1_quantized[0,3,:4,:4]\n");
        assertEquals(0, r.code(), r.err());
        Tensor ref = ort(List.of("relu1_quantized")).get("relu1_quantized");
        Symbol s = program.symbol("relu1_quantized").orElseThrow();
        String[] parts = r.out().split("\\(cnnip\\) tensor");
        List<Double> deq = numbers(afterTwoLines(parts[1]));
        List<Double> raw = numbers(afterTwoLines(parts[2]));
        assertEquals(16, deq.size(), r.out());
        int[] shape = ref.shape();
        int k = 0;
        for (int h = 0; h < 4; h++) {
            for (int wd = 0; wd < 4; wd++, k++) {
                long q = ref.getLong(((3 * shape[2]) + h) * shape[3] + wd);
                assertEquals(q, raw.get(k).longValue());
                assertEquals(s.scale()[0] * q, deq.get(k), 1e-6 * Math.max(1, Math.abs(deq.get(k))));
            }
        }
    }

    @Test
    void aSliceMayFollowTheNameAfterASpace() throws IOException {
        CliRunner r = debug("until layer 1\ntensor relu1_quantized [0,3,:4,:4] dequant\ntensor relu1_quantized[0,3,:4,:4] dequant\n");
        assertEquals(0, r.code(), r.err());
        String[] parts = r.out().split("\\(cnnip\\) tensor");
        List<Double> spaced = numbers(afterTwoLines(parts[1]));
        assertEquals(16, spaced.size(), r.out());
        assertEquals(numbers(afterTwoLines(parts[2])), spaced);
    }

    /** The values printed after the echoed command and the tensor's header line. */
    private static String afterTwoLines(String s) {
        return s.substring(s.indexOf('\n', s.indexOf('\n') + 1));
    }

    @Test
    void anSramTileViewedAsATensorEqualsOnnxRuntime() throws IOException {
        List<dev.cnnip.isa.Insn> code = dev.cnnip.isa.InsnCodec.decodeAll(program.code());
        int firstEx = 0;
        while (code.get(firstEx).engine() != dev.cnnip.isa.Engine.EX) firstEx++;
        CliRunner where = debug("until layer 1\ninfo sram\n");
        // the layer's last tile: output rows 48..63 (four bands of 16 rows, 16 channels, 64 columns)
        Matcher m = Pattern.compile("\\[0x([0-9a-f]+), 0x[0-9a-f]+\\) +16384  stored to relu1_quantized \\+0xc000 by st pc")
                .matcher(where.out());
        assertTrue(m.find(), where.out());
        CliRunner r = debug("until layer 1\ntensor sram 0x" + m.group(1) + " as u8[1,16,16,64][0,5,12:,:] NHWC\n"
                + "break pc ld " + firstEx + "\n");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("pc " + firstEx + " is on engine ex, not ld"), r.err());
        Tensor ref = ort(List.of("relu1_quantized")).get("relu1_quantized");
        String text = r.out().substring(r.out().indexOf("uint8[4,64]\n") + 12, r.out().indexOf("(cnnip) break"));
        List<Double> got = numbers(text);
        assertEquals(4 * 64, got.size(), r.out());
        for (int h = 0; h < 4; h++) {
            for (int w = 0; w < 64; w++) assertEquals(ref.getLong((5 * 64 + 60 + h) * 64 + w), got.get(h * 64 + w).longValue());
        }
    }

    private static List<Double> numbers(String text) {
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("-?\\d+(\\.\\d*)?(e[-+]?\\d+)?").matcher(text);
        while (m.find()) out.add(Double.parseDouble(m.group()));
        return out;
    }

    @Test
    void aFailingCommandEndsTheBatchWithOneLineAndExitOne() throws IOException {
        CliRunner r = debug("step\ntesnor relu1_quantized\nstep\n");
        assertEquals(1, r.code());
        String[] err = r.errLines();
        assertEquals(1, err.length, r.err());
        assertTrue(err[0].endsWith(":2: unknown command 'tesnor' (did you mean 'tensor'?); type 'help' for the list"), err[0]);
        assertEquals(1, r.out().split("\\(cnnip\\) step", -1).length - 1, r.out());
        CliRunner t = debug("tensor relu9_quantized\n");
        assertEquals(1, t.code());
        assertTrue(t.err().contains("unknown tensor 'relu9_quantized' (did you mean 'relu1_quantized'?)"), t.err());
        CliRunner b = debug("break layer 99\n");
        assertTrue(b.err().contains("layer index 99 out of range (0..10)"), b.err());
        CliRunner sl = debug("tensor relu1_quantized[0,16]\n");
        assertTrue(sl.err().contains("bad slice [0,16]: index 16 is out of range for axis 1 of size 16"), sl.err());
        CliRunner c = debug("until layer 1\ncompare\n");
        assertEquals(1, c.code());
        assertTrue(c.err().contains("compare needs a reference model"), c.err());
    }

    @Test
    void compareInQuantizedOnlyModeWhenTheModelIsQuantized() throws IOException {
        CliRunner r = debug("until layer 2\ncompare\n", "--model", qModel.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\n  2  pool1_quantized +exact +- +- +-\n.*"), r.out());
    }

    @Test
    void completionOffersCommandsSubCommandsLayersTensorsAndEngines() {
        Session s = new Session(program, "demo", input, SimOptions.defaults(), ReferenceProvider.NONE);
        Console c = new Console(s, new Out(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false));
        assertEquals(List.of("step", "stepi", "stats"), Terminal.candidates(c, "st"));
        assertEquals(List.of("semaphores", "sram"), Terminal.candidates(c, "info s"));
        assertEquals(List.of("ld"), Terminal.candidates(c, "stepi l"));
        assertEquals(List.of("relu1_quantized", "relu2_quantized", "relu3_quantized", "relu4_quantized"),
                Terminal.candidates(c, "break layer relu"));
        assertEquals(List.of("begin", "end"), Terminal.candidates(c, "break layer relu1_quantized "));
        assertTrue(Terminal.candidates(c, "tensor lo").containsAll(List.of("logits_quantized", "logits")));
        assertEquals(List.of("pp.maxpool"), Terminal.candidates(c, "break op pp.ma"));
        assertEquals(List.of("dequant"), Terminal.candidates(c, "tensor relu1_quantized d"));
    }
}
