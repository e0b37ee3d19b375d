package dev.cnnip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures its exit code and streams. */
record CliRunner(int code, String out, String err) {
    static CliRunner run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Cnnip.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new CliRunner(code, o.toString(), e.toString());
    }

    /** Lines of stderr. */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.split("\\R");
    }
}
