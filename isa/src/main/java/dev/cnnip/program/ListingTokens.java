package dev.cnnip.program;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of a program listing line: whitespace-separated words, where a word may contain a
 * double-quoted part with backslash escapes ({@code note="conv 1"}). {@link #quote} writes them.
 */
final class ListingTokens {
    private ListingTokens() {}

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuote) {
                if (c == '\\' && i + 1 < line.length()) {
                    char n = line.charAt(++i);
                    cur.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    inQuote = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                inQuote = true;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0 || any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else if (c == ';' || c == '#') {
                break;
            } else {
                cur.append(c);
            }
        }
        if (inQuote) throw new IllegalArgumentException("unterminated quote");
        if (cur.length() > 0 || any) out.add(cur.toString());
        return out;
    }

    /** The text as one token: quoted when it is empty or holds whitespace, quotes, ';', '#' or '='. */
    static String quote(String s) {
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '"' || c == ';' || c == '#' || c == '\\' || c == '=' || c == ',') plain = false;
        }
        if (plain) return s;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
