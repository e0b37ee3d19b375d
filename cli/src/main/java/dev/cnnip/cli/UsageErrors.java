package dev.cnnip.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors as one line: {@code cnnip [COMMAND]: what is wrong [(did you mean 'X'?)]; see 'cnnip
 * [COMMAND] --help'}. The suggestion is the closest command or option name within two edits, else
 * picocli's own (its bigram similarity alone misses transpositions such as {@code dmeo}).
 */
final class UsageErrors {
    private UsageErrors() {}

    /** The one-line message for a parse error. */
    static String message(ParameterException ex) {
        CommandLine c = ex.getCommandLine();
        CommandSpec spec = c.getCommandSpec();
        String what = flat(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            boolean option = u.isUnknownOption() || arg.startsWith("-");
            if (option) {
                what = "unknown option '" + arg + "'";
            } else if (!spec.subcommands().isEmpty() && spec.parent() == null) {
                what = "unknown command '" + arg + "'";
            } else if (!spec.subcommands().isEmpty()) {
                what = "unknown subcommand '" + arg + "'";
            } else {
                what = "unexpected argument '" + arg + "'";
            }
            String s = suggestion(u, arg, option);
            if (s != null) what += " (did you mean '" + s + "'?)";
        } else if (what.startsWith("Unknown subcommand '") && what.endsWith("'")) {
            // 'cnnip help NAME' with a name that is no command
            String arg = what.substring("Unknown subcommand '".length(), what.length() - 1);
            CommandSpec root = spec.root();
            what = "unknown command '" + arg + "'";
            String s = closest(arg, visibleSubcommands(root));
            if (s != null) what += " (did you mean '" + s + "'?)";
            spec = root;
        } else if (what.startsWith("Missing required subcommand")) {
            what = "give a command (" + String.join(", ", visibleSubcommands(spec)) + ")";
        }
        return spec.qualifiedName() + ": " + what + "; see '" + spec.qualifiedName() + " --help'";
    }

    private static String suggestion(UnmatchedArgumentException u, String arg, boolean option) {
        CommandSpec spec = u.getCommandLine().getCommandSpec();
        List<String> names = new ArrayList<>();
        if (option) {
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) names.addAll(List.of(o.names()));
            }
        } else {
            names.addAll(visibleSubcommands(spec));
        }
        String key = option && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String close = closest(key, names);
        if (close != null) return close;
        List<String> picocli = u.getSuggestions();
        return picocli.isEmpty() ? null : picocli.get(0);
    }

    private static List<String> visibleSubcommands(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !out.contains(sub.getCommandName())) {
                out.add(sub.getCommandName());
            }
        });
        return out;
    }

    /**
     * The candidate nearest to {@code s}, the first on ties, if it is within two edits and fewer edits
     * than {@code s} has letters (so that {@code -o} does not suggest {@code -h}); else null.
     */
    static String closest(String s, Collection<String> candidates) {
        int letters = s.replaceFirst("^-+", "").length();
        String best = null;
        int bestD = Math.min(3, letters);
        for (String c : candidates) {
            int d = editDistance(s, c);
            if (d < bestD) {
                best = c;
                bestD = d;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String flat(String s) {
        if (s == null) return "bad usage";
        String one = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return one.endsWith(".") ? one.substring(0, one.length() - 1) : one;
    }
}
