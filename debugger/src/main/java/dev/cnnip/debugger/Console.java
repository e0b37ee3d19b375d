package dev.cnnip.debugger;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs command lines against a {@link Session}: splits them into words, finds the declared command
 * ({@link Commands#all()}), reports user errors as one line, and drives batch scripts and
 * {@code source}. The interactive terminal loop is in {@link Terminal}.
 */
public final class Console {
    /** What a command sees: the session, the output and the console itself. */
    public static final class Ctx {
        public final Session session;
        public final Out out;
        final Console console;
        boolean quit;

        Ctx(Session session, Out out, Console console) {
            this.session = session;
            this.out = out;
            this.console = console;
        }
    }

    private final List<Cmd> commands;
    private final Ctx ctx;
    private int sourceDepth;

    public Console(Session session, Out out) {
        this.commands = Commands.all();
        this.ctx = new Ctx(session, out, this);
    }

    public List<Cmd> commands() {
        return commands;
    }

    public Session session() {
        return ctx.session;
    }

    /** Whether {@code quit} has run. */
    public boolean quitRequested() {
        return ctx.quit;
    }

    /**
     * Runs one command line; blank lines and {@code #} comments do nothing.
     *
     * @throws UserError for a mistake in the command (the caller prints it)
     */
    public void execute(String line) {
        List<String> words = split(line);
        if (words.isEmpty() || words.get(0).startsWith("#")) return;
        String first = words.get(0);
        List<String> rest = new ArrayList<>(words.subList(1, words.size()));
        if (first.startsWith("x/")) {
            // gdb's x/<n><fmt>: the format is part of the command word.
            rest.add(0, first.substring(2));
            first = "x";
        } else if (first.equals("x")) {
            rest.add(0, "");
        }
        Cmd c = find(first);
        runCmd(c, rest);
    }

    /** Whether an empty line should repeat {@code line}. */
    public boolean repeatable(String line) {
        List<String> words = split(line);
        if (words.isEmpty()) return false;
        String w = words.get(0).startsWith("x/") ? "x" : words.get(0);
        return commands.stream().anyMatch(c -> c.answers(w) && c.repeatable());
    }

    Cmd find(String word) {
        for (Cmd c : commands) if (c.answers(word)) return c;
        List<String> names = new ArrayList<>();
        for (Cmd c : commands) names.add(c.name());
        throw UserError.unknown("command", word, names).withHint("; type 'help' for the list");
    }

    private void runCmd(Cmd c, List<String> args) {
        if (!c.subs().isEmpty()) {
            if (args.isEmpty()) {
                if (c.handler() != null) {
                    c.handler().run(ctx, args);
                    return;
                }
                throw new UserError(c.name() + " needs one of: " + String.join(", ", c.subs().stream().map(Cmd::name).toList()));
            }
            for (Cmd s : c.subs()) {
                if (s.answers(args.get(0))) {
                    s.handler().run(ctx, args.subList(1, args.size()));
                    return;
                }
            }
            throw UserError.unknown(c.name() + " sub-command", args.get(0), c.subs().stream().map(Cmd::name).toList());
        }
        c.handler().run(ctx, args);
    }

    /**
     * Runs a script: each line is echoed after {@code (cnnip) } and executed. With {@code stopOnError} (batch
     * mode) the first failing command ends the script and returns false; otherwise errors are printed and the
     * script goes on. Stops early after {@code quit}.
     */
    public boolean runScript(BufferedReader in, String name, boolean stopOnError) throws IOException {
        String line;
        int no = 0;
        while ((line = in.readLine()) != null) {
            no++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            ctx.out.println("(cnnip) " + t);
            try {
                execute(t);
            } catch (UserError e) {
                ctx.out.error(name + ":" + no + ": " + e.getMessage());
                if (stopOnError) return false;
            } catch (RuntimeException e) {
                ctx.out.error(name + ":" + no + ": " + Terminal.oneLine(e));
                if (stopOnError) return false;
            }
            ctx.out.flush();
            if (ctx.quit) return true;
        }
        return true;
    }

    /** {@code source FILE}: runs a script in this session (errors are printed; the script goes on). */
    void source(Path file, boolean stopOnError) {
        if (sourceDepth > 8) throw new UserError("source: scripts nested more than 8 deep");
        if (!Files.isRegularFile(file)) throw new UserError("source: no such file '" + file + "'");
        sourceDepth++;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            if (!runScript(r, file.toString(), stopOnError)) throw new UserError("source: " + file + " stopped at an error");
        } catch (IOException e) {
            throw new UserError("source: cannot read '" + file + "': " + e.getMessage());
        } finally {
            sourceDepth--;
        }
    }

    /** Splits a line into words at blanks; brackets keep a slice such as {@code t[0, :4]} in one word. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '[') depth++;
            if (ch == ']') depth = Math.max(0, depth - 1);
            if (Character.isWhitespace(ch) && depth == 0) {
                if (cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
            } else if (!Character.isWhitespace(ch)) {
                cur.append(ch);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }
}
