package dev.cnnip.cli;

import dev.cnnip.verify.Conformance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cnnip conformance DIR}: ONNX backend node tests through the compiler and the simulator. */
@Command(name = "conformance", mixinStandardHelpOptions = true, description = "Run ONNX backend node tests through the compiler and the simulator; "
        + "ends with 'N passed, N failed, N skipped'.")
final class ConformanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder of test_* folders, or one test folder.")
    Path dir;

    @Mixin
    HwOptions hw;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<Conformance.Result> results = Conformance.runAll(dir, hw.resolve());
        for (Conformance.Result r : results) {
            o.printf("%-4s %s: %s%n", r.status().name().toLowerCase(Locale.ROOT), r.test(), r.detail());
        }
        List<String> skips = Conformance.skipReasons(results);
        if (!skips.isEmpty()) {
            o.println("skipped, by reason:");
            skips.forEach(o::println);
        }
        o.println(Conformance.RULES);
        o.println(Conformance.summary(results));
        return results.stream().anyMatch(r -> r.status() == Conformance.Status.FAIL) ? Cnnip.FAILED : 0;
    }
}
