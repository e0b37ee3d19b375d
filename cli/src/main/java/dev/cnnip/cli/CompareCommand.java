package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.compiler.quant.BitsOverrides;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.compiler.quant.QuantSummary;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.compare.AutoPrecision;
import dev.cnnip.verify.compare.CompareHtml;
import dev.cnnip.verify.compare.CompareJson;
import dev.cnnip.verify.compare.CompareReport;
import dev.cnnip.verify.compare.CompareText;
import dev.cnnip.verify.compare.FixReport;
import dev.cnnip.verify.compare.QuantCompare;
import dev.cnnip.verify.compare.QuantFix;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cnnip compare FLOAT.onnx PROG.cnnip --input NAME=DATA …}: the quantization debugger. Every quantized
 * layer of the program, run on the simulator, against the float model in ONNX Runtime; diagnoses; optionally a
 * fix ({@code --fix --calib DATA -o FIXED.cnnip}) or automatic mixed precision ({@code --auto-precision DB}).
 * Every output file is written at the end, atomically: an error leaves none.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare a program layer by layer with its float model: find where quantization breaks, tell why, fix it.")
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FLOAT.onnx")
    Path floatModel;

    @Parameters(index = "1", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--input", required = true, paramLabel = "NAME=DATA",
            description = "Inputs: a .npy batch, .pb files, an image or a folder of images (with --preprocess); NAME=DATA per input.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--input-limit", paramLabel = "N", defaultValue = "0", description = "Compare only the first N inputs.")
    int inputLimit;

    @Option(names = "--labels", paramLabel = "LABELS.npy", description = "Class labels of the inputs: adds top-1 accuracy.")
    Path labels;

    @Option(names = "--quantized", paramLabel = "Q.onnx",
            description = "The quantized model the program was compiled from, for the bit-exact check against ONNX Runtime.")
    Path quantized;

    @Option(names = "--json", paramLabel = "FILE.json", description = "Write the report as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE.html", description = "Write the self-contained HTML report.")
    Path html;

    @Option(names = "--fix", description = "Apply the recommendations (needs --calib and -o): 16-bit layers, recalibration.")
    boolean fix;

    @Option(names = {"-o", "--output"}, paramLabel = "FIXED.cnnip", description = "Where --fix or --auto-precision writes the program.")
    Path output;

    @Option(names = "--auto-precision", paramLabel = "TARGET_DB",
            description = "Widen layers greedily (most dB per added cycle) until the output SQNR reaches TARGET_DB (needs --calib).")
    Double autoPrecision;

    @Option(names = "--candidates", paramLabel = "K", defaultValue = "3",
            description = "Layers measured per auto-precision step (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--overrides", paramLabel = "FILE.json",
            description = "Where the 16-bit overrides (the --bits-file format) go; default: next to -o as NAME.bits.json.")
    Path overrides;

    @Mixin
    QuantizeOptions quant;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ((fix || autoPrecision != null) && !quant.given()) {
            throw new IllegalArgumentException((fix ? "--fix" : "--auto-precision") + " needs --calib DATA to re-quantize with");
        }
        if ((fix || autoPrecision != null) && output == null && overrides == null) {
            throw new IllegalArgumentException((fix ? "--fix" : "--auto-precision") + " needs -o FIXED.cnnip or --overrides FILE.json");
        }
        if (fix && autoPrecision != null) throw new IllegalArgumentException("give --fix or --auto-precision, not both");
        ModelProto fm = OnnxModels.load(floatModel);
        Program p = ProgramFile.read(program);
        String pName = program.getFileName().toString();
        String fName = floatModel.getFileName().toString();
        Preprocess pp = quant.preprocess.isEmpty() ? Preprocess.DEFAULT : Preprocess.parse(quant.preprocess);
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        for (String in : p.inputs()) {
            Symbol s = p.symbol(in).orElseThrow();
            specs.put(in, InputSpec.of(in, s.dtype(), s.shape()));
        }
        checkInputSpecs(p);
        CalibrationData items = CalibrationData.open(inputs, specs, pp, inputLimit);
        if (items.isEmpty()) throw new IllegalArgumentException("--input " + String.join(" ", inputs) + ": no inputs");
        List<Map<String, Tensor>> list = new ArrayList<>(items);

        QuantCompare.Options opts = QuantCompare.Options.defaults();
        if (labels != null) opts = opts.withLabels(readLabels(labels, list.size()));
        if (quantized != null) {
            ModelProto q = OnnxModels.load(quantized);
            if (!QuantCompare.isProgramModel(p, q)) {
                throw new IllegalArgumentException(quantized + ": not the quantized model " + pName + " was compiled from "
                        + "(its SHA-256 differs from the program's)");
            }
            opts = opts.withQuantizedModel(q);
        } else if (quant.given()) {
            // the same data and options may reproduce the program's quantized model: then it is the bit-exact reference
            QuantFix.Built b = rebuild(fm, p, BitsOverrides.none());
            if (QuantCompare.isProgramModel(p, b.quantized())) opts = opts.withQuantizedModel(b.quantized()).withCalibClipped(b.calibClipped());
        }
        CompareReport r = QuantCompare.run(p, pName, fm, fName, list, opts);
        final QuantCompare.Options evalOpts = opts.withQuantizedModel(null).withCalibClipped(Map.of());
        QuantFix.Rebuild rebuild = o -> rebuild(fm, p, o);
        QuantFix.Evaluate evaluate = b -> QuantCompare.run(b.program(), "fixed", fm, fName, list,
                evalOpts.withQuantizedModel(b.quantized()).withCalibClipped(b.calibClipped()));
        Program result = null;
        BitsOverrides resultOverrides = null;
        if (fix) {
            FixReport f = QuantFix.fix(r, String.join(" ", quant.calib), rebuild, evaluate);
            r = r.withFix(f);
            result = f.built().program();
            resultOverrides = f.overrides();
        } else if (autoPrecision != null) {
            QuantFix.Evaluate quick = b -> QuantCompare.run(b.program(), "candidate", fm, fName, list,
                    evalOpts.withIsolated(false));
            AutoPrecision.Result a = AutoPrecision.run(r, p, autoPrecision, candidates, rebuild, quick, s -> {
                out.println(s);
                out.flush();
            });
            r = r.withAutoPrecision(a);
            resultOverrides = a.overrides();
            if (output != null) result = rebuild.build(a.overrides()).program();
        }
        out.print(CompareText.write(r));
        if (json != null) AtomicFiles.write(json, CompareJson.write(r).getBytes(StandardCharsets.UTF_8));
        if (html != null) AtomicFiles.write(html, CompareHtml.write(r).getBytes(StandardCharsets.UTF_8));
        if (resultOverrides != null) {
            Path ov = overrides != null ? overrides : output.resolveSibling(stem(output) + ".bits.json");
            if (result != null) ProgramFile.write(output, result);
            AtomicFiles.write(ov, resultOverrides.toJson().getBytes(StandardCharsets.UTF_8));
            if (result != null) out.println("wrote " + output);
            out.println("wrote " + ov + " (--bits-file format)");
        }
        if (json != null) out.println("wrote " + json);
        if (html != null) out.println("wrote " + html);
        out.flush(); // the table ends without println: autoflush would not send it before exit
        return 0;
    }

    /** Quantizes the float model with --calib and the quantize options plus {@code extra}, and compiles it like the program. */
    private QuantFix.Built rebuild(ModelProto fm, Program p, BitsOverrides extra) {
        QdqQuantizer.Options base = quant.options(p.hwConfig());
        Set<String> a = new LinkedHashSet<>(base.wideActivations());
        a.addAll(extra.activations16());
        Set<String> w = new LinkedHashSet<>(base.wideWeights());
        w.addAll(extra.weights16());
        QdqQuantizer.Result q;
        try {
            q = QdqQuantizer.quantize(fm, quant.data(fm), base.with16Bit(a, w), null);
        } catch (dev.cnnip.compiler.ir.GraphException e) {
            throw new IllegalStateException(floatModel + ": " + e.getMessage(), e);
        }
        Program prog = Compiler.compile(q.model(), p.modelName(), CompileOptions.of(p.hwConfig(), p.numerics())
                .withInputShapes(Shapes.parse(quant.inputShapes)));
        Map<String, Double> clipped = new HashMap<>();
        for (QuantSummary.Entry e : q.summary().tensors()) clipped.put(e.tensor(), e.clipped());
        return new QuantFix.Built(prog, q.model(), clipped);
    }

    /** Names in {@code NAME=DATA} must be program inputs; unnamed data only for a single-input program, once. */
    private void checkInputSpecs(Program p) {
        int unnamed = 0;
        for (String s : inputs) {
            int eq = s.indexOf('=');
            if (eq > 0 && !java.nio.file.Files.exists(Path.of(s))) {
                String name = s.substring(0, eq);
                if (!p.inputs().contains(name)) {
                    throw new IllegalArgumentException("--input " + s + ": the program has no input '" + name + "' (inputs: "
                            + String.join(", ", p.inputs()) + ")");
                }
            } else {
                unnamed++;
            }
        }
        if (unnamed > 1 || unnamed == 1 && p.inputs().size() > 1) {
            throw new IllegalArgumentException("--input: give one DATA (a batch, a folder or a file) for the program's input, "
                    + "or NAME=DATA for each of its inputs (" + String.join(", ", p.inputs()) + ")");
        }
    }

    private static int[] readLabels(Path file, int items) {
        Tensor t = TensorFiles.read(file);
        if (t.size() < items) throw new IllegalArgumentException(file + ": " + t.size() + " labels for " + items + " inputs");
        int[] out = new int[items];
        for (int i = 0; i < items; i++) out[i] = (int) t.getLong(i);
        return out;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
