package dev.cnnip.compiler.prep;

import dev.cnnip.onnx.TensorProtos;
import dev.cnnip.onnx.proto.AttributeProto;
import dev.cnnip.onnx.proto.ModelProto;
import dev.cnnip.onnx.proto.NodeProto;
import dev.cnnip.tensor.DType;
import dev.cnnip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites 3-D MaxPool and AveragePool nodes of a float model ([N, C, D, H, W]) as two 2-D poolings, which is exact
 * because both are separable: the maximum over a box is the maximum over D of the maxima over H×W, and an average's
 * divisor (the window, or its valid elements) is the product of one count per axis. First the H×W pooling over
 * [N, C·D, H, W], then the D pooling with a (kd, 1) kernel over [N, C, D, OH·OW]; the reshapes between them go
 * through rank 5 so that each is one layout change. Target shapes come from Shape → Slice → Concat chains, which
 * the importer folds to constants. Runs before import, because shape inference knows only 2-D pooling. Used by the
 * post-training quantizer (float models); a quantized average is then rounded twice (once per stage). Not for an
 * AveragePool with both count_include_pad and ceil_mode, nor auto_pad.
 */
public final class Pool3dLift {
    private Pool3dLift() {}

    public static ModelProto run(ModelProto model) {
        if (model.getGraph().getNodeList().stream().noneMatch(Pool3dLift::is3d)) return model;
        ModelProto.Builder mb = model.toBuilder();
        var gb = mb.getGraphBuilder();
        gb.clearNode();
        int k = 0;
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!is3d(n)) {
                gb.addNode(n);
                continue;
            }
            String b = (n.getName().isEmpty() ? n.getOpType() + "_3d_" + k++ : n.getName()) + "_3d";
            long[] ks = ints(n, "kernel_shape", null);
            long[] st = ints(n, "strides", new long[] {1, 1, 1});
            long[] dl = ints(n, "dilations", new long[] {1, 1, 1});
            long[] pd = ints(n, "pads", new long[6]);
            String x = n.getInput(0);
            constant(gb, b + "_i0", 0);
            constant(gb, b + "_i1", 1);
            constant(gb, b + "_i2", 2);
            constant(gb, b + "_i3", 3);
            constant(gb, b + "_i4", 4);
            constant(gb, b + "_i5", 5);
            constant(gb, b + "_m1", -1);
            node(gb, b + "_shape", "Shape", List.of(x), b + "_s0");
            node(gb, b + "_n", "Slice", List.of(b + "_s0", b + "_i0", b + "_i1"), b + "_sn");
            node(gb, b + "_hw", "Slice", List.of(b + "_s0", b + "_i3", b + "_i5"), b + "_shw");
            node(gb, b + "_ncd", "Slice", List.of(b + "_s0", b + "_i0", b + "_i3"), b + "_sncd");
            node(gb, b + "_t1", "Concat", List.of(b + "_sn", b + "_m1", b + "_shw"), b + "_t1v", 0);
            node(gb, b + "_x2", "Reshape", List.of(x, b + "_t1v"), b + "_x2v");
            gb.addNode(pool(n, b + "_hwpool", b + "_x2v", b + "_p2", new long[] {ks[1], ks[2]}, new long[] {st[1], st[2]},
                    new long[] {dl[1], dl[2]}, new long[] {pd[1], pd[2], pd[4], pd[5]}));
            node(gb, b + "_shape2", "Shape", List.of(b + "_p2"), b + "_s2");
            node(gb, b + "_ohw", "Slice", List.of(b + "_s2", b + "_i2", b + "_i4"), b + "_sohw");
            node(gb, b + "_t5", "Concat", List.of(b + "_sncd", b + "_sohw"), b + "_t5v", 0);
            node(gb, b + "_y5", "Reshape", List.of(b + "_p2", b + "_t5v"), b + "_y5v");
            node(gb, b + "_t3", "Concat", List.of(b + "_sncd", b + "_m1"), b + "_t3v", 0);
            node(gb, b + "_x3", "Reshape", List.of(b + "_y5v", b + "_t3v"), b + "_x3v");
            gb.addNode(pool(n, b + "_dpool", b + "_x3v", b + "_p3", new long[] {ks[0], 1}, new long[] {st[0], 1},
                    new long[] {dl[0], 1}, new long[] {pd[0], 0, pd[3], 0}));
            node(gb, b + "_shape3", "Shape", List.of(b + "_p3"), b + "_s3");
            node(gb, b + "_ncod", "Slice", List.of(b + "_s3", b + "_i0", b + "_i3"), b + "_sncod");
            node(gb, b + "_t4", "Concat", List.of(b + "_sncod", b + "_sohw"), b + "_t4v", 0);
            node(gb, b + "_y", "Reshape", List.of(b + "_p3", b + "_t4v"), n.getOutput(0));
        }
        return mb.build();
    }

    private static NodeProto pool(NodeProto n, String name, String in, String out, long[] k, long[] s, long[] d, long[] p) {
        NodeProto.Builder pool = n.toBuilder().setName(name).clearInput().addInput(in).clearOutput().addOutput(out).clearAttribute();
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "kernel_shape", "strides", "dilations", "pads" -> { }
                default -> pool.addAttribute(a);
            }
        }
        pool.addAttribute(list("kernel_shape", k)).addAttribute(list("strides", s)).addAttribute(list("dilations", d))
                .addAttribute(list("pads", p));
        return pool.build();
    }

    private static AttributeProto list(String name, long[] v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static void node(dev.cnnip.onnx.proto.GraphProto.Builder gb, String name, String op, List<String> ins, String out) {
        gb.addNode(NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(new ArrayList<>(ins)).addOutput(out));
    }

    private static void node(dev.cnnip.onnx.proto.GraphProto.Builder gb, String name, String op, List<String> ins, String out,
                             long axis) {
        gb.addNode(NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(new ArrayList<>(ins)).addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis)));
    }

    private static void constant(dev.cnnip.onnx.proto.GraphProto.Builder gb, String name, long v) {
        gb.addInitializer(TensorProtos.fromTensor(name, Tensor.ofLongs(DType.INT64, new int[] {1}, v)));
    }

    private static long[] ints(NodeProto n, String name, long[] dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }
        return dflt;
    }

    private static long intAttr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a.getI();
        return 0;
    }

    private static boolean is3d(NodeProto n) {
        if (!n.getDomain().isEmpty() || !(n.getOpType().equals("MaxPool") || n.getOpType().equals("AveragePool"))) return false;
        if (n.getOutputCount() > 1) return false;
        // an average whose ceil-mode windows run past the padding while padding counts: the divisor does not factor
        // per axis (ONNX clips those windows to the padded input), so the 2-D decomposition would differ
        if (n.getOpType().equals("AveragePool") && intAttr(n, "count_include_pad") != 0 && intAttr(n, "ceil_mode") != 0) return false;
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("auto_pad") && !a.getS().toStringUtf8().equals("NOTSET")) return false;
            if (a.getName().equals("kernel_shape")) return a.getIntsCount() == 3;
        }
        return false;
    }
}
