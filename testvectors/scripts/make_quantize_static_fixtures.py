#!/usr/bin/env python3
"""Makes the quantize_static fixtures in testvectors/src/test/resources/dev/cnnip/fixtures/quantize_static.

A small float CNN (Conv+Relu, residual Add, MaxPool, Sigmoid and LeakyRelu branches joined by Concat,
AveragePool, GlobalAveragePool, Flatten, Gemm, Softmax) is quantized by ONNX Runtime's own
onnxruntime.quantization.quantize_static in both forms (QDQ and QOperator), with per-channel and per-tensor
weights: four models. Calibration: 8 seeded normal inputs. The Java test (QuantizeStaticModelsTest) compiles
each and compares every fused layer with ONNX Runtime Java; it needs no Python.

Run: /work/pyenv/bin/python testvectors/scripts/make_quantize_static_fixtures.py   (numpy, onnx, onnxruntime)
"""
import os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
from onnxruntime.quantization import quantize_static, QuantFormat, QuantType, CalibrationDataReader

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "dev", "cnnip",
                   "fixtures", "quantize_static")


def float_model():
    r = np.random.default_rng(7)
    w = lambda *s: numpy_helper.from_array((r.standard_normal(s) * 0.3).astype(np.float32))
    inits = []

    def init(name, arr):
        arr.name = name
        inits.append(arr)
        return name

    init("w1", w(8, 3, 3, 3)); init("b1", w(8))
    init("w2", w(8, 8, 3, 3)); init("b2", w(8))
    init("w3", w(16, 10)); init("b3", w(10))
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["r1", "c2"], ["s"], name="add"),
        helper.make_node("MaxPool", ["s"], ["p"], name="maxpool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Sigmoid", ["p"], ["sg"], name="sigmoid"),
        helper.make_node("LeakyRelu", ["p"], ["lr"], name="leaky", alpha=0.1),
        helper.make_node("Concat", ["sg", "lr"], ["cat"], name="concat", axis=1),
        helper.make_node("AveragePool", ["cat"], ["ap"], name="avgpool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["ap"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], name="fc"),
        helper.make_node("Softmax", ["logits"], ["y"], name="softmax", axis=1),
    ]
    g = helper.make_graph(nodes, "small_cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
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
    f = os.path.join(OUT, "small_cnn_float.onnx")
    onnx.save(float_model(), f)
    for fmt, fname in ((QuantFormat.QDQ, "qdq"), (QuantFormat.QOperator, "qop")):
        for per_channel in (True, False):
            out = os.path.join(OUT, "small_cnn_%s_%s.onnx" % (fname, "perchannel" if per_channel else "pertensor"))
            quantize_static(f, out, Reader(), quant_format=fmt, per_channel=per_channel,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
            ops = sorted({(n.domain + "." if n.domain else "") + n.op_type for n in onnx.load(out).graph.node})
            print(os.path.basename(out), os.path.getsize(out), "bytes:", ", ".join(ops))


if __name__ == "__main__":
    main()
