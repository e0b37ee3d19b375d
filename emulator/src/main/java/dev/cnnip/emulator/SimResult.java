package dev.cnnip.emulator;

import dev.cnnip.emulator.timing.PerfReport;
import dev.cnnip.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a complete run.
 *
 * @param outputs           graph outputs by name, in program order (logical layout)
 * @param perfReport        the performance report
 * @param retiredCount      instructions retired
 * @param semaphoreBalances non-zero semaphores at the end, by number (empty for a clean program)
 * @param warnings          warnings about the run (non-zero semaphores, code after finish)
 */
public record SimResult(Map<String, Tensor> outputs, PerfReport perfReport, long retiredCount,
                        Map<Integer, Integer> semaphoreBalances, List<String> warnings) {
    public SimResult {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        semaphoreBalances = Collections.unmodifiableMap(new TreeMap<>(semaphoreBalances));
        warnings = List.copyOf(warnings);
    }
}
