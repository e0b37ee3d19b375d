package dev.cnnip.compiler.ir;

/** A graph the compiler cannot handle; the message names the node or tensor at fault. */
public class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GraphException(String message) {
        super(message);
    }

    public GraphException(Node node, String message) {
        super(node.describe() + ": " + message);
    }
}
