#!/usr/bin/env python3
"""Load a cnnip vector set with numpy: check every tensor file against the manifest and print a summary.

Usage: python3 load_vectors.py VECTORS_DIR [--check-conv]

Checks that every file's size and SHA-256 match manifest.json, that every .npy loads with the manifest's
dtype and shape, and (with --check-conv) recomputes the int32 accumulators of every convolution layer
(groups inferred from the weight shape; stride, padding and dilation searched among small values) from its
input and weights with plain numpy, as a check independent of the simulator.
"""
import hashlib
import json
import os
import sys

import numpy as np


def load(vdir):
    with open(os.path.join(vdir, "manifest.json")) as f:
        man = json.load(f)
    for entry in man["files"]:
        with open(os.path.join(vdir, entry["path"]), "rb") as f:
            data = f.read()
        assert len(data) == entry["bytes"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    tensors = {}
    for t in man["tensors"]:
        if not t["file"].endswith(".npy"):
            continue
        a = np.load(os.path.join(vdir, t["file"]))
        assert a.dtype == np.dtype(t["dtype"]), (t["file"], a.dtype, t["dtype"])
        assert list(a.shape) == t["shape"], (t["file"], a.shape, t["shape"])
        tensors[(t["layer_index"], t["role"], t["name"])] = (t, a)
    return man, tensors


def conv_acc(x, xzp, w, wzp, stride, pad, dil, groups, out_hw):
    """int64 accumulators of a grouped NCHW convolution with zero points (padding contributes 0)."""
    n, c, h, wd = x.shape
    o, gic, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * pad[0] + kh * dil[0], wd + 2 * pad[1] + kw * dil[1]), np.int64)
    xp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x.astype(np.int64) - xzp
    valid = np.zeros_like(xp)
    valid[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = 1
    wz = w.astype(np.int64) - np.asarray(wzp, np.int64).reshape(-1, 1, 1, 1)
    oh, ow = out_hw
    acc = np.zeros((n, o, oh, ow), np.int64)
    goc = o // groups
    for g in range(groups):
        xs = xp[:, g * gic:(g + 1) * gic]
        for ky in range(kh):
            for kx in range(kw):
                y0, x0 = ky * dil[0], kx * dil[1]
                patch = xs[:, :, y0:y0 + stride[0] * oh:stride[0], x0:x0 + stride[1] * ow:stride[1]]
                acc[:, g * goc:(g + 1) * goc] += np.einsum("nchw,oc->nohw", patch, wz[g * goc:(g + 1) * goc, :, ky, kx])
    return acc


def check_conv(man, tensors):
    checked = 0
    for layer in man["layers"]:
        i = layer["index"]
        acc = [a for (li, role, _), (t, a) in tensors.items() if li == i and role == "acc"]
        wts = [(t, a) for (li, role, _), (t, a) in tensors.items() if li == i and role == "weights"]
        ins = [(t, a) for (li, role, _), (t, a) in tensors.items() if li == i and role == "input"]
        if not acc or len(wts) != 1 or len(ins) != 1:
            continue
        acc, (wt, w), (it, x) = acc[0], wts[0], ins[0]
        xzp = it["zero_point"][0] if it["zero_point"] else 0
        wzp = wt["zero_point"] if wt["zero_point"] else [0]
        if acc.ndim == 2:
            # Gemm: acc[n, o] = sum_k (x[n, k] - xzp) * (w[o, k] - wzp[o])
            wz = w.reshape(w.shape[0], -1).astype(np.int64) - np.asarray(wzp, np.int64).reshape(-1, 1)
            ref = (x.reshape(x.shape[0], -1).astype(np.int64) - xzp) @ wz.T
            ok = ref.shape == acc.shape and np.array_equal(ref, acc.astype(np.int64))
            print(f"  layer {i:3d} {layer['name'][:40]:40s} accumulators {'match' if ok else 'DO NOT MATCH'} numpy (Gemm)")
            assert ok, layer["name"]
            checked += 1
            continue
        if x.ndim != 4 or acc.ndim != 4:
            continue
        groups = x.shape[1] // w.shape[1]
        found = False
        for s in (1, 2):
            for p in (0, 1, 2, 3):
                for d in (1, 2):
                    try:
                        ref = conv_acc(x, xzp, w, np.broadcast_to(wzp, (w.shape[0],)), (s, s), (p, p), (d, d), groups,
                                       acc.shape[2:])
                    except ValueError:
                        continue
                    if ref.shape == acc.shape and np.array_equal(ref, acc.astype(np.int64)):
                        found = True
                        break
                if found:
                    break
            if found:
                break
        print(f"  layer {i:3d} {layer['name'][:40]:40s} accumulators {'match' if found else 'DO NOT MATCH'} numpy "
              f"(groups {groups}{f', stride {s}, pad {p}, dilation {d}' if found else ''})")
        assert found, layer["name"]
        checked += 1
    return checked


def main():
    vdir = sys.argv[1]
    man, tensors = load(vdir)
    print(f"{vdir}: {len(man['files'])} files match their SHA-256; {len(tensors)} .npy tensors load with the "
          f"manifest's dtype and shape; {man['instruction_count']} instructions, {man['expected_cycles']} cycles")
    for (li, role, name), (t, a) in list(tensors.items())[:6]:
        print(f"  layer {li} {role:7s} {name[:40]:40s} {a.dtype} {a.shape}")
    if "--check-conv" in sys.argv:
        n = check_conv(man, tensors)
        print(f"{n} convolution and Gemm layers: accumulators recomputed with numpy match the vectors")


if __name__ == "__main__":
    main()
