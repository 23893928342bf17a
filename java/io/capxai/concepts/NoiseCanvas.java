package io.capxai.concepts;

import io.capxai.data.ClipPreprocess;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.List;
import java.util.Random;

/**
 * The ConVis canvas: the CLIP-normalised image in the middle of a border of uniform random pixel
 * noise (normalised the same way), and the box crops that get encoded. A crop is "black out
 * everything outside the box, then crop to the box": the crop alone already holds only the box,
 * so it is resized (bicubic, as CLIP's preprocessing) to the encoder's R x R.
 */
final class NoiseCanvas {
    private final Tensor canvas;
    private final int resolution;

    /** {@code image} {@code [1, 3, R, R]}, CLIP-normalised; the noise is seeded. */
    NoiseCanvas(Tensor image, SweepGeometry geometry, long seed, float[] mean, float[] std) {
        int r = geometry.resolution();
        int c = geometry.canvasSize();
        Random rng = new Random(seed);
        float[] noise = new float[3 * c * c];
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < c * c; i++) {
                noise[ch * c * c + i] = (rng.nextInt(256) / 255f - mean[ch]) / std[ch];
            }
        }
        Tensor canvas = Tensors.fromFloats(noise, 1, 3, c, c);
        Tensor cpuImage = image.cpu().to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
        canvas.narrow(2, geometry.border(), r).narrow(3, geometry.border(), r).copy_(cpuImage);
        this.canvas = image.is_cuda() ? canvas.to(image.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float) : canvas;
        this.resolution = r;
    }

    NoiseCanvas(Tensor image, SweepGeometry geometry, long seed) {
        this(image, geometry, seed, ClipPreprocess.CLIP_MEAN, ClipPreprocess.CLIP_STD);
    }

    /** The crops of {@code boxes}, each resized to R x R: {@code [boxes, 3, R, R]}. */
    Tensor crops(List<SweepGeometry.Box> boxes) {
        Tensor[] out = new Tensor[boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            SweepGeometry.Box b = boxes.get(i);
            Tensor crop = canvas.narrow(2, b.y(), b.size()).narrow(3, b.x(), b.size());
            out[i] = b.size() == resolution ? crop.contiguous()
                    : torch.upsample_bicubic2d(crop.contiguous(), new long[] {resolution, resolution}, false);
        }
        return torch.cat(new TensorVector(out), 0);
    }

    /** The whole canvas {@code [1, 3, C, C]}. */
    Tensor tensor() {
        return canvas;
    }
}
