package dev.cnnip.debugger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Entry points of {@code cnnip debug}: the batch mode (a script or standard input, plain text) and the
 * interactive terminal. Batch exit codes: 0 after {@code quit} or the end of the script, 1 when a command
 * fails (the error is printed on {@code err} as {@code SCRIPT:LINE: message}).
 */
public final class Debugger {
    private Debugger() {}

    public static int batch(Session session, BufferedReader script, String scriptName, PrintWriter out, PrintWriter err)
            throws IOException {
        Out o = new Out(out, err, false);
        Console c = new Console(session, o);
        boolean ok = c.runScript(script, scriptName, true);
        o.flush();
        return ok ? 0 : 1;
    }

    /**
     * Whether standard input is a terminal (then the console is interactive, even with standard output
     * piped), asked through JLine's native or exec provider; without either, whether Java has a console.
     */
    public static boolean stdinIsTerminal() {
        return isTerminal(org.jline.terminal.spi.SystemStream.Input);
    }

    /** Whether standard output is a terminal (if not, command output goes there as plain text). */
    static boolean stdoutIsTerminal() {
        return isTerminal(org.jline.terminal.spi.SystemStream.Output);
    }

    private static boolean isTerminal(org.jline.terminal.spi.SystemStream stream) {
        for (String provider : new String[] {"jni", "exec"}) {
            try {
                return org.jline.terminal.spi.TerminalProvider.load(provider).isSystemStream(stream);
            } catch (IOException | RuntimeException | LinkageError e) {
                // this provider is unavailable here; try the next
            }
        }
        return System.console() != null;
    }

    public static int interactive(Session session, String banner) throws IOException {
        return Terminal.run(session, banner);
    }
}
