package dev.cnnip.compiler.backend;

/** A layer the backend cannot place or lower; the message names the layer. */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }
}
