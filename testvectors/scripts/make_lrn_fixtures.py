#!/usr/bin/env python3
"""Makes the LRN quantize_static fixtures in testvectors/src/test/resources/dev/cnnip/fixtures/quantize_static.

A small float CNN with LRN in AlexNet's and GoogLeNet's places (Conv -> Relu -> LRN -> MaxPool, and
MaxPool -> LRN -> Conv) is quantized by ONNX Runtime's own onnxruntime.quantization.quantize_static in both
forms (QDQ and QOperator), with per-channel and per-tensor weights: four models. quantize_static has no
quantized LRN: it leaves LRN in float between DequantizeLinear and QuantizeLinear, and a MaxPool right after it
in float too (DequantizeLinear -> LRN -> MaxPool -> QuantizeLinear). Calibration: 8 seeded normal inputs.
The Java test (QuantizeStaticLrnTest) compiles each and compares every layer with ONNX Runtime Java; it
needs no Python.

Run: /work/pyenv/bin/python testvectors/scripts/make_lrn_fixtures.py   (numpy, onnx, onnxruntime)
"""
import os
import sys
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
from onnxruntime.quantization import quantize_static, QuantFormat, QuantType, CalibrationDataReader

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test",
                                                         "resources", "dev", "cnnip", "fixtures", "quantize_static")


def float_model():
    r = np.random.default_rng(17)
    w = lambda *s: numpy_helper.from_array((r.standard_normal(s) * 0.3).astype(np.float32))
    inits = []

    def init(name, arr):
        arr.name = name
        inits.append(arr)
        return name

    init("w1", w(16, 3, 3, 3)); init("b1", w(16))
    init("w2", w(24, 16, 3, 3)); init("b2", w(24))
    init("w3", w(24, 24, 1, 1)); init("b3", w(24))
    init("w4", w(24, 10)); init("b4", w(10))
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("LRN", ["r1"], ["n1"], name="norm1", size=5, alpha=1e-4, beta=0.75, bias=1.0),
        helper.make_node("MaxPool", ["n1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("MaxPool", ["r2"], ["p2"], name="pool2", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("LRN", ["p2"], ["n2"], name="norm2", size=3, alpha=0.5, beta=0.6, bias=2.0),
        helper.make_node("Conv", ["n2", "w3", "b3"], ["c3"], name="conv3"),
        helper.make_node("Relu", ["c3"], ["r3"], name="relu3"),
        helper.make_node("GlobalAveragePool", ["r3"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w4", "b4"], ["y"], name="fc"),
    ]
    g = helper.make_graph(nodes, "lrn_cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="cnnip-fixtures")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


class Reader(CalibrationDataReader):
    def __init__(self):
        r = np.random.default_rng(11)
        self.items = iter([{"x": r.standard_normal((1, 3, 16, 16)).astype(np.float32)} for _ in range(8)])

    def get_next(self):
        return next(self.items, None)


def main():
    os.makedirs(OUT, exist_ok=True)
    f = os.path.join(OUT, "lrn_cnn_float.onnx")
    onnx.save(float_model(), f)
    for fmt, tag in ((QuantFormat.QDQ, "qdq"), (QuantFormat.QOperator, "qop")):
        for per_channel in (True, False):
            out = os.path.join(OUT, "lrn_cnn_%s_%s.onnx" % (tag, "perchannel" if per_channel else "pertensor"))
            quantize_static(f, out, Reader(), quant_format=fmt, per_channel=per_channel,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
            print("wrote", out, [n.op_type for n in onnx.load(out).graph.node if n.op_type not in ("QuantizeLinear", "DequantizeLinear")])


if __name__ == "__main__":
    main()
