package dev.cnnip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.cnnip.onnx.proto.GraphProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.onnx.proto.TensorProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import dev.cnnip.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {

    /** Parses every node-test model and checks it against the INDEX.tsv of the test data. */
    @Test
    void parsesEveryNodeTestModel() throws IOException {
        Map<String, String[]> index = new HashMap<>();
        Path root = TestData.require("onnx-node");
        for (String line : Files.readAllLines(root.resolve("INDEX.tsv")).subList(1, 186)) {
            String[] f = line.split("\t");
            index.put(f[0], f);
        }
        List<Path> folders = NodeTests.folders();
        assertEquals(185, folders.size());
        for (Path folder : folders) {
            ModelProto m = OnnxModels.load(folder.resolve("model.onnx"));
            String[] row = index.get(folder.getFileName().toString());
            assertEquals(Long.parseLong(row[1]), m.getIrVersion(), folder.toString());
            assertEquals(OptionalLong.of(Long.parseLong(row[2])), OnnxModels.opsetVersion(m, ""), folder.toString());
            String ops = m.getGraph().getNodeList().stream().map(NodeProto::getOpType).distinct().sorted()
                    .collect(Collectors.joining(","));
            assertEquals(Arrays.stream(row[3].split(",")).sorted().collect(Collectors.joining(",")), ops, folder.toString());
            assertEquals(Integer.parseInt(row[7]), m.getGraph().getOutputCount(), folder.toString());
            // Re-serialising loses nothing.
            assertEquals(m, OnnxModels.parse(OnnxModels.toBytes(m), "again"));
        }
    }

    /** Every real model parses and every initializer converts to a Tensor. */
    @Test
    void parsesEveryModelAndItsInitializers() throws IOException {
        Path models = TestData.require("models");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(models)) {
            s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().forEach(files::add);
        }
        assertEquals(14, files.size(), files.toString());
        for (Path f : files) {
            ModelProto m = OnnxModels.load(f);
            assertTrue(m.getGraph().getNodeCount() > 0, f.toString());
            long bytes = 0;
            for (TensorProto init : m.getGraph().getInitializerList()) {
                bytes += TensorProtos.toTensor(init).data().length;
            }
            System.out.printf("%-60s ir %d, opset %d, %4d nodes, %4d initializers (%d bytes)%n",
                    models.relativize(f), m.getIrVersion(), OnnxModels.opsetVersion(m, "").orElse(-1),
                    m.getGraph().getNodeCount(), m.getGraph().getInitializerCount(), bytes);
        }
        ModelProto mnist = OnnxModels.load(models.resolve("mnist-8.onnx"));
        assertEquals(12, mnist.getGraph().getNodeCount());
        assertEquals("Input3", mnist.getGraph().getInput(0).getName());
        ModelProto mobilenet = OnnxModels.load(models.resolve("mobilenetv2-12-int8.onnx"));
        assertEquals(OptionalLong.of(1), OnnxModels.opsetVersion(mobilenet, "com.microsoft"));
        assertEquals(OptionalLong.of(12), OnnxModels.opsetVersion(mobilenet, "ai.onnx"));
        assertEquals(OptionalLong.empty(), OnnxModels.opsetVersion(mnist, "com.microsoft"));
    }

    @Test
    void unknownFieldsSurvive() throws Exception {
        ModelProto m = tinyModel();
        // ModelProto.functions (25) and NodeProto.metadata_props (9) are not in our schema subset.
        UnknownFieldSet modelExtra = UnknownFieldSet.newBuilder().addField(25, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("a function")).build()).build();
        UnknownFieldSet nodeExtra = UnknownFieldSet.newBuilder().addField(9, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("node metadata")).build()).build();
        GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setUnknownFields(nodeExtra));
        byte[] bytes = m.toBuilder().setGraph(g).setUnknownFields(modelExtra).build().toByteArray();

        ModelProto parsed = OnnxModels.parse(bytes, "extra.onnx");
        assertTrue(parsed.getUnknownFields().hasField(25));
        assertTrue(parsed.getGraph().getNode(0).getUnknownFields().hasField(9));
        assertArrayEquals(bytes, OnnxModels.toBytes(parsed));
    }

    @Test
    void saveIsAtomicAndLoadsBack(@TempDir Path dir) {
        ModelProto m = tinyModel();
        Path f = dir.resolve("sub/model.onnx");
        OnnxModels.save(f, m);
        assertEquals(m, OnnxModels.load(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void malformedFilesNameTheFile(@TempDir Path dir) throws IOException {
        byte[] mnist = Files.readAllBytes(TestData.require("models/mnist-8.onnx"));
        Random rnd = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(4096)];
            rnd.nextBytes(junk);
            assertRejected(write(dir, "random" + i + ".onnx", junk));
        }
        for (int cut : new int[] {1, 10, 100, mnist.length / 2, mnist.length - 1}) {
            assertRejected(write(dir, "truncated" + cut + ".onnx", Arrays.copyOf(mnist, cut)));
        }
        assertRejected(write(dir, "empty.onnx", new byte[0]));
        assertRejected(write(dir, "text.onnx", "this is not a model\n".getBytes()));
        // A protobuf message, but a tensor, not a model.
        assertRejected(write(dir, "tensor.onnx",
                TensorProtos.fromTensor("input", Tensor.zeros(DType.FLOAT32, 4)).toByteArray()));
        Path noGraph = write(dir, "nograph.onnx", ModelProto.newBuilder().setIrVersion(8).build().toByteArray());
        assertEquals(noGraph + ": not a valid ONNX model: it has no graph",
                assertThrows(OnnxException.class, () -> OnnxModels.load(noGraph)).getMessage());
        Path missing = dir.resolve("missing.onnx");
        assertEquals(missing + ": no such file",
                assertThrows(OnnxException.class, () -> OnnxModels.load(missing)).getMessage());
    }

    private static String assertRejected(Path file) {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxModels.load(file), file.toString());
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file + ": not a valid ONNX model: "), msg);
        assertFalse(msg.contains("\n"), msg);
        return msg;
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void extraOutputsCarryTheKnownTypes() {
        ModelProto m = new OnnxBuilder("g").opset("", 13)
                .input("x", DType.FLOAT32, 1, 4)
                .initializer("w", Tensor.zeros(DType.INT8, 4, 2))
                .node("Relu", List.of("x"), List.of("r"))
                .node("Cast", List.of("w"), List.of("wf"), n -> n.i("to", 1))
                .node("MatMul", List.of("r", "wf"), List.of("y"))
                .valueInfo("r", DType.FLOAT32, 1, 4)
                .output("y", DType.FLOAT32, 1, 2)
                .build();
        ModelProto probed = OnnxModels.withExtraOutputs(m, List.of("r", "w", "x", "wf", "y", "r"));
        List<ValueInfoProto> outs = probed.getGraph().getOutputList();
        assertEquals(List.of("y", "r", "w", "x", "wf"), outs.stream().map(ValueInfoProto::getName).toList());
        assertEquals(m.getGraph().getValueInfo(0), outs.get(1));
        assertEquals(DType.INT8.onnxCode(), outs.get(2).getType().getTensorType().getElemType());
        assertEquals(List.of(4L, 2L), outs.get(2).getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.getDimValue()).toList());
        assertEquals(m.getGraph().getInput(0), outs.get(3));
        assertFalse(outs.get(4).hasType(), "type of wf is unknown");
        assertEquals(m.getGraph().getNodeList(), probed.getGraph().getNodeList());

        OnnxException e = assertThrows(OnnxException.class, () -> OnnxModels.withExtraOutputs(m, List.of("nope")));
        assertEquals("graph 'g' has no tensor named 'nope' to expose as an output", e.getMessage());
    }

    static ModelProto tinyModel() {
        return new OnnxBuilder("tiny").opset("", 13)
                .input("x", DType.FLOAT32, 2)
                .node("Relu", List.of("x"), List.of("y"))
                .output("y", DType.FLOAT32, 2)
                .build();
    }
}
