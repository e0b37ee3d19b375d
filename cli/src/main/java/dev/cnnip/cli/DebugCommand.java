package dev.cnnip.cli;

import dev.cnnip.debugger.Debugger;
import dev.cnnip.debugger.ReferenceProvider;
import dev.cnnip.debugger.Session;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cnnip debug PROG.cnnip [--input NAME=FILE …] [--model MODEL.onnx] [--quantized-model Q.onnx]
 * [--batch SCRIPT]}: the interactive console, or batch mode with a script or commands on standard input.
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = {"Debug a program on the instruction-set simulator: step, break on layers and instructions, watch memory, "
                + "view and dump tensors, compare layers with ONNX Runtime.",
            "Interactive on a terminal; with --batch SCRIPT, or when standard input is not a terminal, it runs the commands "
                + "as a script (plain text, exit 1 at the first failing command)."})
final class DebugCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROG.cnnip")
    Path program;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "An input: .npy, TensorProto .pb, or an image with --preprocess; repeatable.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "", description = "How an image input becomes a tensor (as for run).")
    String preprocess;

    @Option(names = "--model", paramLabel = "MODEL.onnx",
            description = "Reference for compare: a float model (SQNR, cosine, max error), or the quantized model itself.")
    Path model;

    @Option(names = "--quantized-model", paramLabel = "Q.onnx",
            description = "The quantized model the program was compiled from (compare: exact or mismatch count).")
    Path quantizedModel;

    @Option(names = "--batch", paramLabel = "SCRIPT", description = "Run the commands of SCRIPT, then exit.")
    Path batch;

    @Option(names = "--serial", description = "Start in serial mode.")
    boolean serial;

    @Option(names = "--check-races", description = "Stop with a fault at the first unordered conflicting memory access (as for run).")
    boolean checkRaces;

    @Override
    public Integer call() throws Exception {
        Program p = ProgramFile.read(program);
        Map<String, Tensor> feeds = TensorFiles.readInputs(inputs, p,
                preprocess.isEmpty() ? null : dev.cnnip.compiler.calib.Preprocess.parse(preprocess));
        ModelProto floatModel = null;
        ModelProto qModel = quantizedModel == null ? null : OnnxModels.load(quantizedModel);
        if (model != null) {
            ModelProto m = OnnxModels.load(model);
            if (DebugReference.isQuantized(m)) {
                if (qModel == null) qModel = m;
            } else {
                floatModel = m;
            }
        }
        ReferenceProvider ref = qModel == null && floatModel == null ? ReferenceProvider.NONE
                : new DebugReference(p, qModel, floatModel, feeds);
        Session session = new Session(p, program.toString(), feeds, SimOptions.defaults().withSerial(serial).withCheckRaces(checkRaces), ref);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batch != null) {
            if (!Files.isRegularFile(batch)) throw new IllegalArgumentException("--batch " + batch + ": no such file");
            try (BufferedReader r = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                return Debugger.batch(session, r, batch.toString(), out, err);
            }
        }
        if (!Debugger.stdinIsTerminal()) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return Debugger.batch(session, r, "<stdin>", out, err);
        }
        return Debugger.interactive(session, "cnnip debug " + program + ": " + p.instructionCount() + " instructions, "
                + p.layers().size() + " layers, " + p.hwConfig().name() + (ref == ReferenceProvider.NONE ? ""
                : "; compare against " + (qModel != null ? "the quantized model" : "") + (qModel != null && floatModel != null
                ? " and " : "") + (floatModel != null ? "the float model" : "")));
    }
}
