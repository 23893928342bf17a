package io.capxai.concepts;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.util.Random;

/**
 * A fake image encoder whose embedding depends only on what is visible: one dimension per synset
 * of T; the "red" synset's dimension grows with the share of pure-red pixels in the crop, the
 * "green" one's with pure green; the others are a fixed random background. With the identity as
 * concept embeddings, the red synset ranks first exactly where red is visible.
 */
final class ColourEncoder implements ImageEncoder {
    private final int resolution;
    private final int redSynset;
    private final int greenSynset;
    private final float[] background;

    ColourEncoder(int resolution, int synsets, int redSynset, int greenSynset) {
        this.resolution = resolution;
        this.redSynset = redSynset;
        this.greenSynset = greenSynset;
        Random rng = new Random(11);
        background = new float[synsets];
        for (int i = 0; i < synsets; i++) {
            background[i] = rng.nextFloat();
        }
        background[redSynset] = -1;
        background[greenSynset] = -1;
    }

    @Override
    public Tensor encode(Tensor images) {
        int b = (int) images.size(0);
        int hw = resolution * resolution;
        float[] px = Tensors.toFloats(images.contiguous());
        float[] out = new float[b * background.length];
        for (int n = 0; n < b; n++) {
            int red = 0, green = 0;
            for (int p = 0; p < hw; p++) {
                float r = px[(n * 3) * hw + p], g = px[(n * 3 + 1) * hw + p], bl = px[(n * 3 + 2) * hw + p];
                if (r > 1.5f && g < -1.5f && bl < -1.3f) red++;
                if (g > 1.5f && r < -1.5f && bl < -1.3f) green++;
            }
            System.arraycopy(background, 0, out, n * background.length, background.length);
            out[n * background.length + redSynset] += 10f * red / hw;
            out[n * background.length + greenSynset] += 10f * green / hw;
        }
        return Tensors.fromFloats(out, b, background.length);
    }

    @Override
    public int resolution() {
        return resolution;
    }

    /** A black CLIP-normalised image {@code [1, 3, R, R]} with a pure-red and a pure-green square. */
    static Tensor twoSquares(int r, int[] redBox, int[] greenBox) {
        float[] mean = io.capxai.data.ClipPreprocess.CLIP_MEAN;
        float[] std = io.capxai.data.ClipPreprocess.CLIP_STD;
        float[] img = new float[3 * r * r];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < r * r; p++) {
                int y = p / r, x = p % r;
                boolean inRed = x >= redBox[0] && x < redBox[2] && y >= redBox[1] && y < redBox[3];
                boolean inGreen = x >= greenBox[0] && x < greenBox[2] && y >= greenBox[1] && y < greenBox[3];
                float v = (c == 0 && inRed) || (c == 1 && inGreen) ? 1f : 0f;
                img[c * r * r + p] = (v - mean[c]) / std[c];
            }
        }
        return Tensors.fromFloats(img, 1, 3, r, r);
    }
}
