package dev.cnnip.onnx;

import dev.cnnip.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The ONNX backend node tests under the shared test data ({@code onnx-node/test_*}). */
public final class NodeTests {
    private NodeTests() {}

    /** Test folders in name order; skips (or fails under CI) when the data is absent. */
    public static List<Path> folders() {
        return list(TestData.require("onnx-node"), "test_");
    }

    /** {@code input_<i>.pb} files of the first data set, by index. */
    public static List<Path> inputs(Path folder) {
        return list(folder.resolve("test_data_set_0"), "input_");
    }

    /** {@code output_<i>.pb} files of the first data set, by index. */
    public static List<Path> outputs(Path folder) {
        return list(folder.resolve("test_data_set_0"), "output_");
    }

    private static List<Path> list(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparing(NodeTests::sortKey)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Numeric order for {@code input_10.pb} after {@code input_9.pb}; name order otherwise. */
    private static String sortKey(Path p) {
        String n = p.getFileName().toString();
        String digits = n.replaceAll("\\D", "");
        return n.endsWith(".pb") && !digits.isEmpty() ? String.format("%s%09d", n.replaceAll("\\d", ""), Long.parseLong(digits)) : n;
    }
}
