package dev.cnnip.debugger;

import dev.cnnip.isa.Opcode;
import dev.cnnip.program.LayerInfo;
import dev.cnnip.program.Symbol;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive console on a JLine terminal: line editing, completion derived from the command
 * declarations, persistent history, colour when the terminal has it, Enter repeating the last
 * repeatable command, and Ctrl-C interrupting a running command (at the prompt it clears the line).
 */
public final class Terminal {
    private Terminal() {}

    /** History file: {@code $CNNIP_DEBUG_HISTORY}, else {@code ~/.cnnip_debug_history}. */
    static Path historyFile() {
        String env = System.getenv("CNNIP_DEBUG_HISTORY");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cnnip_debug_history");
    }

    /**
     * Runs the console until {@code quit} or end of input (Ctrl-D).
     *
     * @param session the session, at reset
     * @param banner  lines printed first
     * @return exit code 0
     */
    public static int run(Session session, String banner) throws IOException {
        try (org.jline.terminal.Terminal t = TerminalBuilder.builder().system(true).build()) {
            boolean colour = !org.jline.terminal.Terminal.TYPE_DUMB.equals(t.getType())
                    && !org.jline.terminal.Terminal.TYPE_DUMB_COLOR.equals(t.getType()) && System.getenv("NO_COLOR") == null;
            // Output piped (cnnip debug … | tee log): the prompt and editing stay on the terminal, the
            // commands' output goes to standard output as plain text.
            boolean piped = !Debugger.stdoutIsTerminal();
            PrintWriter w = piped ? new PrintWriter(new java.io.OutputStreamWriter(System.out,
                    java.nio.charset.StandardCharsets.UTF_8), true) : t.writer();
            if (piped) colour = false;
            Out out = new Out(w, w, colour);
            Console console = new Console(session, out);
            LineReader reader = LineReaderBuilder.builder().terminal(t).appName("cnnip-debug")
                    .completer(new DeclCompleter(console))
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .variable(LineReader.HISTORY_SIZE, 2000)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            t.handle(org.jline.terminal.Terminal.Signal.INT, sig -> session.interrupt());
            out.println(banner);
            out.println("type 'help' for the commands, Tab to complete, Ctrl-C to interrupt a run, 'quit' to leave");
            String prompt = colour ? "\u001b[36m(cnnip)\u001b[0m " : "(cnnip) ";
            String last = null;
            while (!console.quitRequested()) {
                String line;
                try {
                    line = reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (line.isBlank()) {
                    if (last == null) continue;
                    line = last;
                } else {
                    last = console.repeatable(line) ? line.strip() : null;
                }
                try {
                    console.execute(line);
                } catch (UserError e) {
                    out.error(e.getMessage());
                } catch (RuntimeException e) {
                    out.error("error: " + oneLine(e));
                }
                w.flush();
            }
            reader.getHistory().save();
        }
        return 0;
    }

    /** The first line of an exception's message, or its type when it has none. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** Completes command words, sub-commands and arguments from the {@link Cmd} declarations. */
    static final class DeclCompleter implements Completer {
        private final Console console;
        private final FileNameCompleter files = new FileNameCompleter();

        DeclCompleter(Console console) {
            this.console = console;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
            List<String> words = line.words();
            int at = line.wordIndex();
            if (at == 0) {
                for (Cmd c : console.commands()) out.add(new Candidate(c.name(), c.name(), null, c.summary(), null, null, true));
                return;
            }
            Cmd c;
            try {
                c = console.find(words.get(0).startsWith("x/") ? "x" : words.get(0));
            } catch (UserError e) {
                return;
            }
            int argIndex = at - 1;
            List<Cmd.Arg> args = c.args();
            if (!c.subs().isEmpty()) {
                if (at == 1) {
                    for (Cmd s : c.subs()) out.add(new Candidate(s.name(), s.name(), null, s.summary(), null, null, true));
                    return;
                }
                Cmd sub = c.subs().stream().filter(s -> s.answers(words.get(1))).findFirst().orElse(null);
                if (sub == null) return;
                args = sub.args();
                argIndex = at - 2;
            }
            if (argIndex < 0 || argIndex >= args.size()) return;
            Cmd.Arg arg = args.get(argIndex);
            switch (arg.kind()) {
                case WORDS -> arg.words().forEach(w -> out.add(new Candidate(w)));
                case LAYER -> {
                    for (LayerInfo l : console.session().program().layers()) {
                        out.add(new Candidate(l.name(), l.name(), null, "layer " + l.index() + " " + l.op(), null, null, true));
                    }
                    if (c.name().equals("compare")) out.add(new Candidate("all"));
                }
                case TENSOR -> {
                    for (Symbol s : console.session().program().symbols()) {
                        out.add(new Candidate(s.name(), s.name(), null, s.kind().name().toLowerCase(java.util.Locale.ROOT), null, null, true));
                    }
                }
                case ENGINE -> Commands.engines().forEach(w -> out.add(new Candidate(w)));
                case OPCODE -> {
                    for (Opcode o : Opcode.values()) out.add(new Candidate(o.mnemonic(), o.mnemonic(), null, o.description(), null, null, true));
                }
                case COMMAND -> console.commands().forEach(cc -> out.add(new Candidate(cc.name())));
                case FILE -> files.complete(reader, line, out);
                default -> {
                    // free-form numbers: nothing to offer
                }
            }
        }
    }

    /** The completions Tab offers for {@code buffer} with the cursor at its end (for tests and scripts). */
    public static List<String> candidates(Console console, String buffer) {
        List<String> words = new ArrayList<>(Console.split(buffer));
        if (buffer.isEmpty() || Character.isWhitespace(buffer.charAt(buffer.length() - 1))) words.add("");
        List<Candidate> out = new ArrayList<>();
        new DeclCompleter(console).complete(null, new SimpleParsed(words), out);
        String prefix = words.get(words.size() - 1);
        return out.stream().map(Candidate::value).filter(v -> v.startsWith(prefix)).toList();
    }

    private record SimpleParsed(List<String> words) implements ParsedLine {
        @Override public String word() { return words.get(words.size() - 1); }

        @Override public int wordCursor() { return word().length(); }

        @Override public int wordIndex() { return words.size() - 1; }

        @Override public String line() { return String.join(" ", words); }

        @Override public int cursor() { return line().length(); }
    }
}
