package dev.cnnip.debugger;

/**
 * A mistake in a console command (unknown command, layer or tensor, bad slice, bad number): the
 * console prints its one-line message and keeps the session; batch mode ends with a non-zero exit.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }

    /** The same error with {@code hint} appended to its message. */
    public UserError withHint(String hint) {
        return new UserError(getMessage() + hint);
    }

    /** {@code what 'given'}, with {@code (did you mean 'x'?)} when a candidate is close enough. */
    public static UserError unknown(String what, String given, Iterable<String> candidates) {
        String s = Suggest.closest(given, candidates);
        return new UserError("unknown " + what + " '" + given + "'" + (s == null ? "" : " (did you mean '" + s + "'?)"));
    }
}
