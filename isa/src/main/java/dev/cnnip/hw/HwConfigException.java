package dev.cnnip.hw;

/**
 * A hardware configuration could not be built: unknown preset or key, malformed JSON, a value of the
 * wrong type or out of range. The message is one line naming the source (file, preset or override)
 * and the key at fault.
 */
public class HwConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public HwConfigException(String message) {
        super(message);
    }

    public HwConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
