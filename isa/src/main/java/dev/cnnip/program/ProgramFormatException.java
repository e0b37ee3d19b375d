package dev.cnnip.program;

import java.io.IOException;

/**
 * A file is not a readable cnnip program. The message is one line, {@code <source>: <detail>}, e.g.
 * {@code net.cnnip: corrupt: checksum mismatch}.
 */
public class ProgramFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String detail;

    public ProgramFormatException(String source, String detail) {
        this(source, detail, null);
    }

    public ProgramFormatException(String source, String detail, Throwable cause) {
        super(source + ": " + oneLine(detail), cause);
        this.source = source;
        this.detail = oneLine(detail);
    }

    /** The file (or other source) named in the message. */
    public String source() { return source; }

    /** The message without the source prefix. */
    public String detail() { return detail; }

    // Causes (protobuf, validation) may carry multi-line text; the contract is one line.
    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
