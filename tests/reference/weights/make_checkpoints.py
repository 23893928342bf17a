"""Writes small PyTorch checkpoints and their expected values for the Java weight readers.

Usage: /usr/bin/python3 make_checkpoints.py OUT_DIR

For every checkpoint NAME.pt it writes NAME.expected.json: {key: {"shape": [...], "values": [...]}},
the values as Python floats (exact for float32 and for fp16/bf16 converted to float32), so that the
Java side can compare exactly. Nothing here is committed: the tests run this at test time.
"""
import collections
import json
import os
import pickle
import sys
import zipfile

import torch


class Block(torch.nn.Module):
    """A nested submodule: conv + BN, like a ResNet stem."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 3, 3)
        self.bn = torch.nn.BatchNorm2d(3)

    def forward(self, x):
        return self.bn(self.conv(x))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
        self.scale = torch.nn.Parameter(torch.full((1,), 0.5))
        self.register_buffer("offset", torch.arange(2, dtype=torch.float32))
        self.register_buffer("scratch", torch.full((2,), 0.25), persistent=False)
        self.mask = torch.tensor([[0.0, -1.0], [0.0, 0.0]])  # a plain tensor attribute: not state
        self.training_steps = 7  # a plain attribute: not a tensor, must be dropped

    def forward(self, x):
        return self.head(self.block(x).mean((2, 3))) * self.scale + self.offset + self.mask[0] + self.scratch


class ResidualAttentionBlock(torch.nn.Module):
    """CLIP's text block: attention and an MLP named like OpenAI's (c_fc, c_proj)."""

    def __init__(self, width, heads):
        super().__init__()
        self.attn = torch.nn.MultiheadAttention(width, heads)
        self.ln_1 = torch.nn.LayerNorm(width)
        self.mlp = torch.nn.Sequential(collections.OrderedDict([
            ("c_fc", torch.nn.Linear(width, width * 4)), ("gelu", torch.nn.GELU()),
            ("c_proj", torch.nn.Linear(width * 4, width))]))
        self.ln_2 = torch.nn.LayerNorm(width)

    def forward(self, x):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class ClipLike(torch.nn.Module):
    """A tiny model with OpenAI CLIP's tensor names and nesting, traced like the RN50.pt archives."""

    def __init__(self, width=8, layers=2, context=5, vocab=11):
        super().__init__()
        self.visual = torch.nn.Module()
        self.visual.conv1 = torch.nn.Conv2d(3, width, 3, padding=1, bias=False)
        self.visual.bn1 = torch.nn.BatchNorm2d(width)
        self.transformer = torch.nn.Module()
        self.transformer.resblocks = torch.nn.Sequential(*[ResidualAttentionBlock(width, 2) for _ in range(layers)])
        self.token_embedding = torch.nn.Embedding(vocab, width)
        self.positional_embedding = torch.nn.Parameter(torch.randn(context, width))
        self.ln_final = torch.nn.LayerNorm(width)
        self.text_projection = torch.nn.Parameter(torch.randn(width, width))
        self.logit_scale = torch.nn.Parameter(torch.tensor(2.6592))

    def forward(self, image, text):
        v = self.visual.bn1(self.visual.conv1(image)).mean((2, 3))
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer.resblocks(x.permute(1, 0, 2)).permute(1, 0, 2)
        t = self.ln_final(x)[:, -1] @ self.text_projection
        return self.logit_scale.exp() * v @ t.t()


def half_like_openai(model):
    """OpenAI's convert_weights: conv, linear, attention and projection weights fp16; norms stay float32."""
    for name, p in model.named_parameters():
        if not any(part.startswith(("ln_", "bn")) for part in name.split(".")) and name != "logit_scale":
            p.data = p.data.half()


def expected(state):
    out = {}
    for key, t in state.items():
        values = t.detach().float() if t.is_floating_point() else t.detach().long()
        out[key] = {"shape": list(t.shape), "dtype": str(t.dtype), "values": values.reshape(-1).tolist()}
    return out


def write(out_dir, name, obj, state, **save_args):
    torch.save(obj, os.path.join(out_dir, name + ".pt"), **save_args)
    with open(os.path.join(out_dir, name + ".expected.json"), "w") as f:
        json.dump(expected(state), f)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(1234)
    net = Net()
    net.block.bn.running_mean.uniform_(-1, 1)
    net.block.bn.running_var.uniform_(0.5, 2)
    net.block.bn.num_batches_tracked.fill_(42)

    # A plain state dict plus the storage cases the reader must handle.
    sd = net.state_dict()
    sd["extra.half"] = torch.randn(2, 3).half()
    sd["extra.bfloat16"] = torch.randn(3, 2).bfloat16()
    sd["extra.double"] = torch.randn(2, 2).double()
    sd["extra.int32"] = torch.tensor([[1, -2], [3, 4]], dtype=torch.int32)
    base = torch.randn(4, 5)
    sd["extra.base"] = base
    sd["extra.transposed_slice"] = base.t()[1:3]  # non-contiguous, shares base's storage, offset 1
    sd["extra.row"] = base[2]  # storage offset 10
    sd["extra.scalar"] = torch.tensor(3.25)
    write(out_dir, "state_dict", sd, sd)

    # The same weights wrapped like a training checkpoint.
    plain = net.state_dict()
    write(out_dir, "nested", {"epoch": 3, "state_dict": plain, "optimizer": {"lr": 0.1}}, plain)

    # The legacy (pre-1.6) format.
    write(out_dir, "legacy", plain, plain, _use_new_zipfile_serialization=False)

    # TorchScript: the archive must flatten to exactly the scripted module's state_dict()
    # (which, unlike the eager one, keeps the non-persistent buffer).
    scripted = torch.jit.script(net)
    scripted.save(os.path.join(out_dir, "torchscript.pt"))
    with open(os.path.join(out_dir, "torchscript.expected.json"), "w") as f:
        json.dump(expected(scripted.state_dict()), f)
    # The OpenAI CLIP archives store fp16 weights.
    half = torch.jit.script(Net().half())
    half.save(os.path.join(out_dir, "torchscript_half.pt"))
    with open(os.path.join(out_dir, "torchscript_half.expected.json"), "w") as f:
        json.dump(expected(half.state_dict()), f)

    # A traced CLIP-like archive with mixed fp16/fp32 weights, as OpenAI's RN50.pt.
    clip = ClipLike().eval()
    clip.visual.bn1.running_mean.uniform_(-1, 1)
    traced = torch.jit.trace(clip, (torch.randn(1, 3, 4, 4), torch.randint(0, 11, (1, 5))))
    half_like_openai(traced)
    traced.save(os.path.join(out_dir, "clip_like_traced.pt"))
    with open(os.path.join(out_dir, "clip_like_traced.expected.json"), "w") as f:
        json.dump(expected(traced.state_dict()), f)

    # A whole pickled module (torch.save(model)): must be refused, naming its class.
    torch.save(net, os.path.join(out_dir, "whole_model.pt"))

    # A big-endian checkpoint, as written on s390x: byteorder "big" and byte-swapped storages.
    small = {"f32": torch.randn(3, 2), "i64": torch.tensor([1, -2, 300]), "f16": torch.randn(4).half()}
    write(out_dir, "big_endian", small, small)
    to_big_endian(os.path.join(out_dir, "big_endian.pt"), {"0": 4, "1": 8, "2": 2})

    # Malicious checkpoints: valid zips whose data.pkl asks for code execution. The marker file
    # would appear if a reader ran the pickle's payload.
    marker = os.path.join(os.path.abspath(out_dir), "PWNED")
    protocol0_os_system = ("cos\nsystem\n(S'touch " + marker + "'\ntR.").encode()
    write_zip(out_dir, "evil_os_system", protocol0_os_system)

    class Evil:
        def __reduce__(self):
            return (eval, ("open(" + repr(marker) + ", 'w').close()",))

    write_zip(out_dir, "evil_eval", pickle.dumps(Evil(), protocol=4))  # STACK_GLOBAL builtins.eval


def to_big_endian(path, element_sizes):
    """Rewrites a little-endian zip checkpoint as big-endian (storage keys follow first use)."""
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    root = next(n.split("/")[0] for n in entries if n.endswith("/data.pkl"))
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            key = name[len(root) + len("/data/"):] if name.startswith(root + "/data/") else None
            if key is not None:
                size = element_sizes[key]
                data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
            z.writestr(name, data)
        z.writestr(root + "/byteorder", "big")


def write_zip(out_dir, name, data_pkl):
    with zipfile.ZipFile(os.path.join(out_dir, name + ".pt"), "w") as z:
        z.writestr(name + "/data.pkl", data_pkl)
        z.writestr(name + "/version", "3\n")


if __name__ == "__main__":
    main(sys.argv[1])
