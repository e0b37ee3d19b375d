package dev.cnnip.debugger;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.tensor.Npy;
import dev.cnnip.tensor.Tensor;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark (not a unit test): {@code continue} without stop points against a plain machine run (what
 * {@code cnnip run} does), and the cost of stepping one instruction at a time through the console
 * against executing the same instructions without it (thread CPU time), per quarter of the program (a constant cost per
 * step shows as equal overheads in every quarter).
 *
 * <pre>java -cp "debugger/target/test-classes:cli/target/cnnip.jar:cli/target/lib/*" \
 *     dev.cnnip.debugger.SteppingBenchmark PROG.cnnip NAME=INPUT.npy [reps]</pre>
 */
public final class SteppingBenchmark {
    private SteppingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Program p = ProgramFile.read(Path.of(args[0]));
        Map<String, Tensor> in = new LinkedHashMap<>();
        String[] kv = args[1].split("=", 2);
        in.put(kv[0], Npy.read(Path.of(kv[1])));
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int n = p.instructionCount();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        double[] run = new double[reps];
        double[] cont = new double[reps];
        double[] contPoints = new double[reps];
        long[][] plainQ = new long[reps][];
        long[][] stepQ = new long[reps][];
        for (int warm = 0; warm < 2; warm++) {
            plainRun(p, in);
            new Session(p, "bench", in, SimOptions.defaults(), ReferenceProvider.NONE).cont();
        }
        for (int r = 0; r < reps; r++) {
            run[r] = plainRun(p, in);
            long t0 = cpu();
            Session s = new Session(p, "bench", in, SimOptions.defaults(), ReferenceProvider.NONE);
            s.cont();
            cont[r] = (cpu() - t0) / 1e6;
            t0 = cpu();
            Session sp = new Session(p, "bench", in, SimOptions.defaults(), ReferenceProvider.NONE);
            // Stop points that make every retirement check something: a pc breakpoint (a peek before each
            // instruction) on the last instruction, and a 64-byte watch on DRAM that nothing writes (address 0).
            sp.add(id -> StopPoint.pc(id, n - 1));
            sp.add(id -> StopPoint.watch(id, false, 0, 64));
            sp.cont();
            contPoints[r] = (cpu() - t0) / 1e6;
            plainQ[r] = quartersPlain(p, in, n);
            stepQ[r] = quartersConsole(p, in, n, sink);
        }
        System.out.printf(Locale.ROOT, "%s: %d instructions, %d reps (median)%n", args[0], n, reps);
        double mr = median(run);
        double mc = median(cont);
        System.out.printf(Locale.ROOT, "machine run (as cnnip run):         %9.1f ms%n", mr);
        System.out.printf(Locale.ROOT, "continue, no stop points:           %9.1f ms  (%.2fx)%n", mc, mc / mr);
        double mp = median(contPoints);
        System.out.printf(Locale.ROOT, "continue, break pc + 64-byte watch: %9.1f ms  (%.2fx)%n", mp, mp / mr);
        System.out.println("stepping one instruction per console 'step' command, by quarter of the program:");
        for (int q = 0; q < 4; q++) {
            int qq = q;
            double plain = median(Arrays.stream(plainQ).mapToDouble(a -> a[qq] / 1e6).toArray());
            double step = median(Arrays.stream(stepQ).mapToDouble(a -> a[qq] / 1e6).toArray());
            int count = (q + 1) * n / 4 - q * n / 4;
            System.out.printf(Locale.ROOT, "  quarter %d: %5d instructions: execute %9.1f ms, step %9.1f ms, overhead %6.1f us/step%n",
                    q + 1, count, plain, step, (step - plain) * 1000 / count);
        }
    }

    private static double plainRun(Program p, Map<String, Tensor> in) {
        long t0 = cpu();
        Machine m = new Machine(p, SimOptions.defaults(), "bench");
        in.forEach(m::writeInput);
        m.run();
        return (cpu() - t0) / 1e6;
    }

    /** Nanoseconds spent in Machine.step() per quarter of the instructions. */
    private static long[] quartersPlain(Program p, Map<String, Tensor> in, int n) {
        Machine m = new Machine(p, SimOptions.defaults(), "bench");
        in.forEach(m::writeInput);
        long[] q = new long[4];
        for (int k = 0; k < 4; k++) {
            int count = (k + 1) * n / 4 - k * n / 4;
            long t0 = cpu();
            for (int i = 0; i < count; i++) m.step();
            q[k] = cpu() - t0;
        }
        return q;
    }

    /** Nanoseconds spent in console 'step' commands (parse, execute, format the stop) per quarter. */
    private static long[] quartersConsole(Program p, Map<String, Tensor> in, int n, PrintWriter sink) {
        Session s = new Session(p, "bench", in, SimOptions.defaults(), ReferenceProvider.NONE);
        Console c = new Console(s, new Out(sink, sink, false));
        long[] q = new long[4];
        for (int k = 0; k < 4; k++) {
            int count = (k + 1) * n / 4 - k * n / 4;
            long t0 = cpu();
            for (int i = 0; i < count; i++) c.execute("step");
            q[k] = cpu() - t0;
        }
        return q;
    }

    /** CPU time of this thread, ns: the machine is shared, so wall time would measure the other processes too. */
    private static long cpu() {
        return BEAN.getCurrentThreadCpuTime();
    }

    private static final java.lang.management.ThreadMXBean BEAN = java.lang.management.ManagementFactory.getThreadMXBean();

    private static double median(double[] a) {
        double[] b = a.clone();
        Arrays.sort(b);
        return b[b.length / 2];
    }
}
