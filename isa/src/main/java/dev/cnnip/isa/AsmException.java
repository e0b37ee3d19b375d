package dev.cnnip.isa;

/** An assembly line that cannot be parsed; the message names the line number and the fault. */
public class AsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public AsmException(int line, String message) {
        super((line > 0 ? "line " + line + ": " : "") + message);
        this.line = line;
    }

    /** 1-based line number, or 0 when unknown. */
    public int line() {
        return line;
    }
}
