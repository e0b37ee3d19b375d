package dev.cnnip.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code cnnip} command. Each subcommand is one class; errors end in one line on stderr naming the
 * file, node, layer or instruction at fault and a non-zero exit (1: the work failed, 2: bad usage),
 * with the stack trace only under {@code --verbose}.
 */
@Command(name = "cnnip", mixinStandardHelpOptions = true, versionProvider = Cnnip.Version.class,
        description = "Toolchain for a modelled R-Car CNN-IP style DNN accelerator: compiler, instruction-set simulator, "
                + "debugger and golden test vectors.",
        subcommands = {DemoCommand.class, QuantizeCommand.class, CompileCommand.class, RunCommand.class, DebugCommand.class, AsmCommand.class, DisasmCommand.class,
            ConformanceCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class Cnnip {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /** Exit code of a failed command. */
    static final int FAILED = 1;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams; returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cnnip());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            boolean verbose = parse.matchedOption("--verbose") != null
                    || parse.subcommand() != null && hasVerbose(parse);
            err.println("cnnip " + line.getCommandName() + ": " + oneLine(ex));
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return FAILED;
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            CommandLine c = ex.getCommandLine();
            err.println("cnnip " + c.getCommandName() + ": " + ex.getMessage());
            err.println("Try 'cnnip " + (c.getParent() == null ? "" : c.getCommandName() + " ") + "--help'.");
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    private static boolean hasVerbose(CommandLine.ParseResult p) {
        for (CommandLine.ParseResult r = p; r != null; r = r.subcommand()) {
            if (r.matchedOption("--verbose") != null) return true;
        }
        return false;
    }

    /** The first line of an exception's message, or its type when it has none. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (msg == null || msg.isBlank()) return t.getClass().getSimpleName();
        int nl = msg.indexOf('\n');
        return (nl >= 0 ? msg.substring(0, nl) : msg).strip();
    }

    /** The tool version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.cnnip.compiler.Compiler.TOOL_VERSION};
        }
    }
}
