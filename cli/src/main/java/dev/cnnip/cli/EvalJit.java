package dev.cnnip.cli;

import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Program;

/**
 * Which of the JVM's compilers an {@code eval} run should have, in the {@code cnnip} launcher's automatic
 * mode (the default; {@code CNNIP_JIT=quick} or {@code full} chooses by hand).
 *
 * <p>A fresh JVM spends seconds of CPU in its optimising compiler, C2, before the simulator runs at full speed,
 * and on a machine with few cores that compiler takes a core of its own, so a short run gains nothing from a
 * second worker thread. Under the quick compiler alone (C1, {@code -XX:TieredStopAtLevel=1}) compiling costs a
 * fraction of that and every worker gains, but the compiled simulator is several times slower per item (the
 * scalar kernels: the vector ones need C2). So the launcher starts {@code eval} under C1 with
 * {@code -Dcnnip.jit=auto}; a short run finishes there, and a long one exits at once with
 * {@link #RELAUNCH_UNDER_C2}, having printed and written nothing, and the launcher starts it again under C2.
 * That costs a long run the first JVM's start-up, 0.4-0.5 s.
 *
 * <p>A run is short when its predicted simulation under C1,
 * {@code items · MACs per item · }{@value #C1_NS_PER_MAC}{@code  ns / min(threads, cores)}, is at most
 * {@value #SHORT_RUN_SECONDS} s. Measured on 2 cores (README, eval; whole runs): C1 took 1.1 ns per MAC
 * on MNIST and 1.7 ns on MobileNetV2 on one thread; C1 was faster than C2 for 1,000 MNIST items on one thread
 * (1.57 s against 1.96 s) and on two (1.21 s against 2.31 s) and for 5 MobileNetV2 items on two (2.31 s
 * against 2.79 s), slower for 3,000 MNIST items on one thread (3.31 s against 2.58 s), 3 MobileNetV2 items on
 * one (2.76 s against 2.13 s) and 20 on two (5.76 s against 3.50 s). On more cores C2's compiling hides on idle
 * cores and the crossover moves to shorter runs; these constants were not measured there.
 */
final class EvalJit {
    private EvalJit() {}

    /** System property the launcher sets to {@code auto} on the first, C1-only, JVM of an {@code eval}. */
    static final String PROPERTY = "cnnip.jit";

    /** Exit code asking the launcher to run the same command again under C2 (only with {@code cnnip.jit=auto}). */
    static final int RELAUNCH_UNDER_C2 = 75;

    /** Predicted C1 simulation time per multiply-accumulate of one item, on one thread, in nanoseconds. */
    static final double C1_NS_PER_MAC = 1.4;

    /** Longest predicted C1 simulation, in seconds, that stays under C1. */
    static final double SHORT_RUN_SECONDS = 1.2;

    /** Whether this JVM is the launcher's C1-only first try. */
    static boolean automatic() {
        return "auto".equals(System.getProperty(PROPERTY));
    }

    /** Multiply-accumulates of one inference of {@code p}: the sum over its layers. */
    static long macsPerItem(Program p) {
        long macs = 0;
        for (LayerInfo l : p.layers()) macs += l.macs();
        return macs;
    }

    /**
     * Whether a run of {@code items} inferences of {@code macsPerItem} MACs each on {@code threads} worker threads
     * and {@code cores} cores is short enough to finish under C1 (see the class comment).
     */
    static boolean shortRun(long macsPerItem, long items, int threads, int cores) {
        int workers = Math.max(1, Math.min(threads, cores));
        double seconds = (double) macsPerItem * items * C1_NS_PER_MAC * 1e-9 / workers;
        return seconds <= SHORT_RUN_SECONDS;
    }
}
