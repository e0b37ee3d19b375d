package dev.cnnip.cli;

import dev.cnnip.verify.EvalProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Evaluation progress as a console progress bar on stderr (items done of all, rate, time left); quiet
 * when the process has no console, so piped or captured output stays clean.
 */
final class ConsoleProgress {
    private ConsoleProgress() {}

    /** A bar per phase on an interactive console, else {@link EvalProgress#QUIET}. */
    static EvalProgress forConsole() {
        return System.console() != null ? ConsoleProgress::bar : EvalProgress.QUIET;
    }

    private static EvalProgress.Task bar(String name, int items) {
        ProgressBar pb = new ProgressBarBuilder().setTaskName(name).setInitialMax(items).setUnit(" items", 1)
                .showSpeed().setUpdateIntervalMillis(200).build();
        return new EvalProgress.Task() {
            @Override
            public void step() {
                pb.step();
            }

            @Override
            public void close() {
                pb.close();
            }
        };
    }
}
