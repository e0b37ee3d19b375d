package dev.cnnip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.compiler.calib.InputSpec;
import dev.cnnip.compiler.demo.DemoModel;
import dev.cnnip.compiler.quant.QdqQuantizer;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfCsv;
import dev.cnnip.emulator.timing.PerfJson;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.emulator.timing.PerfText;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.OnnxModels;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.AtomicFiles;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.verify.Demo;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cnnip perf MODEL.onnx|PROG.cnnip|demo [--hw …] [--set k=v …] [--sweep k=v1,v2 … [--spark MASTER]] [--json FILE] [--csv FILE]}:
 * compiles (an ONNX model) and times one inference, and prints the per-layer roofline table; with
 * {@code --sweep}, recompiles and re-times every point of the grid and prints one row per point.
 *
 * <p>Timing does not depend on the input values (the graph inputs are left zero), only zero-block skipping
 * depends on the weights. A float model is quantized first: from {@code --calib DATA} when given, else from
 * {@value #SYNTHETIC_ITEMS} seeded uniform-random items in [0, 1) (ranges then are not those of real data,
 * which changes no cycle count).
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Performance report of one inference: per layer cycles, MACs, utilisation, mapping efficiency, DRAM "
                + "traffic and bandwidth, roofline terms and the limiting resource; totals, latency, frames/s and TOPS. "
                + "--sweep recompiles and re-times a grid of hardware parameters.")
final class PerfCommand implements Callable<Integer> {
    /** Calibration items of the default synthetic calibration of a float model. */
    static final int SYNTHETIC_ITEMS = 8;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx|PROG.cnnip|demo",
            description = "A quantized or float ONNX model, a compiled program, or 'demo' (the embedded demo CNN).")
    String source;

    @Mixin
    HwOptions hw;

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...",
            description = "Sweep a hardware parameter (repeatable; several give the grid of all combinations).")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report (a sweep: every point's report) as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the per-layer table (a sweep: one row per point) as CSV.")
    Path csv;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "With --sweep: run the points as Apache Spark tasks on MASTER (e.g. local[2], "
                    + "spark://host:7077); the same rows as without.")
    String spark;

    @Option(names = "--serial", description = "Serial mode: every instruction waits for the previous one.")
    boolean serial;

    @Option(names = "--numerics", defaultValue = "ort", paramLabel = "ort|hw", description = "Requantization arithmetic.")
    String numerics;

    @Mixin
    QuantizeOptions quant;

    @Mixin
    ScheduleOptions schedule;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (source.endsWith(".cnnip")) {
            if (!sweeps.isEmpty() || !hw.sets.isEmpty() || !hw.hw.equals("v3u-like")) {
                throw new IllegalArgumentException(source + ": a compiled program keeps the machine it was compiled for; "
                        + "give the ONNX model to use --hw, --set or --sweep");
            }
            Program p = ProgramFile.read(Path.of(source));
            single(o, time(p));
            return 0;
        }
        if (spark != null && sweeps.isEmpty()) throw new IllegalArgumentException("--spark needs --sweep");
        HwConfig base = hw.resolve();
        SweepGrid grid = SweepGrid.parse(sweeps, base);
        ModelProto model = quantized(base);
        if (sweeps.isEmpty()) {
            single(o, time(compile(model, base)));
            return 0;
        }
        sweep(o, grid, base, model);
        return 0;
    }

    private void single(PrintWriter o, PerfReport r) throws Exception {
        o.print(PerfText.render(r));
        if (json != null) AtomicFiles.write(json, PerfJson.write(r).getBytes(StandardCharsets.UTF_8));
        if (csv != null) AtomicFiles.write(csv, PerfCsv.layers(r).getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private void sweep(PrintWriter o, SweepGrid grid, HwConfig base, ModelProto model) throws Exception {
        List<String> header = new ArrayList<>(grid.keys());
        header.addAll(List.of("cycles", "fps", "mac_utilisation", "dram_bytes", "limit", "x_ideal"));
        StringBuilder table = new StringBuilder(String.join(",", header)).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(String[]::new));
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = mapper.createObjectNode();
        ArrayNode keys = doc.putArray("keys");
        grid.keys().forEach(keys::add);
        ArrayNode points = doc.putArray("points");
        int failed = 0;
        List<SweepTask.Point> results = runPoints(grid, base, model);
        for (int i = 0; i < grid.size(); i++) {
            List<String> values = grid.points().get(i);
            List<String> row = new ArrayList<>(values);
            ObjectNode point = points.addObject();
            ObjectNode vals = point.putObject("values");
            for (int k = 0; k < values.size(); k++) vals.put(grid.keys().get(k), values.get(k));
            SweepTask.Point r = results.get(i);
            row.addAll(r.cells());
            if (r.error() == null) {
                point.set("report", mapper.readTree(r.reportJson()));
            } else {
                failed++;
                point.put("error", r.error());
                spec.commandLine().getErr().println("cnnip perf: point " + String.join(" ", pairs(grid, values)) + ": "
                        + r.error());
            }
            rows.add(row.toArray(String[]::new));
            table.append(String.join(",", row.stream().map(PerfCommand::csvField).toList())).append('\n');
        }
        o.print(align(rows));
        if (failed > 0) o.printf("%d of %d points failed (see above)%n", failed, grid.size());
        if (csv != null) AtomicFiles.write(csv, table.toString().getBytes(StandardCharsets.UTF_8));
        if (json != null) {
            String text = mapper.writeValueAsString(doc).replace("\r\n", "\n") + "\n";
            AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
        }
        o.flush();
    }

    /**
     * Every point's result, in grid order: compiled and timed here one after the other, or with
     * {@code --spark} as Spark tasks (one per point) by the same {@link SweepTask}.
     */
    private List<SweepTask.Point> runPoints(SweepGrid grid, HwConfig base, ModelProto model) throws Exception {
        CompileOptions scheduled = schedule.apply(CompileOptions.of(base, CompileCommand.numerics(numerics)));
        SweepTask task = new SweepTask(model.toByteArray(), programName(), source, base.toCanonicalJson(), grid.keys(),
                grid.points(), numerics, quant.inputShapes, scheduled.sramResidency(), scheduled.keepInDram(), serial);
        if (spark == null) {
            List<SweepTask.Point> out = new ArrayList<>();
            for (int i = 0; i < grid.size(); i++) out.add(task.run(i));
            return out;
        }
        org.apache.spark.sql.SparkSession session = dev.cnnip.spark.SparkIssRunner.session(spark);
        try {
            return dev.cnnip.spark.SparkTasks.map(session, grid.size(), task);
        } finally {
            session.stop();
        }
    }

    private String programName() {
        return source.equals("demo") ? "cnnip-demo" : Path.of(source).getFileName().toString();
    }

    private static List<String> pairs(SweepGrid g, List<String> values) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < values.size(); k++) out.add(g.keys().get(k) + "=" + values.get(k));
        return out;
    }

    /** The model to compile: quantized from --calib, from synthetic data when float, or as given. */
    private ModelProto quantized(HwConfig base) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (source.equals("demo")) {
            ModelProto f = DemoModel.build(Demo.MODEL_SEED);
            return QdqQuantizer.quantize(f, DemoModel.inputs(Demo.DATA_SEED, Demo.CALIBRATION_ITEMS),
                    quant.options(base), null).model();
        }
        Path file = Path.of(source);
        ModelProto m = OnnxModels.load(file);
        if (quant.given()) {
            QdqQuantizer.Result r = QuantizeCommand.quantize(m, file, quant, hw);
            return r.model();
        }
        if (!CompileCommand.isFloat(m)) return m;
        o.printf("%s: a float model; quantizing from %d synthetic uniform [0, 1) items (give --calib DATA for real ranges;"
                + " cycle counts do not depend on them)%n", source, SYNTHETIC_ITEMS);
        try {
            return QdqQuantizer.quantize(m, synthetic(m), quant.options(base), QuantizeOptions.progress()).model();
        } catch (dev.cnnip.compiler.ir.GraphException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #SYNTHETIC_ITEMS} items of seeded uniform values in [0, 1) for every float input. */
    private List<Map<String, Tensor>> synthetic(ModelProto m) {
        Map<String, InputSpec> inputs = new LinkedHashMap<>(InputSpec.of(m));
        Shapes.parse(quant.inputShapes).forEach((k, v) -> {
            InputSpec known = inputs.get(k);
            if (known == null) throw new IllegalArgumentException("--input-shape: the model has no input '" + k + "'");
            inputs.put(k, InputSpec.of(k, known.dtype(), v));
        });
        SplittableRandom rnd = new SplittableRandom(2026);
        List<Map<String, Tensor>> items = new ArrayList<>();
        for (int i = 0; i < SYNTHETIC_ITEMS; i++) {
            Map<String, Tensor> item = new LinkedHashMap<>();
            for (InputSpec s : inputs.values()) {
                for (int d : s.shape()) {
                    if (d < 1) throw new IllegalArgumentException(source + ": input '" + s.name()
                            + "' has a symbolic dimension; give --input-shape " + s.name() + "=1x3x224x224");
                }
                float[] v = new float[(int) Tensor.numElements(s.shape())];
                for (int j = 0; j < v.length; j++) v[j] = (float) rnd.nextDouble();
                if (s.dtype() != DType.FLOAT32) throw new IllegalArgumentException(source + ": input '" + s.name()
                        + "' is " + s.dtype() + "; give --calib DATA");
                item.put(s.name(), Tensor.ofFloats(s.shape(), v));
            }
            items.add(item);
        }
        return items;
    }

    private Program compile(ModelProto model, HwConfig c) {
        Numerics n = CompileCommand.numerics(numerics);
        CompileOptions opts = schedule.apply(CompileOptions.of(c, n).withInputShapes(Shapes.parse(quant.inputShapes)));
        try {
            return Compiler.compile(model, programName(), opts);
        } catch (RuntimeException e) {
            throw new IllegalStateException(source + ": " + Cnnip.oneLine(e), e);
        }
    }

    /** Runs one inference with zero inputs and returns its report. */
    private PerfReport time(Program p) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial), source);
        m.run();
        return m.perfReport();
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Right-aligned columns, two spaces apart. */
    private static String align(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) line.append("  ");
                line.append(" ".repeat(w[i] - r[i].length())).append(r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
