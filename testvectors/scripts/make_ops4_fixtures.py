#!/usr/bin/env python3
"""Makes the 16-bit fixtures in testvectors/src/test/resources/dev/cnnip/fixtures/ops4 (issue 11).

Hand-written QDQ models with int16 activations (ONNX Runtime Java cannot feed uint16, and the inputs here are
float, quantized inside the model):
- concat16.onnx: a [1,4,3,5] -> Q/DQ int16 (scale 0.0007, zp 0); b [1,6,3,5] -> Q/DQ int16 (scale 0.003, zp 100);
  Concat on channels -> Q/DQ int16 (scale 0.0031, zp -50). Both inputs need requantizing. ONNX Runtime runs the
  group in float (DQ -> Concat -> Q).
- concat16_last.onnx: the same with the Concat on the last axis (W) and a third input c [1,4,3,2] sharing the
  output's parameters (copied unchanged).
- softmax16.onnx: x [1,4,3,5] -> Q/DQ int16 (scale 0.0005, zp 0) -> Softmax (last axis) -> Q/DQ int16
  (scale 1/32768, zp -32768). ONNX Runtime runs it in float (DQ -> Softmax -> Q).
- softmax16_channels.onnx: the same with the Softmax on axis 1 (channels, innermost in cnnip's NHWC storage).
The Java test (Ops4ModelsTest) compiles each and compares every layer with ONNX Runtime Java; no Python.

Run: /work/pyenv/bin/python testvectors/scripts/make_ops4_fixtures.py   (numpy, onnx)
"""
import os
import numpy as np
import onnx
from onnx import helper as h, TensorProto as T, numpy_helper as nh

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "dev", "cnnip",
                   "fixtures", "ops4")


def c(name, v, dt):
    return nh.from_array(np.array(v, dtype=dt), name)


def qdq(src, dst, s, z):
    return [h.make_node("QuantizeLinear", [src, s, z], [dst + "_q"], name=dst + "_quant"),
            h.make_node("DequantizeLinear", [dst + "_q", s, z], [dst], name=dst + "_dequant")]


def vi(n, s):
    return h.make_tensor_value_info(n, T.FLOAT, s)


def save(name, nodes, inputs, outputs, init):
    g = h.make_graph(nodes, name, inputs, outputs, init)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 21)], producer_name="make_ops4_fixtures")
    m.ir_version = 10
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name + ".onnx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    params = [c("sa", 0.0007, np.float32), c("za", 0, np.int16), c("sb", 0.003, np.float32), c("zb", 100, np.int16),
              c("sy", 0.0031, np.float32), c("zy", -50, np.int16)]
    save("concat16", qdq("a", "ad", "sa", "za") + qdq("b", "bd", "sb", "zb")
         + [h.make_node("Concat", ["ad", "bd"], ["yf"], axis=1, name="cat")] + qdq("yf", "y", "sy", "zy"),
         [vi("a", [1, 4, 3, 5]), vi("b", [1, 6, 3, 5])], [vi("y", [1, 10, 3, 5])], params)
    save("concat16_last", qdq("a", "ad", "sa", "za") + qdq("b", "bd", "sb", "zb") + qdq("c", "cd", "sy", "zy")
         + [h.make_node("Concat", ["ad", "bd", "cd"], ["yf"], axis=-1, name="cat")] + qdq("yf", "y", "sy", "zy"),
         [vi("a", [1, 4, 3, 5]), vi("b", [1, 4, 3, 5]), vi("c", [1, 4, 3, 2])], [vi("y", [1, 4, 3, 12])], params)
    for name, axis in (("softmax16", -1), ("softmax16_channels", 1)):
        save(name, qdq("x", "xd", "sx", "zx") + [h.make_node("Softmax", ["xd"], ["zf"], axis=axis, name="sm")]
             + qdq("zf", "z", "sz", "zz"),
             [vi("x", [1, 4, 3, 5])], [vi("z", [1, 4, 3, 5])],
             [c("sx", 0.0005, np.float32), c("zx", 0, np.int16), c("sz", 1 / 32768.0, np.float32),
              c("zz", -32768, np.int16)])


if __name__ == "__main__":
    main()
