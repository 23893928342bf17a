"""Parity fixtures for the Java models: random-weight PyTorch models, their inputs and outputs.

Run with Debian's CPU PyTorch 1.13 + torchvision 0.14:  /usr/bin/python3 make_fixtures.py OUT_DIR
For each model it writes NAME.weights.safetensors (the state dict) and NAME.expected.safetensors:
  input / tokens        what the Java test feeds
  output                logits or unnormalised embedding
  tap.<module name>     module outputs (transformer blocks batch-first [N, L, D])
  edited_output         output with one tap replaced by 0.5 * itself (a forward hook returning a value)
  grad_input            d sum(edited_output * probe) / d input, probe a fixed random tensor
BatchNorm running statistics and affine parameters are randomised so that eval-mode BN is exercised.
The safetensors format is written by hand (8-byte LE header length, JSON header, raw bytes).
"""
import json
import os
import struct
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_reference  # noqa: E402

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64", torch.float64: "F64"}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for data in blobs:
            f.write(data)
    os.replace(path + ".tmp", path)


def randomise_batchnorm(model, gen):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=gen) * 0.2)
            m.running_var.copy_(torch.rand(c, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(c, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(c, generator=gen) * 0.2)


def module_outputs(model, names, run, batch_first=()):
    """Runs `run()` with forward hooks that record the outputs of the named modules."""
    modules = dict(model.named_modules())
    found, hooks = {}, []
    for name in names:
        def hook(_m, _i, out, name=name):
            out = out.detach().clone()
            found[name] = out.permute(1, 0, 2).contiguous() if name in batch_first else out
        hooks.append(modules[name].register_forward_hook(hook))
    try:
        result = run()
    finally:
        for h in hooks:
            h.remove()
    return result, found


def edited_and_grad(model, edit_name, run_with_input, x, gen):
    """Output with `edit_name`'s output halved, and the gradient of a random probe of it wrt x."""
    module = dict(model.named_modules())[edit_name]
    handle = module.register_forward_hook(lambda _m, _i, out: out * 0.5)
    try:
        x = x.clone().requires_grad_(True)
        out = run_with_input(x)
        probe = torch.randn(out.shape, generator=gen)
        (out * probe).sum().backward()
    finally:
        handle.remove()
    return out.detach(), probe, x.grad.detach()


def resnet_fixture(out_dir, name, ctor, taps, edit, num_classes):
    gen = torch.Generator().manual_seed(1234)
    torch.manual_seed(1234)
    model = ctor(num_classes=num_classes)
    with torch.no_grad():
        randomise_batchnorm(model, gen)
    model.eval()
    x = torch.randn(2, 3, 64, 64, generator=gen)
    with torch.no_grad():
        out, found = module_outputs(model, taps, lambda: model(x))
    edited, probe, grad = edited_and_grad(model, edit, model, x, gen)
    expected = {"input": x, "output": out, "edited_output": edited, "probe": probe, "grad_input": grad}
    expected.update({"tap." + k: v for k, v in found.items()})
    write_safetensors(os.path.join(out_dir, name + ".weights.safetensors"), model.state_dict())
    write_safetensors(os.path.join(out_dir, name + ".expected.safetensors"), expected, {"edit": edit})


def keras_resnet50(num_classes):
    """Keras ResNet50 v1 semantics on torchvision's module tree: the block stride on the first 1x1 conv,
    biases on every conv, BatchNorm eps 1e-3. (Keras' ZeroPadding2D(3) + valid 7x7 conv and
    ZeroPadding2D(1) + valid 3x3 max pool after a ReLU equal torchvision's padded conv1 and maxpool.)"""
    model = torchvision.models.resnet50(num_classes=num_classes)

    def with_bias(conv, stride):
        new = torch.nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, stride=stride,
                              padding=conv.padding, bias=True)
        new.weight.data.copy_(conv.weight.data)
        torch.nn.init.normal_(new.bias, std=0.1)
        return new

    model.conv1 = with_bias(model.conv1, model.conv1.stride)
    for layer in [model.layer1, model.layer2, model.layer3, model.layer4]:
        for block in layer:
            stride = block.conv2.stride
            block.conv1 = with_bias(block.conv1, stride)
            block.conv2 = with_bias(block.conv2, 1)
            block.conv3 = with_bias(block.conv3, 1)
            if block.downsample is not None:
                block.downsample[0] = with_bias(block.downsample[0], block.downsample[0].stride)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eps = 1e-3
    return model


def text_tokens(gen, n, context, vocab):
    """Random token rows: SOT, words, EOT (the largest id), zero padding; EOT at different positions."""
    sot, eot = vocab - 2, vocab - 1
    tokens = torch.zeros(n, context, dtype=torch.int64)
    for i in range(n):
        length = 3 + i * 5
        tokens[i, 0] = sot
        tokens[i, 1:length - 1] = torch.randint(1, vocab - 2, (length - 2,), generator=gen)
        tokens[i, length - 1] = eot
    return tokens


def clip_fixture(out_dir, name, image_taps, edit, half):
    gen = torch.Generator().manual_seed(4321)
    torch.manual_seed(4321)
    common = dict(embed_dim=64, context_length=77, vocab_size=1000, transformer_width=128,
                  transformer_heads=2, transformer_layers=2)
    if name == "clip_rn":
        model = clip_reference.CLIP(image_resolution=64, vision_layers=(2, 1, 1, 2), vision_width=16,
                                    vision_patch_size=None, **common)
    else:
        model = clip_reference.CLIP(image_resolution=64, vision_layers=2, vision_width=128,
                                    vision_patch_size=16, **common)
    with torch.no_grad():
        randomise_batchnorm(model, gen)
        for p in model.parameters():  # nn.MultiheadAttention starts with zero biases: make them count
            if p.dim() == 1 and float(p.abs().max()) == 0.0:
                p.copy_(torch.randn(p.shape, generator=gen) * 0.1)
        if half:  # weights stored as fp16: compute the expectation with the rounded values
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.half().float())
    model.eval()
    state = model.state_dict()
    # the round trip the Java side relies on: build_model infers this architecture from the tensors
    rebuilt = clip_reference.build_model({k: v.clone() for k, v in state.items()})
    x = torch.randn(2, 3, 64, 64, generator=gen)
    tokens = text_tokens(gen, 3, 77, 1000)
    block_taps = [t for t in image_taps if ".resblocks." in t]
    with torch.no_grad():
        image, found = module_outputs(model, image_taps, lambda: model.encode_image(x), batch_first=block_taps)
        text, text_found = module_outputs(model, ["transformer.resblocks.0", "ln_final"],
                                          lambda: model.encode_text(tokens),
                                          batch_first=["transformer.resblocks.0"])
        assert torch.equal(rebuilt.encode_image(x), image)
    edited, probe, grad = edited_and_grad(model, edit, model.encode_image, x, gen)
    expected = {"input": x, "output": image, "tokens": tokens, "text_output": text,
                "edited_output": edited, "probe": probe, "grad_input": grad}
    expected.update({"tap." + k: v for k, v in found.items()})
    expected.update({"tap." + k: v for k, v in text_found.items()})
    weights = {k: (v.half() if half and v.is_floating_point() else v) for k, v in state.items()}
    write_safetensors(os.path.join(out_dir, name + ".weights.safetensors"), weights)
    write_safetensors(os.path.join(out_dir, name + ".expected.safetensors"), expected, {"edit": edit})


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "target/fixtures"
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    resnet_fixture(out_dir, "resnet18", torchvision.models.resnet18,
                   ["conv1", "layer1.0.conv1", "layer2.0.conv2", "layer2.0.downsample.0", "layer3", "layer4.1.conv2"],
                   "layer2.0.conv1", num_classes=10)
    resnet_fixture(out_dir, "resnet50", torchvision.models.resnet50,
                   ["conv1", "layer1.0.conv3", "layer2.1.conv2", "layer3.5.conv3", "layer4", "layer4.2.conv3"],
                   "layer3.0.conv2", num_classes=7)
    resnet_fixture(out_dir, "keras50", keras_resnet50,
                   ["conv1", "layer2.0.conv1", "layer2.0.conv2", "layer4.2.conv3"], "layer3.1.conv3", num_classes=5)
    clip_fixture(out_dir, "clip_rn", ["visual.layer1", "visual.layer2", "visual.layer3", "visual.layer4",
                                      "visual.layer1.1.conv2", "visual.attnpool"], "visual.layer2", half=False)
    clip_fixture(out_dir, "clip_vit", ["visual.conv1", "visual.ln_pre", "visual.transformer.resblocks.0",
                                       "visual.transformer.resblocks.1"], "visual.transformer.resblocks.0",
                 half=True)
    print("fixtures written to", out_dir)


if __name__ == "__main__":
    main()
