#!/usr/bin/env python3
"""Makes the operator fixtures in testvectors/src/test/resources/dev/cnnip/fixtures/ops3.

Three small float CNNs, each quantized by ONNX Runtime's own onnxruntime.quantization.quantize_static:
- deconv_net: Conv+Relu, ConvTranspose (3x3, stride 2, pads 1, output_padding 1)+Relu, grouped ConvTranspose
  (2x2, stride 2, group 2), Conv 1x1. QDQ form only: the QOperator form leaves ConvTranspose in float.
- gather_net: Conv, Split on channels, Slice with a negative step, nearest Resize to output sizes (non-integer
  factors), nearest Resize by scale 0.5 (downsampling), a Slice whose end comes from a Shape -> Gather -> Div ->
  Unsqueeze chain (constant-folded by the compiler), a constant Pad on C, H and W, reflect and edge Pads on H and W, each followed by a 1x1 Conv, and a bilinear Resize by 2 (half_pixel) as a graph output.
- matmul_net: Conv, MatMul of the rank-4 activation with a constant [8, 6] B, MatMul of the activation with its
  own transpose (rank-4 batch), Softmax; Gemm with transA and transB (QGemm in QOperator form).
gather_net and matmul_net in both forms (QDQ and QOperator), each with per-channel and per-tensor weights.
Calibration: 8 seeded normal inputs. The Java test (Ops3ModelsTest) compiles each fixture and compares every
layer with ONNX Runtime Java; it needs no Python.

Run: /work/pyenv/bin/python testvectors/scripts/make_ops3_fixtures.py   (numpy, onnx, onnxruntime)
"""
import os
import numpy as np
import onnx
from onnx import helper as h, TensorProto, numpy_helper
from onnxruntime.quantization import quantize_static, QuantFormat, QuantType, CalibrationDataReader

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "dev", "cnnip",
                   "fixtures", "ops3")
R = np.random.default_rng(17)


def w(*s):
    return (R.standard_normal(s) * 0.3).astype(np.float32)


def i64(*v):
    return np.array(v, np.int64)


def model(name, nodes, inits, outputs):
    g = h.make_graph(nodes, name, [h.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                     [h.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
                     [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 13)], producer_name="cnnip-fixtures")
    m.ir_version = 8
    m = onnx.shape_inference.infer_shapes(m)  # fills the outputs' shapes
    for o in m.graph.output:
        o.type.CopyFrom(next(v.type for v in m.graph.value_info if v.name == o.name)) if not o.type.tensor_type.HasField("shape") and any(v.name == o.name for v in m.graph.value_info) else None
    return m


def deconv_net():
    nodes = [
        h.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        h.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        h.make_node("ConvTranspose", ["r1", "wt1", "bt1"], ["d1"], name="deconv1", strides=[2, 2], pads=[1, 1, 1, 1],
                    output_padding=[1, 1]),
        h.make_node("Relu", ["d1"], ["r2"], name="relu2"),
        h.make_node("ConvTranspose", ["r2", "wt2"], ["d2"], name="deconv2", strides=[2, 2], group=2),  # no bias: quantize_static fails on a grouped per-channel bias
        h.make_node("Conv", ["d2", "w3", "b3"], ["y"], name="conv3"),
    ]
    inits = {"w1": w(6, 3, 3, 3), "b1": w(6), "wt1": w(6, 6, 3, 3), "bt1": w(6), "wt2": w(6, 2, 2, 2),
             "w3": w(3, 4, 1, 1), "b3": w(3)}
    return model("deconv_net", nodes, inits, ["y"])


def gather_net():
    nodes = [
        h.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        h.make_node("Split", ["c1", "split"], ["sa", "sb"], name="split", axis=1),
        h.make_node("Slice", ["sa", "st", "en", "ax", "sp"], ["sl"], name="slice_rev"),
        h.make_node("Conv", ["sl", "wa", "ba"], ["y1"], name="conv_a"),
        h.make_node("Resize", ["sb", "", "", "sizes"], ["rs"], name="resize_sizes", mode="nearest"),
        h.make_node("Conv", ["rs", "wb", "bb"], ["y2"], name="conv_b"),
        h.make_node("Resize", ["sb", "", "half"], ["rd"], name="resize_down", mode="nearest"),
        h.make_node("Conv", ["rd", "wb2", "bb2"], ["y3"], name="conv_c"),
        h.make_node("Shape", ["sb"], ["shp"], name="shape"),
        h.make_node("Gather", ["shp", "i2"], ["hh"], name="gather", axis=0),
        h.make_node("Div", ["hh", "two"], ["hhalf"], name="div"),
        h.make_node("Unsqueeze", ["hhalf", "ax0"], ["end"], name="unsqueeze"),
        h.make_node("Slice", ["sb", "zero", "end", "ax2"], ["top"], name="slice_top"),
        h.make_node("Conv", ["top", "wb3", "bb3"], ["y4"], name="conv_d"),
        h.make_node("Pad", ["sa", "pads"], ["padded"], name="pad_nchw"),
        h.make_node("Conv", ["padded", "wp", "bp"], ["y6"], name="conv_p"),
        h.make_node("Pad", ["sa", "hwpads"], ["reflected"], name="pad_reflect", mode="reflect"),
        h.make_node("Conv", ["reflected", "wr", "br"], ["y7"], name="conv_r"),
        h.make_node("Pad", ["sa", "hwpads"], ["edged"], name="pad_edge", mode="edge"),
        h.make_node("Conv", ["edged", "wr2", "br2"], ["y8"], name="conv_s"),
        # a graph output: in QDQ form ONNX Runtime runs it in float (within 1 LSB), which later layers would inherit
        h.make_node("Resize", ["sb", "", "twice"], ["bilinear"], name="resize_bilinear", mode="linear"),
    ]
    inits = {"w1": w(8, 3, 3, 3), "b1": w(8), "split": i64(3, 5),
             "st": i64(1, -1), "en": i64(7, -100), "ax": i64(2, 3), "sp": i64(1, -1), "wa": w(4, 3, 1, 1), "ba": w(4),
             "sizes": i64(1, 5, 11, 13), "wb": w(4, 5, 1, 1), "bb": w(4),
             "half": np.array([1, 1, 0.5, 0.5], np.float32), "wb2": w(4, 5, 1, 1), "bb2": w(4),
             "i2": np.array(2, np.int64), "two": np.array(2, np.int64), "ax0": i64(0), "zero": i64(0), "ax2": i64(2),
             "wb3": w(4, 5, 1, 1), "bb3": w(4), "twice": np.array([1, 1, 2, 2], np.float32),
             "pads": i64(0, 1, 1, 0, 0, 2, 0, 1), "wp": w(4, 6, 1, 1), "bp": w(4),
             "hwpads": i64(0, 0, 2, 1, 0, 0, 1, 3), "wr": w(4, 3, 1, 1), "br": w(4), "wr2": w(4, 3, 1, 1), "br2": w(4)}
    return model("gather_net", nodes, inits, ["y1", "y2", "y3", "y4", "bilinear", "y6", "y7", "y8"])


def matmul_net():
    nodes = [
        h.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        h.make_node("MatMul", ["c1", "bw"], ["y1"], name="matmul_const"),
        h.make_node("Transpose", ["c1"], ["ct"], name="transpose", perm=[0, 1, 3, 2]),
        h.make_node("MatMul", ["c1", "ct"], ["mm"], name="matmul_dyn"),
        h.make_node("Softmax", ["mm"], ["y2"], name="softmax", axis=-1),
        h.make_node("Flatten", ["c1"], ["flat"], name="flatten"),
        h.make_node("Transpose", ["flat"], ["flat_t"], name="transpose_flat", perm=[1, 0]),
        h.make_node("Gemm", ["flat_t", "gw", "gb"], ["y3"], name="gemm_transA", transA=1, transB=1),
    ]
    inits = {"w1": w(4, 3, 3, 3), "b1": w(4), "bw": w(8, 6), "gw": w(10, 256), "gb": w(10)}
    return model("matmul_net", nodes, inits, ["y1", "y2", "y3"])


class Reader(CalibrationDataReader):
    def __init__(self):
        r = np.random.default_rng(11)
        self.items = iter([{"x": r.standard_normal((1, 3, 8, 8)).astype(np.float32)} for _ in range(8)])

    def get_next(self):
        return next(self.items, None)


def main():
    os.makedirs(OUT, exist_ok=True)
    for make, forms in ((deconv_net, ("qdq",)), (gather_net, ("qdq", "qop")), (matmul_net, ("qdq", "qop"))):
        m = make()
        name = m.graph.name
        f = os.path.join(OUT, name + "_float.onnx")
        onnx.save(m, f)
        for form in forms:
            for per_channel in (True, False):
                out = os.path.join(OUT, "%s_%s_%s.onnx" % (name, form, "perchannel" if per_channel else "pertensor"))
                quantize_static(f, out, Reader(), quant_format=QuantFormat.QDQ if form == "qdq" else QuantFormat.QOperator,
                                per_channel=per_channel, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
                ops = sorted({(n.domain + "." if n.domain else "") + n.op_type for n in onnx.load(out).graph.node})
                print(os.path.basename(out), os.path.getsize(out), "bytes:", ", ".join(ops))
        os.remove(f)


if __name__ == "__main__":
    main()
