package dev.cnnip.cli;

import dev.cnnip.ort.OrtOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.EvalJson;
import dev.cnnip.verify.EvalLabels;
import dev.cnnip.verify.EvalText;
import dev.cnnip.verify.Evaluation;
import dev.cnnip.verify.Evaluator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cnnip eval PROG.cnnip --input NAME=BATCH.npy --labels LABELS.npy [--reference MODEL.onnx]
 * [--output NAME] [--limit N] [--threads N] [--spark MASTER [--partitions N]] [--json FILE.json]}: top-1 / top-5 accuracy on the
 * instruction-set simulator ({@link Evaluator}), printed as {@link EvalText}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Cnnip.Version.class,
        description = "Top-1/top-5 accuracy of a classifier program on a labelled batch, run on the instruction-set "
                + "simulator on all cores; optionally against a reference model in ONNX Runtime.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROG.cnnip", description = "The compiled classifier program.")
    Path program;

    @Option(names = "--input", required = true, paramLabel = "NAME=BATCH.npy",
            description = "The items along the first axis, each shaped like the input without its batch axis "
                    + "(e.g. f32[1000,1,28,28] for an input f32[1,1,28,28]); NAME may be left out for the only input.")
    String input;

    @Option(names = "--labels", required = true, paramLabel = "LABELS.npy",
            description = "The class of every item: an integer .npy (uint8, int32, int64) of one label per item.")
    Path labels;

    @Option(names = "--reference", paramLabel = "MODEL.onnx",
            description = "Also classify the items with this model in ONNX Runtime and report the agreement.")
    Path reference;

    @Option(names = "--output", paramLabel = "NAME", description = "The output to classify (default: the only one).")
    String output;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N items.")
    Integer limit;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE.json", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the simulator as Apache Spark tasks on MASTER (e.g. local[2], spark://host:7077); "
                    + "the batch file must be readable at the same path on every executor.")
    String spark;

    @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions (default: 4 per core).")
    Integer partitions;

    @Override
    public Integer call() throws Exception {
        Evaluator.Options opts = options();
        Program p = ProgramFile.read(existing(program));
        EvalBatch batch = batch(p);
        EvalLabels lab = EvalLabels.of(labels.toString(), TensorFiles.read(labels), batch.size(), batch.source());
        if (EvalJit.automatic()) {
            // The launcher's first, C1-only JVM: a long run (or Spark's, whose executors may share this JVM) asks
            // for C2 before anything is printed or written.
            long items = opts.limit() > 0 ? Math.min(opts.limit(), batch.size()) : batch.size();
            if (spark != null || !EvalJit.shortRun(EvalJit.macsPerItem(p), items, opts.threads(),
                    Runtime.getRuntime().availableProcessors())) {
                return EvalJit.RELAUNCH_UNDER_C2;
            }
        }
        Evaluation e;
        org.apache.spark.sql.SparkSession session = spark == null ? null : dev.cnnip.spark.SparkIssRunner.session(spark);
        try {
            // With Spark the report's thread count is the cluster's default parallelism (its task slots).
            if (session != null && threads == null) opts = opts.withThreads(session.sparkContext().defaultParallelism());
            Evaluator.IssRunner runner = session == null ? Evaluator.LOCAL
                    : new dev.cnnip.spark.SparkIssRunner(session, partitions == null ? 0 : partitions);
            if (reference == null) {
                e = Evaluator.evaluate(p, program.toString(), batch, lab, opts, null, runner);
            } else {
                try (OrtRunner ort = OrtRunner.create(existing(reference), OrtOptions.defaults())) {
                    e = Evaluator.evaluate(p, program.toString(), batch, lab, opts,
                            new Evaluator.ReferenceModel(reference.toString(), ort), runner);
                }
            }
        } finally {
            if (session != null) session.stop();
        }
        spec.commandLine().getOut().print(EvalText.render(e));
        spec.commandLine().getOut().flush();
        if (json != null) AtomicFiles.write(json, EvalJson.write(e).getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    /** The {@code --input} batch for the program's only input. */
    private EvalBatch batch(Program p) {
        if (p.inputs().size() != 1) {
            throw new IllegalArgumentException(program + " has " + p.inputs().size() + " inputs ("
                    + String.join(", ", p.inputs()) + "); eval feeds a program with one input");
        }
        String name = p.inputs().get(0);
        int eq = input.indexOf('=');
        if (eq > 0 && !input.substring(0, eq).equals(name)) {
            throw new IllegalArgumentException("--input " + input.substring(0, eq) + ": the program has no input '"
                    + input.substring(0, eq) + "' (inputs: " + name + ")");
        }
        Path file = Path.of(eq > 0 ? input.substring(eq + 1) : input);
        Symbol in = p.symbol(name).orElseThrow();
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            // Items stream from disk: memory stays flat however many items the batch holds.
            existing(file);
            return EvalBatch.streamed(file, name, in.dtype(), in.shape());
        }
        return EvalBatch.of(file.toString(), TensorFiles.read(file), name, in.dtype(), in.shape());
    }

    private Evaluator.Options options() {
        if (limit != null && limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        if (threads != null && threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        if (partitions != null && partitions < 1) throw new ParameterException(spec.commandLine(), "--partitions must be at least 1");
        if (partitions != null && spark == null) throw new ParameterException(spec.commandLine(), "--partitions needs --spark");
        Evaluator.Options o = Evaluator.Options.defaults().withOutput(output).withProgress(ConsoleProgress.forConsole());
        if (limit != null) o = o.withLimit(limit);
        if (threads != null) o = o.withThreads(threads);
        return o;
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        return file;
    }
}
