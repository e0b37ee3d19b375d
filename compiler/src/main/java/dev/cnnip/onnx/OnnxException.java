package dev.cnnip.onnx;

/**
 * A model, tensor or attribute that cannot be read or used: malformed files, unsupported types,
 * missing or mistyped attributes.
 *
 * <p>The message is one line that names the file, tensor or node at fault, fit to show a user as
 * is; the cause, when present, carries the low-level detail.
 */
public class OnnxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxException(String message) {
        super(oneLine(message));
    }

    public OnnxException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Collapses line breaks so that messages built from third-party text stay on one line. */
    static String oneLine(String s) {
        return s == null ? null : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
