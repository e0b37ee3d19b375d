package dev.cnnip.compiler.prep;

import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.List;

/**
 * Rewrites 1-D MaxPool and AveragePool nodes of a float model ([N, C, L], one-value kernel) as the same
 * pooling in 2-D over [N, C, 1, L] between two Reshapes: {@code Reshape(x, [0, 0, 1, -1])}, the pool with
 * kernel {@code [1, k]}, strides {@code [1, s]}, dilations {@code [1, d]}, pads {@code [0, p0, 0, p1]}, then
 * {@code Reshape(y, [0, 0, -1])}. The values are the same (a window over one row); the Reshapes are views.
 * Runs before import, because shape inference knows only 2-D pooling.
 */
public final class Pool1dLift {
    private Pool1dLift() {}

    public static ModelProto run(ModelProto model) {
        boolean any = model.getGraph().getNodeList().stream().anyMatch(Pool1dLift::is1d);
        if (!any) return model;
        ModelProto.Builder mb = model.toBuilder();
        var gb = mb.getGraphBuilder();
        gb.clearNode();
        int k = 0;
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!is1d(n)) {
                gb.addNode(n);
                continue;
            }
            String base = (n.getName().isEmpty() ? n.getOpType() + "_1d_" + k++ : n.getName());
            String up = base + "_as2d_shape";
            String down = base + "_as1d_shape";
            gb.addInitializer(TensorProtos.fromTensor(up, Tensor.ofLongs(DType.INT64, new int[] {4}, 0, 0, 1, -1)));
            gb.addInitializer(TensorProtos.fromTensor(down, Tensor.ofLongs(DType.INT64, new int[] {3}, 0, 0, -1)));
            String x2 = base + "_x2d";
            String y2 = base + "_y2d";
            gb.addNode(NodeProto.newBuilder().setName(base + "_to2d").setOpType("Reshape").addInput(n.getInput(0)).addInput(up)
                    .addOutput(x2));
            NodeProto.Builder pool = n.toBuilder().clearInput().addInput(x2).clearOutput().addOutput(y2).clearAttribute();
            for (AttributeProto a : n.getAttributeList()) {
                switch (a.getName()) {
                    case "kernel_shape", "strides", "dilations" -> pool.addAttribute(a.toBuilder().clearInts().addInts(1)
                            .addAllInts(a.getIntsList()));
                    case "pads" -> pool.addAttribute(a.toBuilder().clearInts().addAllInts(List.of(0L, a.getInts(0), 0L, a.getInts(1))));
                    default -> pool.addAttribute(a);
                }
            }
            gb.addNode(pool);
            gb.addNode(NodeProto.newBuilder().setName(base + "_to1d").setOpType("Reshape").addInput(y2).addInput(down)
                    .addOutput(n.getOutput(0)));
        }
        return mb.build();
    }

    private static boolean is1d(NodeProto n) {
        if (!n.getDomain().isEmpty() || !(n.getOpType().equals("MaxPool") || n.getOpType().equals("AveragePool"))) return false;
        if (n.getOutputCount() > 1) return false;
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals("kernel_shape")) return a.getIntsCount() == 1;
        return false;
    }
}
