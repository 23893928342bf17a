"""PyTorch 1.13 CPU forward throughput, the counterpart of bench/java/io/capxai/bench/ForwardBench.java:
torchvision ResNet-50 and the CLIP RN50 image tower (random weights), 224x224, batch 1 and 32,
eval mode under no_grad.   /usr/bin/python3 bench/python/forward_bench.py [--seconds 5]"""
import argparse
import os
import sys
import time

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "reference"))
import clip_reference  # noqa: E402


def measure(model, batch, seconds):
    x = torch.randn(batch, 3, 224, 224)
    with torch.no_grad():
        model(x)  # warm-up
        runs, start = 0, time.perf_counter()
        while True:
            model(x).sum().item()
            runs += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds and runs >= 2:
                return elapsed / runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads (Debian's build defaults to 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    models = {
        "resnet50": torchvision.models.resnet50().eval(),
        "clip-rn50": clip_reference.ModifiedResNet((3, 4, 6, 3), 1024, 32, 224, 64).eval(),
    }
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, model in models.items():
        for batch in (1, 32):
            per_op = measure(model, batch, args.seconds)
            print(f"{name:10s} batch {batch:2d}: {per_op * 1000:9.1f} ms/op  {batch / per_op:7.2f} images/s")


if __name__ == "__main__":
    main()
