package dev.cnnip.spark;

import dev.cnnip.emulator.SimOptions;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.DType;
import dev.cnnip.verify.EvalBatch;
import dev.cnnip.verify.EvalLabels;
import dev.cnnip.verify.EvalProgress;
import dev.cnnip.verify.Evaluator;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the instruction-set simulator as Spark tasks: the items' indices form a {@link Dataset}, and
 * {@link IssPartition} — a {@code mapPartitions} function — simulates the items of one partition on one
 * machine (reset between items), reading each input from the batch's {@code .npy} file (so the file must be
 * readable at the same path by every executor: a shared file system, or {@code spark-submit --files}
 * with a relative path). The results come back to the driver by item index, so the evaluation equals
 * {@link Evaluator#LOCAL}'s on the same items.
 */
public final class SparkIssRunner implements Evaluator.IssRunner {
    private final SparkSession spark;
    private final int partitions;

    /**
     * @param spark      the session to run in (the caller owns and stops it)
     * @param partitions number of partitions, at least 1; 0 for four per default-parallelism core
     */
    public SparkIssRunner(SparkSession spark, int partitions) {
        if (partitions < 0) throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
        this.spark = spark;
        this.partitions = partitions;
    }

    /**
     * A local or cluster session named {@code cnnip} for {@code master} (for example {@code local[2]},
     * {@code spark://host:7077}, or null to take it from {@code spark-submit}), with the web UI off.
     */
    public static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("cnnip").config("spark.ui.enabled", "false");
        if (master != null) b = b.master(master);
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    @Override
    public List<Evaluator.ItemResult> run(Program program, String programName, EvalBatch batch, EvalLabels labels,
                                          String output, int items, Evaluator.Options opts, EvalProgress.Task task) {
        if (batch.file() == null) {
            throw new IllegalArgumentException(batch.source() + ": the Spark runner reads items from a .npy file");
        }
        int parts = partitions > 0 ? partitions : 4 * spark.sparkContext().defaultParallelism();
        parts = Math.max(1, Math.min(parts, items));
        List<Integer> indices = IntStream.range(0, items).boxed().toList();
        Dataset<Integer> ds = spark.createDataset(indices, Encoders.INT()).repartitionByRange(parts,
                org.apache.spark.sql.functions.col("value"));
        IssPartition f = new IssPartition(ProgramFile.toBytes(program), programName, batch.file().toString(),
                batch.input(), batch.dtype(), batch.itemShape(), labels.values(), output, opts.sim());
        List<Outcome> outcomes = new ArrayList<>(ds.mapPartitions(f, Encoders.javaSerialization(Outcome.class))
                .collectAsList());
        outcomes.sort(Comparator.comparingInt(Outcome::index));
        if (outcomes.size() != items) {
            throw new IllegalStateException("Spark returned " + outcomes.size() + " results for " + items + " items");
        }
        List<Evaluator.ItemResult> out = new ArrayList<>(items);
        for (Outcome o : outcomes) {
            out.add(o.result());
            task.step();
        }
        return out;
    }

    /** One item's result and its index. */
    public record Outcome(int index, Evaluator.ItemResult result) implements Serializable {}

    /**
     * The simulator over one partition of item indices: decodes the program once per partition, opens the
     * batch file, and simulates each item on the partition's machine, reset between items. Holds only
     * serializable, immutable data.
     */
    public static final class IssPartition implements MapPartitionsFunction<Integer, Outcome> {
        private static final long serialVersionUID = 1L;
        private final byte[] program;
        private final String programName;
        private final String file;
        private final String input;
        private final DType dtype;
        private final int[] itemShape;
        private final int[] labels;
        private final String output;
        private final boolean serial;
        private final long maxInstructions;
        private final long maxCycles;
        private final boolean checkRaces;

        IssPartition(byte[] program, String programName, String file, String input, DType dtype, int[] itemShape,
                     int[] labels, String output, SimOptions sim) {
            this.program = program.clone();
            this.programName = programName;
            this.file = file;
            this.input = input;
            this.dtype = dtype;
            this.itemShape = itemShape.clone();
            this.labels = labels.clone();
            this.output = output;
            this.serial = sim.serial();
            this.maxInstructions = sim.maxInstructions();
            this.maxCycles = sim.maxCycles();
            this.checkRaces = sim.checkRaces();
        }

        @Override
        public Iterator<Outcome> call(Iterator<Integer> indices) throws Exception {
            Program p = ProgramFile.fromBytes(program, programName);
            EvalBatch batch = EvalBatch.streamed(Path.of(file), input, dtype, itemShape);
            SimOptions sim = new SimOptions(serial, maxInstructions, maxCycles, checkRaces);
            // One machine per partition, reset between its items.
            dev.cnnip.emulator.Machine machine = new dev.cnnip.emulator.Machine(p, sim, programName);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return indices.hasNext();
                }

                @Override
                public Outcome next() {
                    int i = indices.next();
                    try {
                        return new Outcome(i, Evaluator.simulateItem(machine, input, batch.item(i), labels[i], output));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(file + " item " + i + ": " + e.getMessage(), e);
                    }
                }
            };
        }
    }
}
