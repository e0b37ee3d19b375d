#!/usr/bin/env python3
"""Lists what ONNX Runtime (CPU) does with each QDQ group of a model: fused into an integer kernel, or run in
float between DequantizeLinear and QuantizeLinear. An independent cross-check of the Java OrtExecutedGraph.

It lets ONNX Runtime write its optimised graph with the reference options of cnnip's Java side (EXTENDED
optimisation, session.x64quantprecision=1, one thread) and reports, for each compute node of the model, the
node ONNX Runtime executes under the same name. With --probe it first exposes every QuantizeLinear output as a
graph output, as a naive per-layer comparison would, to show how that changes the fusion (int8 activations).

For yunet-n-320-qdq-int8 the Python onnxruntime 1.30 here writes the same executed graph as the Java
reference's 1.24.1 (38 QLinearConv, 21 float Conv, ...; 59 float Conv with --probe).

Run: /work/pyenv/bin/python testvectors/scripts/ort_qdq_groups.py ../shared/testdata/models/yunet-n-320-qdq-int8.onnx
"""
import argparse
import collections
import os
import tempfile

import onnx
import onnxruntime as ort


def executed_graph(model):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    so.add_session_config_entry("session.x64quantprecision", "1")
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    with tempfile.TemporaryDirectory() as d:
        so.optimized_model_filepath = os.path.join(d, "executed.onnx")
        ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
        return onnx.load(so.optimized_model_filepath)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--probe", action="store_true", help="expose every QuantizeLinear output first")
    a = ap.parse_args()
    m = onnx.load(a.model)
    if a.probe:
        outs = {o.name for o in m.graph.output}
        for n in m.graph.node:
            if n.op_type == "QuantizeLinear" and n.output[0] not in outs:
                m.graph.output.append(onnx.helper.make_value_info(n.output[0], onnx.TypeProto()))
    e = executed_graph(m)
    by_name = {n.name: n for n in e.graph.node if n.name}
    kinds = collections.Counter()
    for n in m.graph.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear"):
            continue
        x = by_name.get(n.name)
        if x is None:
            kind = "removed"
        elif x.op_type == n.op_type:
            # same operator: float if a DequantizeLinear feeds it, else it runs on the codes
            producers = {o: p for p in e.graph.node for o in p.output}
            fed = producers.get(x.input[0])
            kind = "float" if fed is not None and fed.op_type == "DequantizeLinear" else "codes"
        else:
            kind = "integer " + (x.domain + ":" if x.domain else "") + x.op_type
        kinds[(n.op_type, kind)] += 1
        print(f"{n.name:40s} {n.op_type:12s} -> {kind}")
    print()
    for (op, kind), c in sorted(kinds.items()):
        print(f"{c:4d} {op:12s} {kind}")


if __name__ == "__main__":
    main()
