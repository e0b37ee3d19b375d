package dev.cnnip.emulator;

import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.util.Map;

/** One-call facade: load, write inputs, run to {@code finish}, read outputs and the report. */
public final class Simulator {
    private Simulator() {}

    /**
     * Runs {@code program} on {@code inputs} (every program input by name, logical layout).
     *
     * @throws IllegalArgumentException for a missing, unknown or mismatched input
     * @throws MachineFault             when the machine stops before {@code finish}
     */
    public static SimResult run(Program program, Map<String, Tensor> inputs, SimOptions options,
                                MachineListener... listeners) {
        for (String name : program.inputs()) {
            if (!inputs.containsKey(name)) throw new IllegalArgumentException("missing input '" + name + "'");
        }
        Machine m = new Machine(program, options);
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) m.writeInput(e.getKey(), e.getValue());
        for (MachineListener l : listeners) m.addListener(l);
        m.run();
        return new SimResult(m.outputs(), m.perfReport(), m.state().retired(), m.semaphoreBalances(), m.warnings());
    }
}
