"""Reference for ClipPreprocessPilParityTest: OpenAI CLIP's `_transform(n_px)`, verbatim.

Usage: clip_preprocess_reference.py RESOLUTION OUT_DIR IMAGE.png ...
For each image writes OUT_DIR/NAME.u8 (the uint8 HWC image after Resize + CenterCrop) and
OUT_DIR/NAME.f32 (float32 CHW after ToTensor + Normalize).
"""
import os
import sys

import numpy as np
from PIL import Image
from torchvision.transforms import CenterCrop, Compose, InterpolationMode, Normalize, Resize, ToTensor

BICUBIC = InterpolationMode.BICUBIC


def _convert_image_to_rgb(image):
    return image.convert("RGB")


def main():
    n_px, out_dir, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    geometry = Compose([Resize(n_px, interpolation=BICUBIC), CenterCrop(n_px), _convert_image_to_rgb])
    tensor = Compose([ToTensor(), Normalize((0.48145466, 0.4578275, 0.40821073),
                                            (0.26862954, 0.26130258, 0.27577711))])
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        img = geometry(Image.open(f))
        np.asarray(img, dtype=np.uint8).tofile(os.path.join(out_dir, name + ".u8"))
        tensor(img).numpy().astype(np.float32).tofile(os.path.join(out_dir, name + ".f32"))


if __name__ == "__main__":
    main()
