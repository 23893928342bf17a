package io.capxai.models;

import io.capxai.taps.TapSet;
import org.bytedeco.pytorch.Tensor;

/**
 * CLIP's image encoder (ModifiedResNet or VisionTransformer). Its "blocks" are the points an
 * explanation can cut the tower at: the four stages {@code visual.layer1..4} of a ResNet, the
 * residual blocks {@code visual.transformer.resblocks.i} of a ViT (0-based in both).
 */
public interface ClipImageTower extends ImageModel {
    /** The square input size the positional embedding fixes (224 for the released models). */
    int resolution();

    /** Width of the embedding this tower returns. */
    long outputDim();

    /** Number of cut points: 4 stages, or the transformer's layer count. */
    int blockCount();

    /** Tap name of cut point {@code i}: {@code visual.layer(i+1)} or {@code visual.transformer.resblocks.i}. */
    String blockName(int i);

    /**
     * Finishes a forward pass from the output of block {@code i} (as captured at {@link #blockName(int)},
     * possibly modified): runs blocks i+1.. and the head. Only the taps after block i can be reached.
     */
    Tensor forwardAfterBlock(int i, Tensor blockOutput, TapSet taps);

    @Override
    ClipImageTower copyTo(org.bytedeco.pytorch.Device device);

    @Override
    default int fixedResolution() {
        return resolution();
    }
}
