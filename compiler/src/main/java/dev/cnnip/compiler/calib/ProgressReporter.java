package dev.cnnip.compiler.calib;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * A bar on standard error when standard error is a terminal, else {@link #NONE}: piped or redirected
     * runs (CI logs, {@code 2> log}) get no bar and no plain progress lines, so their output is only the
     * results. This is the command line's one progress bar (calibration and {@code eval}).
     */
    static ProgressReporter terminal() {
        return stderrIsTerminal() ? bar(System.err) : NONE;
    }

    /**
     * Whether standard error is a terminal (and not {@code TERM=dumb}, which cannot redraw a line). On
     * Linux, where {@code /proc/self/fd/2} links to the device, a {@code /dev/pts/N} or {@code /dev/tty*}
     * target; elsewhere, whether the process has a console ({@link System#console()}: standard input and
     * output are terminals).
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String dev = Files.readSymbolicLink(fd2).toString();
                return dev.startsWith("/dev/pts/") || dev.startsWith("/dev/tty") || dev.equals("/dev/console");
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: fall back to the console
        }
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
