package dev.cnnip.debugger;

import dev.cnnip.text.EditDistance;
import java.util.Locale;

/** "Did you mean" suggestions: the closest candidate by edit distance, or by prefix/substring. */
public final class Suggest {
    private Suggest() {}

    /**
     * The candidate nearest to {@code given}: one that starts with or contains it (case-insensitive),
     * else the one with the smallest Levenshtein distance when that distance is at most a third of the
     * longer word (at least 2); null when nothing is close. Ties go to the first candidate.
     */
    public static String closest(String given, Iterable<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (!g.isEmpty() && (lc.startsWith(g) || lc.contains(g))) return c;
            int d = EditDistance.levenshtein(g, lc);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        if (best == null) return null;
        int limit = Math.max(2, Math.max(g.length(), best.length()) / 3);
        return bestD <= limit ? best : null;
    }
}
