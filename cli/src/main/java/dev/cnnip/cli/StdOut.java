package dev.cnnip.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The process's standard output as the command line writes it: a {@link PrintWriter} that flushes on
 * {@code println}/{@code printf}, that {@link Cnnip#main} flushes before the process exits (a bare
 * {@code print} of a long listing otherwise stays in the writer's buffer and is lost), and that keeps
 * the first write error so that it can be reported instead of swallowed as {@link PrintWriter} does.
 */
final class StdOut extends OutputStream {
    /** Exit code of a process whose reader closed the pipe: 128 + SIGPIPE, what a shell shows for {@code seq | head}. */
    static final int BROKEN_PIPE = 141;

    private final OutputStream out;
    private IOException failure;

    private StdOut(OutputStream out) {
        this.out = out;
    }

    /**
     * A writer on file descriptor 1. Always UTF-8, whatever the locale (Java 17 would use US-ASCII under
     * {@code LANG=C} and turn names into '?'): {@code asm} reads listings as UTF-8, so {@code disasm --full
     * > FILE} must write them so.
     */
    static StdOut open() {
        return new StdOut(new FileOutputStream(FileDescriptor.out));
    }

    /** An auto-flushing writer on this stream. */
    PrintWriter writer() {
        return new PrintWriter(new OutputStreamWriter(this, StandardCharsets.UTF_8), true);
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (failure != null) return; // the first failure is what matters; later writes would fail the same way
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void flush() {
        if (failure != null) return;
        try {
            out.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    /** Whether {@code e} is the reader going away (EPIPE), which is not worth a message. */
    static boolean isBrokenPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
