package dev.cnnip.verify;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.ort.OrtRunner;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures, in one process and on the same inputs and thread count, the time per inference of the
 * instruction-set simulator with its timing model, of the simulator functional only
 * ({@link SimOptions#timed()} false) and of ONNX Runtime, so their ratios are not skewed by a machine
 * that is busier in one run than in another.
 *
 * <p>Method: one warm-up round (not counted, it lets the JIT compile the kernels), then {@code rounds}
 * rounds; each round runs the three engines one after the other, each on {@code max(items, threads)}
 * inferences (the items, cycled) spread over {@code threads} threads with one machine per thread, reset
 * between inferences ({@link Machine#reset()}, as {@code eval} runs), and no shared mutable state. An engine's time per inference is the median over rounds of
 * {@code wall time of its part of the round / inferences in it} (with N threads: the amortised time, the
 * inverse of the throughput). Peak heap is the largest sum of the heap pools' peak usage seen in an
 * engine's parts, after a garbage collection before each part (an upper bound of the live heap).
 *
 * <p>Before timing it checks that the functional-only run gives the timed run's outputs bit for bit.
 */
public final class SpeedBench {
    private SpeedBench() {}

    /**
     * @param threads worker threads, at least 1
     * @param rounds  measured rounds, at least 1
     */
    public record Options(int threads, int rounds) {
        public Options {
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
    }

    /**
     * One engine's figures.
     *
     * @param name           "ISS timed", "ISS functional" or "ONNX Runtime"
     * @param msPerInference median over rounds of wall milliseconds / inferences
     * @param roundMs        milliseconds per inference of every round, in order
     * @param cpuMsPerInference median over rounds of worker-thread CPU milliseconds / inferences: on a
     *                       machine shared with other work it is the steadier figure
     * @param roundCpuMs     CPU milliseconds per inference of every round, in order
     * @param peakHeapBytes  largest sum of heap pool peaks over the engine's parts
     */
    public record Engine(String name, double msPerInference, double[] roundMs, double cpuMsPerInference,
                         double[] roundCpuMs, long peakHeapBytes) {
        public Engine {
            roundMs = roundMs.clone();
            roundCpuMs = roundCpuMs.clone();
        }

        @Override
        public double[] roundCpuMs() {
            return roundCpuMs.clone();
        }

        /** Inferences per second: {@code 1000 / msPerInference}. */
        public double perSecond() {
            return 1000.0 / msPerInference;
        }

        @Override
        public double[] roundMs() {
            return roundMs.clone();
        }
    }

    /**
     * The figures of one run.
     *
     * @param inferencesPerRound inferences per engine per round
     * @param timed              the simulator with timing
     * @param functional         the simulator, functional only
     * @param reference          ONNX Runtime, when a model was given
     * @param cycles             simulated cycles of one inference of the first item
     */
    public record Result(String program, int items, int threads, int rounds, int inferencesPerRound, Engine timed,
                         Engine functional, Optional<Engine> reference, long cycles) {
        /** Timed simulator time / ONNX Runtime time (wall), when there is a reference. */
        public Optional<Double> timedRatio() {
            return reference.map(r -> timed.msPerInference() / r.msPerInference());
        }

        /** Functional simulator time / ONNX Runtime time (wall), when there is a reference. */
        public Optional<Double> functionalRatio() {
            return reference.map(r -> functional.msPerInference() / r.msPerInference());
        }

        /** Timed simulator CPU time / ONNX Runtime CPU time, when there is a reference. */
        public Optional<Double> timedCpuRatio() {
            return reference.map(r -> timed.cpuMsPerInference() / r.cpuMsPerInference());
        }

        /** Functional simulator CPU time / ONNX Runtime CPU time, when there is a reference. */
        public Optional<Double> functionalCpuRatio() {
            return reference.map(r -> functional.cpuMsPerInference() / r.cpuMsPerInference());
        }
    }

    /**
     * Benchmarks {@code program} on {@code items} (each a full set of named inputs).
     *
     * @param reference ONNX Runtime session of the source model, or null
     * @throws IllegalStateException when the functional-only run's outputs differ from the timed run's
     */
    public static Result run(Program program, String programName, List<Map<String, Tensor>> items, OrtRunner reference,
                             Options opts) {
        if (items.isEmpty()) throw new IllegalArgumentException("no input items to benchmark");
        SimOptions timedOpts = SimOptions.defaults();
        SimOptions functionalOpts = SimOptions.defaults().withTimed(false);
        long cycles = checkSameBits(program, programName, items.get(0), timedOpts, functionalOpts);
        int perRound = Math.max(items.size(), opts.threads());
        List<Runner> engines = new ArrayList<>();
        ThreadLocal<Machine> timedMachines = ThreadLocal.withInitial(() -> new Machine(program, timedOpts, programName));
        ThreadLocal<Machine> functionalMachines = ThreadLocal.withInitial(() -> new Machine(program, functionalOpts, programName));
        engines.add(i -> simulate(timedMachines.get(), items.get(i % items.size())));
        engines.add(i -> simulate(functionalMachines.get(), items.get(i % items.size())));
        if (reference != null) engines.add(i -> reference.run(items.get(i % items.size())));
        int n = engines.size();
        double[][] ms = new double[n][opts.rounds()];
        double[][] cpuMs = new double[n][opts.rounds()];
        long[] peak = new long[n];
        for (int round = -1; round < opts.rounds(); round++) {
            for (int e = 0; e < n; e++) {
                Runner r = engines.get(e);
                System.gc();
                resetHeapPeaks();
                long t0 = System.nanoTime();
                long cpu = runOnThreads(r, perRound, opts.threads());
                double wallMs = (System.nanoTime() - t0) / 1e6;
                if (round >= 0) {
                    ms[e][round] = wallMs / perRound;
                    cpuMs[e][round] = cpu / 1e6 / perRound;
                    peak[e] = Math.max(peak[e], heapPeaks());
                }
            }
        }
        Engine timed = engine("ISS timed", ms[0], cpuMs[0], peak[0]);
        Engine functional = engine("ISS functional", ms[1], cpuMs[1], peak[1]);
        Optional<Engine> ref = reference == null ? Optional.empty()
                : Optional.of(engine("ONNX Runtime", ms[2], cpuMs[2], peak[2]));
        return new Result(programName, items.size(), opts.threads(), opts.rounds(), perRound, timed, functional, ref,
                cycles);
    }

    @FunctionalInterface
    private interface Runner {
        void run(int inference);
    }

    private static Map<String, Tensor> simulate(Program p, String name, Map<String, Tensor> inputs, SimOptions o) {
        return simulate(new Machine(p, o, name), inputs);
    }

    /** One inference on {@code m}, reset first when it has run before. */
    private static Map<String, Tensor> simulate(Machine m, Map<String, Tensor> inputs) {
        if (m.state().retired() > 0) m.reset();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) m.writeInput(e.getKey(), e.getValue());
        m.run();
        return m.outputs();
    }

    /** Runs both modes once and compares every output byte; returns the timed run's cycles. */
    private static long checkSameBits(Program p, String name, Map<String, Tensor> inputs, SimOptions timed,
                                      SimOptions functional) {
        Machine m = new Machine(p, timed, name);
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) m.writeInput(e.getKey(), e.getValue());
        m.run();
        Map<String, Tensor> a = m.outputs();
        Map<String, Tensor> b = simulate(p, name, inputs, functional);
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            if (!e.getValue().contentEquals(b.get(e.getKey()))) {
                throw new IllegalStateException(name + ": output '" + e.getKey()
                        + "' of the functional-only run differs from the timed run's");
            }
        }
        return m.perfReport().totalCycles();
    }

    private static Engine engine(String name, double[] ms, double[] cpuMs, long peak) {
        return new Engine(name, median(ms), ms, median(cpuMs), cpuMs, peak);
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    /**
     * Runs inferences {@code 0 … n−1} on {@code threads} threads (the caller's among them), each taking the
     * next unclaimed index; returns the CPU nanoseconds the workers used (their thread CPU time, which
     * includes ONNX Runtime's native work on the calling thread but not the JIT or GC threads).
     */
    private static long runOnThreads(Runner r, int n, int threads) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Runnable worker = () -> {
            long c0 = mx.getCurrentThreadCpuTime();
            try {
                for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) r.run(i);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
            cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
        };
        List<Thread> pool = new ArrayList<>();
        for (int t = 1; t < Math.min(threads, n); t++) {
            Thread th = new Thread(worker, "cnnip-bench-" + t);
            th.start();
            pool.add(th);
        }
        worker.run();
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the benchmark threads", e);
            }
        }
        if (failure.get() != null) throw failure.get();
        return cpu.get();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> out = new ArrayList<>();
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP && b.isValid()) out.add(b);
        }
        return out;
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean b : heapPools()) b.resetPeakUsage();
    }

    private static long heapPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean b : heapPools()) sum += b.getPeakUsage().getUsed();
        return sum;
    }
}
