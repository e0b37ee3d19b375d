# Regenerates slices.txt and metrics.txt with numpy (the independent reference of SliceTest and
# TensorMetricsTest):  /work/pyenv/bin/python make_fixtures.py
import numpy as np

a = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
slices = ["[0,1,:2,:3]", "[1]", "[-1,-1]", "[...,2]", "[:,::2,1:3,-2:]", "[0,0,::-1,4]", "[1,2,3,::-2]",
          "[...]", "[0,...,1:4]", "[:,1:100,-100:2]", "[1,:,3:1]"]
with open("slices.txt", "w") as f:
    f.write("# slice | shape | values of np.arange(120).reshape(2,3,4,5)[slice]\n")
    for s in slices:
        r = eval("a" + s)
        f.write(f"{s}|{','.join(map(str, r.shape))}|{','.join(map(str, r.ravel()))}\n")

rng = np.random.default_rng(7)
with open("metrics.txt", "w") as f:
    f.write("# reference floats | actual floats | sqnr_db | cosine | max_abs_err (float64 numpy)\n")
    for n in (5, 64):
        ref = rng.normal(size=n).astype(np.float32)
        act = (ref + rng.normal(scale=0.05, size=n)).astype(np.float32)
        r64, a64 = ref.astype(np.float64), act.astype(np.float64)
        sqnr = 10 * np.log10(np.sum(r64 ** 2) / np.sum((r64 - a64) ** 2))
        cos = np.dot(a64, r64) / (np.linalg.norm(a64) * np.linalg.norm(r64))
        mx = np.max(np.abs(r64 - a64))
        f.write("|".join([",".join(repr(float(v)) for v in ref), ",".join(repr(float(v)) for v in act),
                          repr(float(sqnr)), repr(float(cos)), repr(float(mx))]) + "\n")
