"""Independent float64 reference of the activation-matching score (docs/method.md#matching).

usage: scores.py IN.safetensors OUT.safetensors
IN holds standalone taps `s.<name>` and CLIP taps `c.<name>` ([N, C, H, W], one tensor per tap
for the whole split) and metadata `rows`/`cols` (tap order). OUT holds `scores` [rows, cols]
float64 computed literally: exact mean/std over images and positions, z = (a-mu)/(sigma+1e-5),
bilinear upsampling (align_corners=False) of the smaller map, mean of the products.
"""
import sys

import torch
import torch.nn.functional as F

from st_io import read, write

taps, meta = read(sys.argv[1])
rows = meta["rows"].split(",")
cols = meta["cols"].split(",")


def standardise(x):
    x = x.double()
    mu = x.mean(dim=(0, 2, 3), keepdim=True)
    sd = x.var(dim=(0, 2, 3), unbiased=False, keepdim=True).sqrt()
    return (x - mu) / (sd + 1e-5)


zs = [standardise(taps["s." + r]) for r in rows]
zc = [standardise(taps["c." + c]) for c in cols]
blocks = []
for a in zs:
    row = []
    for b in zc:
        m = (max(a.shape[2], b.shape[2]), max(a.shape[3], b.shape[3]))
        ua = F.interpolate(a, size=m, mode="bilinear", align_corners=False) if a.shape[2:] != m else a
        ub = F.interpolate(b, size=m, mode="bilinear", align_corners=False) if b.shape[2:] != m else b
        n = a.shape[0]
        row.append(torch.einsum("nihw,njhw->ij", ua, ub) / (n * m[0] * m[1]))
    blocks.append(torch.cat(row, dim=1))
write(sys.argv[2], {"scores": torch.cat(blocks, dim=0)})
