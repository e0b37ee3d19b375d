package dev.cnnip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.TensorShapeProto;
import dev.cnnip.onnx.proto.ValueInfoProto;
import dev.cnnip.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads every input and output tensor of the ONNX node tests and checks it against the model. */
class NodeTestDataTest {

    @Test
    void readsEveryTensorOfTheNodeTests() {
        int supported = 0;
        List<String> unsupported = new ArrayList<>();
        Map<String, Integer> unsupportedByType = new TreeMap<>();
        for (Path folder : NodeTests.folders()) {
            ModelProto model = OnnxModels.load(folder.resolve("model.onnx"));
            List<ValueInfoProto> ins = model.getGraph().getInputList().stream()
                    .filter(vi -> model.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(vi.getName())))
                    .toList();
            List<Path> inFiles = NodeTests.inputs(folder);
            List<Path> outFiles = NodeTests.outputs(folder);
            assertEquals(ins.size(), inFiles.size(), folder + ": input files");
            assertEquals(model.getGraph().getOutputCount(), outFiles.size(), folder + ": output files");
            for (int i = 0; i < inFiles.size() + outFiles.size(); i++) {
                Path pb = i < inFiles.size() ? inFiles.get(i) : outFiles.get(i - inFiles.size());
                ValueInfoProto declared = i < inFiles.size() ? ins.get(i) : model.getGraph().getOutput(i - inFiles.size());
                assertEquals(declared.getName(), TensorProtos.nameOf(pb), pb.toString());
                int elemType = declared.getType().getTensorType().getElemType();
                try {
                    Tensor t = TensorProtos.read(pb);
                    assertEquals(elemType, t.dtype().onnxCode(), pb.toString());
                    assertArrayEquals(declaredShape(declared), t.shape(), pb.toString());
                    supported++;
                } catch (OnnxException e) {
                    String type = TensorProtos.typeName(elemType);
                    assertEquals(pb + ": tensor '" + declared.getName() + "' has type " + type
                            + ", which is not supported", e.getMessage());
                    unsupported.add(folder.getFileName() + "/" + pb.getFileName());
                    unsupportedByType.merge(type, 1, Integer::sum);
                }
            }
        }
        System.out.printf("node-test tensors: %d read, %d of unsupported types %s%n",
                supported, unsupported.size(), unsupportedByType);
        assertTrue(supported >= 500, "read " + supported);
        // The float8 (e4m3fn, e5m2), float4e2m1, int4/uint4 and int2/uint2 tensors of the 16
        // QuantizeLinear/DequantizeLinear tests for those types.
        assertEquals(29, unsupported.size(), unsupported.toString());
        assertEquals(16, unsupported.stream().map(s -> s.substring(0, s.indexOf('/'))).distinct().count());
    }

    private static int[] declaredShape(ValueInfoProto vi) {
        List<TensorShapeProto.Dimension> dims = vi.getType().getTensorType().getShape().getDimList();
        return dims.stream().mapToInt(d -> (int) d.getDimValue()).toArray();
    }
}
