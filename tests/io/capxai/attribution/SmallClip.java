package io.capxai.attribution;

import io.capxai.models.ClipModel;
import io.capxai.models.RandomWeights;
import io.capxai.models.text.ClipTokenizer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Small random CLIP models for fast tests (64 px images, 4-block towers, the real vocabulary). */
public final class SmallClip {
    private SmallClip() {}

    public static ClipScorer vit(long seed) {
        // width 64, 4 blocks, patch 16 at 64 px: a 4x4 patch grid plus CLS; text width 64, 4 blocks
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipViT(64, 4, 16, 64, 32, 64, 4,
                ClipTokenizer.VOCAB_SIZE, seed));
        return new ClipScorer(clip, ClipTokenizer.load(), "small random CLIP ViT (test)");
    }

    public static ClipScorer resnet(long seed) {
        ClipModel clip = ClipModel.fromStateDict(RandomWeights.clipResNet(new int[] {1, 1, 1, 1}, 16, 64, 32, 64, 2,
                ClipTokenizer.VOCAB_SIZE, seed));
        return new ClipScorer(clip, ClipTokenizer.load(), "small random CLIP RN (test)");
    }

    public static Tensor image(long seed, int resolution) {
        torch.manual_seed(seed);
        return torch.randn(1, 3, resolution, resolution);
    }
}
