package dev.cnnip.compiler.quant;

import dev.cnnip.compiler.ir.GraphException;
import dev.cnnip.compiler.ir.Node;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every node of a model that cannot be compiled, reported at once. The message is one line:
 * {@code 3 nodes are not supported: node 'a' (Pad): why; node 'b' (…): why; …}.
 */
public final class UnsupportedNodesException extends GraphException {
    private static final long serialVersionUID = 1L;

    /** One node that cannot be compiled: its name, op type (with domain) and what is missing. */
    public record Problem(String node, String opType, String reason) {
        static Problem of(Node n, String message) {
            String prefix = n.describe() + ": ";
            String why = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
            String op = n.domain().isEmpty() ? n.opType() : n.domain() + "." + n.opType();
            return new Problem(n.name(), op, why);
        }

        @Override
        public String toString() {
            return "node '" + node + "' (" + opType + "): " + reason;
        }
    }

    private final transient List<Problem> problems;

    public UnsupportedNodesException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> ps) {
        if (ps.size() == 1) return ps.get(0).toString();
        return ps.size() + " nodes are not supported: " + ps.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
