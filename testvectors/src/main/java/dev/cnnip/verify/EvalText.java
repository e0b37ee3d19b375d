package dev.cnnip.verify;

import java.util.Locale;

/**
 * {@link Evaluation} as text for a terminal, {@code \n} line ends:
 * <pre>
 * prog.cnnip on images.npy: 1000 items, output 'logits' (10 classes)
 *   ISS            top-1  97.30 % (973/1000)   top-5  99.90 % (999/1000)
 *   ONNX Runtime   top-1  99.40 % (994/1000)   top-5 100.00 % (1000/1000)   model.onnx, output 'logits'
 *   agreement      97.60 % (976/1000) of top-1 classes
 *   throughput     ISS 812.3 items/s on 2 threads (1.23 s); ONNX Runtime 9100.0 items/s (0.11 s)
 *   simulated      45678 cycles/item (228.4 us at 200 MHz; min 45678, max 45690)
 * </pre>
 * The reference and agreement lines appear only with a reference model.
 */
public final class EvalText {
    private EvalText() {}

    public static String render(Evaluation e) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("%s on %s: %d items, output '%s' (%d classes)%n", e.program(), e.batch(), e.items(), e.output(),
                e.classes()));
        sb.append(f("  %-14s %s%n", "ISS", accuracy(e.iss())));
        e.reference().ifPresent(r -> {
            sb.append(f("  %-14s %s   %s, output '%s'%n", "ONNX Runtime", accuracy(r.score()), r.model(), r.output()));
            sb.append(f("  %-14s %.2f %% (%d/%d) of top-1 classes%n", "agreement", r.agreementPercent(), r.agreeing(),
                    e.items()));
        });
        sb.append(f("  %-14s ISS %.1f items/s on %d thread%s (%.2f s)", "throughput", e.iss().itemsPerSecond(),
                e.threads(), e.threads() == 1 ? "" : "s", e.iss().seconds()));
        e.reference().ifPresent(r -> sb.append(f("; ONNX Runtime %.1f items/s (%.2f s)", r.score().itemsPerSecond(),
                r.score().seconds())));
        sb.append('\n');
        sb.append(f("  %-14s %.0f cycles/item (%.1f us at %.0f MHz; min %d, max %d)%n", "simulated", e.cyclesPerItem(),
                e.simulatedMicrosPerItem(), e.clockMhz(), e.minCycles(), e.maxCycles()));
        return sb.toString();
    }

    private static String accuracy(EvalScore s) {
        return f("top-1 %6.2f %% (%d/%d)   top-5 %6.2f %% (%d/%d)", s.top1Percent(), s.top1(), s.items(),
                s.top5Percent(), s.top5(), s.items());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args).replace("\r\n", "\n");
    }
}
