package dev.cnnip.cli;

import dev.cnnip.compiler.calib.CalibrationData;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.tensor.AtomicFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip quantize MODEL.onnx --calib DATA -o OUT.onnx}: post-training quantization to a QDQ model. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a float ONNX model from calibration data into a QDQ model that ONNX Runtime runs.")
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx")
    Path output;

    @Mixin
    QuantizeOptions q;

    @Mixin
    HwOptions hw;

    @Override
    public Integer call() throws Exception {
        if (!q.given()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--calib=DATA'");
        ModelProto m = OnnxModels.load(model);
        QdqQuantizer.Result r = quantize(m, model, q, hw);
        OnnxModels.save(output, r.model());
        report(spec.commandLine().getOut(), r, q);
        spec.commandLine().getOut().println("wrote " + output);
        return 0;
    }

    /** Quantizes with the options; errors name the model file. */
    static QdqQuantizer.Result quantize(ModelProto m, Path model, QuantizeOptions q, HwOptions hw) {
        CalibrationData data = q.data(m);
        try {
            return QdqQuantizer.quantize(m, data, q.options(hw.resolve()), QuantizeOptions.progress());
        } catch (dev.cnnip.compiler.ir.GraphException e) {
            throw new IllegalStateException(model + ": " + e.getMessage(), e);
        }
    }

    /** Prints the summary table and writes its JSON when asked. */
    static void report(PrintWriter out, QdqQuantizer.Result r, QuantizeOptions q) throws java.io.IOException {
        out.print(r.summary().toTable());
        if (q.summary != null) AtomicFiles.write(q.summary, r.summary().toJson().getBytes(StandardCharsets.UTF_8));
    }
}
