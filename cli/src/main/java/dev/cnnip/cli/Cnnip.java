package dev.cnnip.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code cnnip} command. Each subcommand is one class; errors end in one line on stderr naming the
 * file, node, layer or instruction at fault and a non-zero exit (1: the work failed, 2: bad usage),
 * with the stack trace only under {@code --verbose}. (75 is the launcher's: {@link EvalJit#RELAUNCH_UNDER_C2}.)
 */
@Command(name = "cnnip", mixinStandardHelpOptions = true, versionProvider = Cnnip.Version.class,
        description = "Toolchain for a modelled R-Car CNN-IP style DNN accelerator: compiler, instruction-set simulator, "
                + "debugger and golden test vectors.",
        subcommands = {DemoCommand.class, QuantizeCommand.class, CompileCommand.class, RunCommand.class, PerfCommand.class,
            DebugCommand.class, AsmCommand.class, DisasmCommand.class, ConformanceCommand.class, EvalCommand.class,
            BenchCommand.class, VectorsCommand.class, CompareCommand.class, CommandLine.HelpCommand.class})
public final class Cnnip {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /** Exit code of a failed command. */
    static final int FAILED = 1;

    /** Exit code of bad usage (unknown command or option, missing parameter). */
    static final int USAGE = 2;

    public static void main(String[] args) {
        StdOut stdout = StdOut.open();
        PrintWriter out = stdout.writer();
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush(); // a print without println (disasm, eval) is still in the writer's buffer
        if (stdout.failure() != null) {
            if (StdOut.isBrokenPipe(stdout.failure())) {
                code = StdOut.BROKEN_PIPE; // the reader (head, less) went away: no message, as other tools do
            } else {
                err.println("cnnip: cannot write the standard output: " + oneLine(stdout.failure()));
                code = FAILED;
            }
        }
        err.flush();
        System.exit(code);
    }

    /** Runs a command line with the given streams; returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cnnip());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            err.println(line.getCommandSpec().qualifiedName() + ": " + oneLine(ex));
            if (hasVerbose(parse)) ex.printStackTrace(err);
            err.flush();
            return FAILED;
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            err.println(UsageErrors.message(ex));
            if (java.util.Arrays.asList(strings).contains("--verbose")) ex.printStackTrace(err);
            err.flush();
            return USAGE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli's handler; a large model can need more than the launcher's -Xmx4g.
            err.println("cnnip: out of memory (Java heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); give more with CNNIP_JAVA_OPTS=-Xmx8g");
            err.flush();
            return FAILED;
        } finally {
            out.flush();
        }
    }

    private static boolean hasVerbose(CommandLine.ParseResult p) {
        for (CommandLine.ParseResult r = p; r != null; r = r.subcommand()) {
            if (r.matchedOption("--verbose") != null) return true;
        }
        return false;
    }

    /**
     * The first line of an exception's message, or its type when it has none; a file-system error names
     * its file and the reason ("x.onnx: no such file") rather than only the path, as Java's message does.
     */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) msg = fileError(f);
        if (msg == null || msg.isBlank()) return t.getClass().getSimpleName();
        int nl = msg.indexOf('\n');
        return (nl >= 0 ? msg.substring(0, nl) : msg).strip();
    }

    private static String fileError(java.nio.file.FileSystemException f) {
        String why;
        if (f instanceof java.nio.file.NoSuchFileException) why = "no such file or folder";
        else if (f instanceof java.nio.file.AccessDeniedException) why = "permission denied";
        else if (f instanceof java.nio.file.FileAlreadyExistsException) why = "already exists";
        else if (f instanceof java.nio.file.NotDirectoryException) why = "not a folder";
        else if (f instanceof java.nio.file.DirectoryNotEmptyException) why = "folder not empty";
        else why = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + why;
    }

    /** The tool version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.cnnip.compiler.Compiler.TOOL_VERSION};
        }
    }
}
