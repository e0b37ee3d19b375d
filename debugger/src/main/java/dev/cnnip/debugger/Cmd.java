package dev.cnnip.debugger;

import java.util.List;

/**
 * The one declaration of a console command: its name, aliases, argument syntax, help text, sub-commands,
 * what its arguments complete to, and what it does. {@code help} and tab completion are derived from these
 * declarations; there is no other list of commands.
 *
 * @param name       the command word
 * @param aliases    other words for it (not offered by completion)
 * @param usage      argument syntax after the name, e.g. {@code [n]}; empty for none
 * @param summary    one line for {@code help}
 * @param details    further lines for {@code help <command>}, may be empty
 * @param subs       sub-commands (the second word), e.g. {@code info layers}; empty for none
 * @param args       what each argument position completes to
 * @param repeatable whether an empty line repeats it (as gdb's Enter)
 * @param handler    the action; null for a command that only groups sub-commands
 */
public record Cmd(String name, List<String> aliases, String usage, String summary, String details, List<Cmd> subs,
                  List<Arg> args, boolean repeatable, Handler handler) {
    /** The action of a command; {@code args} are the words after the command (and sub-command). */
    @FunctionalInterface
    public interface Handler {
        void run(Console.Ctx ctx, List<String> args);
    }

    /** What an argument completes to: a kind of name, or fixed words. */
    public record Arg(Kind kind, List<String> words) {
        public enum Kind { WORDS, LAYER, TENSOR, ENGINE, OPCODE, FILE, COMMAND, NONE }

        public static Arg of(Kind k) {
            return new Arg(k, List.of());
        }

        public static Arg words(String... w) {
            return new Arg(Kind.WORDS, List.of(w));
        }
    }

    /** Every word this command answers to. */
    public boolean answers(String word) {
        return name.equals(word) || aliases.contains(word);
    }

    /** {@code name usage}. */
    public String synopsis() {
        return usage.isEmpty() ? name : usage.startsWith("/") ? name + usage : name + " " + usage;
    }
}
