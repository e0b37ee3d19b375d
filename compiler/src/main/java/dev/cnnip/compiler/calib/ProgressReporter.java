package dev.cnnip.compiler.calib;

import java.io.Console;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where a long run reports its progress, injected so that tests and non-interactive runs stay quiet:
 * {@link #NONE} prints nothing, {@link #bar} draws a {@code me.tongfei.progressbar} bar (items done of
 * total, rate in items per second, elapsed and remaining time), {@link #terminal()} chooses between them.
 */
@FunctionalInterface
public interface ProgressReporter {
    /** One run's progress; {@link #close()} ends it (and the bar's refresh thread). */
    interface Progress extends AutoCloseable {
        /** One more item done. */
        void step();

        @Override
        void close();
    }

    /** Starts reporting a run of {@code total} items called {@code task}. */
    Progress start(String task, long total);

    /** Reports nothing. */
    ProgressReporter NONE = (task, total) -> new Progress() {
        @Override
        public void step() {}

        @Override
        public void close() {}
    };

    /** A bar on standard error when this process has a console ({@code System.console() != null}), else {@link #NONE}. */
    static ProgressReporter terminal() {
        return interactive() ? bar(System.err) : NONE;
    }

    private static boolean interactive() {
        Console c = System.console();
        if (c == null) return false;
        // From Java 22 System.console() exists even when output is redirected; isTerminal() then tells.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** A bar drawn on {@code out}, redrawn in place with carriage returns. */
    static ProgressReporter bar(PrintStream out) {
        return (task, total) -> {
            ProgressBar pb = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" items", 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(out, 100)).build();
            return new Progress() {
                @Override
                public void step() {
                    pb.step();
                }

                @Override
                public void close() {
                    pb.close();
                }
            };
        };
    }
}
