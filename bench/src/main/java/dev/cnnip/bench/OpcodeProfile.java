package dev.cnnip.bench;

import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.MachineListener;
import dev.cnnip.emulator.RetireEvent;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.exec.ConvShape;
import dev.cnnip.program.Program;
import dev.cnnip.program.ProgramFile;
import dev.cnnip.program.Symbol;
import dev.cnnip.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Where an inference's time goes, by instruction kind: the thread CPU time between consecutive retirements
 * is charged to the instruction that retired (its execution, timing and the machine's bookkeeping), summed
 * per mnemonic, with {@code ex.conv} split into depthwise, pointwise (1×1) and k×k. JFR's sampler drops most
 * samples taken inside Vector API code on JDK 17, so this listener-based profile is the reliable one for the
 * kernels. One machine, reset between inferences; the second half of the inferences is counted (the first
 * lets the JIT compile the kernels). The thread CPU clock is read twice per instruction, which adds about a
 * microsecond to each.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp 'bench/target/classes:bench/target/lib/*'
 * dev.cnnip.bench.OpcodeProfile PROG.cnnip [INFERENCES]} (inputs: seeded uniform [0, 1) values).
 */
public final class OpcodeProfile {
    private OpcodeProfile() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: OpcodeProfile PROG.cnnip [INFERENCES]");
            System.exit(2);
        }
        Program p = ProgramFile.read(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String in = p.inputs().get(0);
        Symbol s = p.symbol(in).orElseThrow();
        Tensor t = Tensor.zeros(s.dtype(), s.shape());
        Random r = new Random(1);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextFloat());
        Map<String, long[]> sums = new TreeMap<>();
        long[] last = new long[1];
        MachineListener charge = new MachineListener() {
            @Override
            public void onRetire(RetireEvent e) {
                long now = cpu.getCurrentThreadCpuTime();
                long[] v = sums.computeIfAbsent(kind(e), k -> new long[3]);
                v[0] += now - last[0];
                v[1]++;
                v[2] += e.metrics().elements();
                last[0] = cpu.getCurrentThreadCpuTime();
            }
        };
        Machine m = new Machine(p, SimOptions.defaults(), args[0]);
        long counted = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) m.reset();
            boolean count = i >= n / 2;
            if (count && i == n / 2) m.addListener(charge);
            long t0 = cpu.getCurrentThreadCpuTime();
            m.writeInput(in, t);
            last[0] = cpu.getCurrentThreadCpuTime();
            m.run();
            if (count) counted += cpu.getCurrentThreadCpuTime() - t0;
        }
        int k = n - n / 2;
        long total = 0;
        for (long[] v : sums.values()) total += v[0];
        System.out.printf(Locale.ROOT, "%s: %.2f CPU ms per inference (%d counted)%n", args[0], counted / 1e6 / k, k);
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(sums.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, long[]> e : rows) {
            long[] v = e.getValue();
            System.out.printf(Locale.ROOT, "  %-14s %9.3f ms %5.1f %%  %5d instructions  %9d elements%n", e.getKey(),
                    v[0] / 1e6 / k, 100.0 * v[0] / total, v[1] / k, v[2] / k);
        }
    }

    private static String kind(RetireEvent e) {
        String k = e.insn().op().mnemonic();
        ConvShape c = e.metrics().conv();
        if (c == null) return k;
        if (c.gic() == 1 && c.goc() == 1) return k + " dw";
        return k + (c.kh() * c.kw() == 1 ? " 1x1" : " kxk");
    }
}
