package dev.cnnip.cli;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfJson;
import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.hw.HwConfig;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.program.Numerics;
import dev.cnnip.spark.SparkTasks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One point of {@code cnnip perf --sweep}: compile the quantized model for the point's hardware and time one
 * inference with zero inputs. Self-contained and serializable (the model's bytes, the base configuration as
 * canonical JSON, the grid and the compile options as plain values), so the same object runs the points
 * in the command's process or as Spark tasks ({@code --spark}); the rows do not depend on where they ran.
 *
 * @param model        the quantized model, serialized
 * @param programName  the program name the compiler records
 * @param source       the command's source argument, for error messages
 * @param baseHw       the base configuration, {@link HwConfig#toCanonicalJson()}
 * @param keys         the swept keys
 * @param points       per point, the values of the keys
 * @param numerics     {@code ort} or {@code hw}
 * @param inputShapes  {@code --input-shape} values
 * @param sramResidency compile with SRAM residency
 * @param keepInDram   write resident tensors through to DRAM
 * @param serial       time in serial mode
 */
record SweepTask(byte[] model, String programName, String source, String baseHw, List<String> keys,
                 List<List<String>> points, String numerics, List<String> inputShapes, boolean sramResidency,
                 boolean keepInDram, boolean serial) implements SparkTasks.IndexTask<SweepTask.Point> {
    SweepTask {
        keys = new ArrayList<>(keys);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> p : points) copy.add(new ArrayList<>(p));
        points = copy;
        inputShapes = new ArrayList<>(inputShapes);
    }

    /**
     * What a point gave: its table cells after the swept values (cycles, fps, MAC utilisation, DRAM bytes,
     * limit, ratio to the ideal bound) and its report as JSON, or the one-line error that stopped it.
     */
    record Point(List<String> cells, String reportJson, String error) implements Serializable {
        Point {
            cells = new ArrayList<>(cells);
        }
    }

    @Override
    public Point run(int i) {
        try {
            Map<String, String> o = new LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) o.put(keys.get(k), points.get(i).get(k));
            HwConfig hw = HwConfig.fromCanonicalJson(baseHw).withOverrides(o);
            CompileOptions opts = CompileOptions.of(hw, CompileCommand.numerics(numerics))
                    .withInputShapes(Shapes.parse(inputShapes)).withSramResidency(sramResidency).withKeepInDram(keepInDram);
            dev.cnnip.program.Program p;
            try {
                p = Compiler.compile(ModelProto.parseFrom(model), programName, opts);
            } catch (RuntimeException e) {
                throw new IllegalStateException(source + ": " + Cnnip.oneLine(e), e);
            }
            Machine m = new Machine(p, SimOptions.defaults().withSerial(serial), source);
            m.run();
            PerfReport r = m.perfReport();
            List<String> cells = List.of(Long.toString(r.totalCycles()), String.format(Locale.ROOT, "%.2f", r.fps()),
                    String.format(Locale.ROOT, "%.6f", r.total().macUtilisation()), Long.toString(r.total().dramBytes()),
                    r.total().limit().label(), String.format(Locale.ROOT, "%.3f", r.idealRatio()));
            return new Point(cells, PerfJson.write(r), null);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(source + ": the model does not parse again: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            return new Point(List.of("-", "-", "-", "-", "error", "-"), null, Cnnip.oneLine(e));
        }
    }
}
