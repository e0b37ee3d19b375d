package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.calib.Preprocess;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.SpeedBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cnnip bench MODEL.onnx|PROG.cnnip [--reference MODEL.onnx] [--input NAME=FILE] [--limit N]
 * [--threads N] [--rounds N]}: time per inference of the simulator with timing, functional only and ONNX
 * Runtime, measured in one run ({@link SpeedBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Cnnip.Version.class,
        description = "Time per inference of the simulator (with timing, functional only) and of ONNX Runtime, "
                + "in one run on the same inputs and threads, with their ratios and the peak heap.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx|PROG.cnnip",
            description = "A quantized ONNX model (compiled here with the default hardware, ONNX Runtime runs it) "
                    + "or a compiled program.")
    Path target;

    @Option(names = "--reference", paramLabel = "MODEL.onnx",
            description = "The model ONNX Runtime runs (default: MODEL.onnx itself; none for a program).")
    Path reference;

    @Option(names = "--input", paramLabel = "NAME=FILE",
            description = "Input items: a .npy batch (items along the first axis) or one tensor (.npy/.pb), or an "
                    + "image with --preprocess. Default: one deterministic pseudo-random item in [0, 1).")
    String input;

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "", description = "How an image input becomes a tensor.")
    String preprocess;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "8", description = "Use at most N items of a batch (default 8).")
    int limit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Worker threads (default 1).")
    int threads;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds (default 5).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        if (rounds < 1) throw new ParameterException(spec.commandLine(), "--rounds must be at least 1");
        if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        if (!Files.isRegularFile(target)) throw new IllegalArgumentException(target + ": no such file");
        boolean onnx = target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
        Program p = onnx ? compile(target) : ProgramFile.read(target);
        Path refModel = reference != null ? reference : onnx ? target : null;
        if (refModel != null && !Files.isRegularFile(refModel)) throw new IllegalArgumentException(refModel + ": no such file");
        List<Map<String, Tensor>> items = items(p);
        SpeedBench.Result r;
        if (refModel == null) {
            r = SpeedBench.run(p, target.toString(), items, null, new SpeedBench.Options(threads, rounds));
        } else {
            try (OrtRunner ort = OrtRunner.create(refModel, OrtOptions.defaults())) {
                r = SpeedBench.run(p, target.toString(), items, ort, new SpeedBench.Options(threads, rounds));
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(render(r, refModel));
        o.flush();
        return 0;
    }

    /** The report: one line per engine, then the ratios. */
    static String render(SpeedBench.Result r, Path refModel) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "bench %s: %d item(s), %d thread(s), %d round(s) of %d inference(s) per engine,"
                + " %d simulated cycles per inference%n", r.program(), r.items(), r.threads(), r.rounds(),
                r.inferencesPerRound(), r.cycles()));
        sb.append(String.format(Locale.ROOT, "  %-16s %10s %10s %12s %14s   %s%n", "engine", "wall ms", "CPU ms",
                "inferences/s", "peak heap MiB", "rounds (wall ms / CPU ms per inference)"));
        List<SpeedBench.Engine> all = new ArrayList<>(List.of(r.timed(), r.functional()));
        r.reference().ifPresent(all::add);
        for (SpeedBench.Engine e : all) {
            StringBuilder rounds = new StringBuilder();
            double[] wall = e.roundMs();
            double[] cpu = e.roundCpuMs();
            for (int i = 0; i < wall.length; i++) {
                rounds.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f/%.2f", wall[i], cpu[i]));
            }
            sb.append(String.format(Locale.ROOT, "  %-16s %10.3f %10.3f %12.1f %14.1f   %s%n", e.name(), e.msPerInference(),
                    e.cpuMsPerInference(), e.perSecond(), e.peakHeapBytes() / (1024.0 * 1024.0), rounds));
        }
        if (r.reference().isPresent()) {
            sb.append(String.format(Locale.ROOT, "  ratio to ONNX Runtime (%s): ISS timed %.2f wall, %.2f CPU;"
                    + " ISS functional %.2f wall, %.2f CPU%n", refModel, r.timedRatio().orElseThrow(),
                    r.timedCpuRatio().orElseThrow(), r.functionalRatio().orElseThrow(), r.functionalCpuRatio().orElseThrow()));
        } else {
            sb.append("  no ONNX Runtime reference (give --reference MODEL.onnx)\n");
        }
        sb.append(String.format(Locale.ROOT, "  ratio ISS timed / ISS functional: %.2f wall, %.2f CPU%n",
                r.timed().msPerInference() / r.functional().msPerInference(),
                r.timed().cpuMsPerInference() / r.functional().cpuMsPerInference()));
        return sb.toString();
    }

    private static Program compile(Path model) {
        var m = OnnxModels.load(model);
        if (CompileCommand.isFloat(m)) {
            throw new IllegalArgumentException(model + ": a float model; compile it with --calib first and bench the program"
                    + " with --reference " + model);
        }
        try {
            return Compiler.compile(m, model.getFileName().toString(),
                    CompileOptions.of(dev.cnnip.hw.HwConfig.load("v3u-like"), Numerics.ORT));
        } catch (RuntimeException e) {
            throw new IllegalStateException(model + ": " + Cnnip.oneLine(e), e);
        }
    }

    /** The items: a batch's first {@code limit} items, one tensor or image, or a pseudo-random item. */
    private List<Map<String, Tensor>> items(Program p) {
        if (p.inputs().size() != 1) {
            throw new IllegalArgumentException(target + " has " + p.inputs().size() + " inputs; bench feeds a program with one input");
        }
        String name = p.inputs().get(0);
        Symbol in = p.symbol(name).orElseThrow();
        if (input == null) return List.of(Map.of(name, pseudoRandom(in.dtype(), in.shape())));
        int eq = input.indexOf('=');
        Path file = Path.of(eq > 0 ? input.substring(eq + 1) : input);
        Preprocess pp = preprocess.isEmpty() ? null : Preprocess.parse(preprocess);
        Map<String, Tensor> one = TensorFiles.readInputs(List.of(name + "=" + file), p, pp);
        Tensor t = one.get(name);
        if (java.util.Arrays.equals(t.shape(), in.shape())) return List.of(one);
        EvalBatch batch = EvalBatch.of(file.toString(), t, name, in.dtype(), in.shape());
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, batch.size()); i++) out.add(Map.of(name, batch.item(i)));
        return out;
    }

    private static Tensor pseudoRandom(DType dtype, int[] shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        Random rnd = new Random(1);
        for (int i = 0; i < t.size(); i++) {
            if (dtype == DType.FLOAT32) {
                t.setDouble(i, rnd.nextFloat());
            } else {
                t.setLong(i, rnd.nextInt(100));
            }
        }
        return t;
    }
}
