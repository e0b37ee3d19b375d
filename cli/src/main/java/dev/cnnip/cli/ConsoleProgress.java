package dev.cnnip.cli;

import dev.cnnip.compiler.calib.ProgressReporter;
import dev.cnnip.verify.EvalProgress;

/**
 * Evaluation progress through the command line's one progress bar, {@link ProgressReporter#terminal()}
 * (the one calibration uses): a bar on stderr when stderr is a terminal, nothing otherwise.
 */
final class ConsoleProgress {
    private ConsoleProgress() {}

    /** A bar per evaluation phase when stderr is a terminal, else {@link EvalProgress#QUIET}. */
    static EvalProgress forConsole() {
        return of(ProgressReporter.terminal());
    }

    /** The evaluator's progress reported to {@code reporter} (its bar is safe to step from several threads). */
    static EvalProgress of(ProgressReporter reporter) {
        if (reporter == ProgressReporter.NONE) return EvalProgress.QUIET;
        return (name, items) -> {
            ProgressReporter.Progress p = reporter.start(name, items);
            return new EvalProgress.Task() {
                @Override
                public void step() {
                    p.step();
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        };
    }
}
