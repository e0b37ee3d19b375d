package dev.cnnip.ort;

/**
 * A failure of ONNX Runtime (model rejected, unsupported operator, bad input shape) or of the
 * conversion between {@code Tensor}s and ONNX Runtime values.
 *
 * <p>The message is one line: what was attempted, then ONNX Runtime's own message with its line
 * breaks folded and its {@code "Error code - … - message:"} prefix removed. The ONNX Runtime
 * exception, when there is one, is the cause.
 */
public class OrtBridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrtBridgeException(String message) {
        super(message);
    }

    public OrtBridgeException(String context, Throwable cause) {
        super(context + ": " + ortMessage(cause), cause);
    }

    /** ONNX Runtime's message on one line, without the Java binding's error-code prefix. */
    static String ortMessage(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceFirst("^Error code - \\S+ - message: ", "");
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
