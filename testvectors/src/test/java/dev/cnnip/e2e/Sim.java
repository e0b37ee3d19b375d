package dev.cnnip.e2e;

import dev.cnnip.compiler.CompileOptions;
import dev.cnnip.compiler.Compiler;
import dev.cnnip.emulator.Machine;
import dev.cnnip.emulator.SimOptions;
import dev.cnnip.emulator.timing.PerfInvariants;
import dev.cnnip.program.Numerics;
import dev.cnnip.program.Program;
import dev.cnnip.tensor.Tensor;
import java.util.Map;

/** Compiling a generated model and running it on the instruction-set simulator. */
final class Sim {
    private Sim() {}

    static Program compile(GeneratedModel g, Numerics numerics) {
        return Compiler.compile(g.model(), g.name(), CompileOptions.of(g.hwConfig(), numerics));
    }

    /**
     * A machine that has run {@code p} to its end on {@code inputs}; its performance report has been checked
     * against the timing invariants ({@link PerfInvariants}), so every e2e program checks them.
     */
    static Machine run(Program p, Map<String, Tensor> inputs, boolean serial) {
        Machine m = new Machine(p, SimOptions.defaults().withSerial(serial), p.modelName());
        inputs.forEach(m::writeInput);
        m.run();
        PerfInvariants.check(m.perfReport());
        return m;
    }
}
