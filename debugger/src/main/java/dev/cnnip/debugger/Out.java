package dev.cnnip.debugger;

import java.io.PrintWriter;

/** Where command output goes; colour only when the console is a terminal that supports it. */
public final class Out {
    /** Text roles, coloured on a terminal. */
    public enum Style {
        ERROR("\u001b[31m"), STOP("\u001b[33;1m"), HEAD("\u001b[1m"), GOOD("\u001b[32m"), DIM("\u001b[2m");

        final String ansi;

        Style(String ansi) {
            this.ansi = ansi;
        }
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean colour;

    public Out(PrintWriter out, PrintWriter err, boolean colour) {
        this.out = out;
        this.err = err;
        this.colour = colour;
    }

    public void println(String s) {
        out.println(s);
    }

    public void println(Style st, String s) {
        out.println(style(st, s));
    }

    /** An error line (stderr in batch mode, where stdout and stderr are separate). */
    public void error(String s) {
        out.flush();
        err.println(style(Style.ERROR, s));
        err.flush();
    }

    public String style(Style st, String s) {
        return colour ? st.ansi + s + "\u001b[0m" : s;
    }

    public boolean colour() {
        return colour;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
