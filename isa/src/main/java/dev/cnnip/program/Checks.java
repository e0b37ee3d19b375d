package dev.cnnip.program;

/** Argument checks shared by the program records; each throws {@link IllegalArgumentException}. */
final class Checks {
    private Checks() {}

    /** A name: non-empty, one line (names appear in one-line messages and listings). */
    static String name(String value, String what) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
        return line(value, what);
    }

    /** Any single-line text, possibly empty. */
    static String line(String value, String what) {
        if (value == null) throw new IllegalArgumentException(what + " must not be null");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " must be a single line: '" + value.strip() + "'");
        }
        return value;
    }

    static long nonNegative(long value, String what) {
        if (value < 0) throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        return value;
    }

    /** Whether {@code [address, address + bytes)} lies in {@code [0, limit)} (arguments non-negative). */
    static boolean fits(long address, long bytes, long limit) {
        return address <= limit && bytes <= limit - address;
    }
}
