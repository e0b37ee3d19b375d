package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip compile MODEL.onnx -o PROG.cnnip}: a quantized ONNX model to a program. */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Compile a quantized ONNX model (QDQ or QOperator form) to a .cnnip program.")
final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PROG.cnnip")
    Path output;

    @Mixin
    HwOptions hw;

    @Option(names = "--numerics", defaultValue = "ort", paramLabel = "ort|hw",
            description = "Requantization arithmetic: ort (bit-exact with ONNX Runtime) or hw (integer multiplier and shift).")
    String numerics;

    @Mixin
    QuantizeOptions quant;

    @Mixin
    ScheduleOptions schedule;

    @Override
    public Integer call() throws Exception {
        ModelProto m = OnnxModels.load(model);
        if (quant.given()) {
            QdqQuantizer.Result r = QuantizeCommand.quantize(m, model, quant, hw);
            QuantizeCommand.report(spec.commandLine().getOut(), r, quant);
            m = r.model();
        } else if (isFloat(m)) {
            throw new IllegalArgumentException(model + ": a float model; give --calib DATA to quantize it first");
        }
        CompileOptions opts = schedule.apply(CompileOptions.of(hw.resolve(), numerics(numerics))
                .withInputShapes(Shapes.parse(quant.inputShapes)));
        Program p;
        try {
            p = Compiler.compile(m, model.getFileName().toString(), opts);
        } catch (RuntimeException e) {
            throw new IllegalStateException(model + ": " + Cnnip.oneLine(e), e);
        }
        ProgramFile.write(output, p);
        spec.commandLine().getOut().printf("%s: %d layers, %d instructions, %d bytes of DRAM (%s, %s numerics)%n", output,
                p.layers().size(), p.instructionCount(), p.dramSize(), p.hwConfig().name(),
                p.numerics().name().toLowerCase(Locale.ROOT));
        return 0;
    }

    /** Whether the model has no quantization operators at all. */
    static boolean isFloat(ModelProto m) {
        return m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().startsWith("QLinear")
                || n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear"));
    }

    static Numerics numerics(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ort" -> Numerics.ORT;
            case "hw" -> Numerics.HW;
            default -> throw new IllegalArgumentException("--numerics must be ort or hw, not '" + s + "'");
        };
    }
}
