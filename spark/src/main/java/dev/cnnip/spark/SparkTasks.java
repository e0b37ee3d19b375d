package dev.cnnip.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Independent indexed tasks as Spark tasks: {@code task.run(i)} for {@code i = 0 … n−1}, one Spark task
 * per index (a parallelized collection of the indices in {@code n} slices, mapped and collected), results
 * in index order. The task object is serialized to the executors, so it must hold only serializable,
 * immutable data; its results come back to the driver the same way. Used by {@code cnnip perf --sweep
 * --spark}, whose points (a compilation and one timed inference each) do not depend on one another.
 */
public final class SparkTasks {
    private SparkTasks() {}

    /** One task of an indexed family. */
    @FunctionalInterface
    public interface IndexTask<R extends Serializable> extends Serializable {
        /** The result of index {@code i}. */
        R run(int i) throws Exception;
    }

    /**
     * {@code [task.run(0), …, task.run(n − 1)]}, computed as Spark tasks in {@code spark}.
     *
     * @throws org.apache.spark.SparkException (unchecked by Spark's Java API) when a task throws
     */
    public static <R extends Serializable> List<R> map(SparkSession spark, int n, IndexTask<R> task) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (n == 0) return List.of();
        List<Integer> indices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) indices.add(i);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // collect() keeps the order of the slices and of the elements within each, hence index order.
        return new ArrayList<>(jsc.parallelize(indices, n).map(i -> task.run(i)).collect());
    }
}
