package io.capxai.training;

import java.util.Arrays;

/**
 * Sizes of a CLIP-style model: OpenAI's layout (ModifiedResNet image tower, text transformer, the
 * real 49,408-token BPE vocabulary and 77-token context) at small widths.
 *
 * @param resolution   input side; a multiple of 32 (the attention pool sees resolution/32 squared cells)
 * @param visionLayers bottleneck blocks per stage (4 values)
 * @param visionWidth  stem output width (= {@code layer1.0.conv1} width); stage outputs are 4x, 8x, 16x, 32x it
 * @param visionHeads  attention-pool heads; must divide {@code 32 * visionWidth}
 * @param embedDim     joint embedding width
 * @param textWidth    text transformer width
 * @param textHeads    text heads; must divide {@code textWidth}
 * @param textLayers   text residual blocks
 */
public record ClipArchitecture(int resolution, int[] visionLayers, int visionWidth, int visionHeads, int embedDim,
                               int textWidth, int textHeads, int textLayers) {
    public static final int CONTEXT_LENGTH = 77;
    public static final int VOCAB_SIZE = 49408;

    public ClipArchitecture {
        if (resolution <= 0 || resolution % 32 != 0) {
            throw new IllegalArgumentException("resolution must be a positive multiple of 32, got " + resolution);
        }
        if (visionLayers == null || visionLayers.length != 4 || Arrays.stream(visionLayers).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("visionLayers needs 4 positive block counts, got " + Arrays.toString(visionLayers));
        }
        if (visionWidth < 2 || visionWidth % 2 != 0) {
            throw new IllegalArgumentException("visionWidth must be even and >= 2, got " + visionWidth);
        }
        if (visionHeads < 1 || (32L * visionWidth) % visionHeads != 0) {
            throw new IllegalArgumentException("visionHeads " + visionHeads + " must divide 32 * visionWidth = " + 32L * visionWidth);
        }
        if (textHeads < 1 || textWidth % textHeads != 0) {
            throw new IllegalArgumentException("textHeads " + textHeads + " must divide textWidth " + textWidth);
        }
        if (embedDim < 1 || textLayers < 1) {
            throw new IllegalArgumentException("embedDim and textLayers must be positive");
        }
        visionLayers = visionLayers.clone();
    }

    /**
     * The demo's default, sized for 2 CPU cores: stages (1, 1, 1, 1) of stem width 16 (stage outputs 64,
     * 128, 256, 512 channels), 4 pool heads, text 64 wide x 2 blocks with 2 heads, embedding 64.
     */
    public static ClipArchitecture small(int resolution) {
        return new ClipArchitecture(resolution, new int[] {1, 1, 1, 1}, 16, 4, 64, 64, 2, 2);
    }

    /** A tiny model for tests. */
    public static ClipArchitecture tiny() {
        return new ClipArchitecture(32, new int[] {1, 1, 1, 1}, 8, 2, 32, 32, 2, 1);
    }

    @Override
    public int[] visionLayers() {
        return visionLayers.clone();
    }

    public long vocabSize() {
        return VOCAB_SIZE;
    }

    public long contextLength() {
        return CONTEXT_LENGTH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipArchitecture a && a.resolution == resolution && Arrays.equals(a.visionLayers, visionLayers)
                && a.visionWidth == visionWidth && a.visionHeads == visionHeads && a.embedDim == embedDim
                && a.textWidth == textWidth && a.textHeads == textHeads && a.textLayers == textLayers;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {resolution, Arrays.hashCode(visionLayers), visionWidth, visionHeads, embedDim,
                textWidth, textHeads, textLayers});
    }

    @Override
    public String toString() {
        return "ModifiedResNet " + Arrays.toString(visionLayers) + " width " + visionWidth + " @" + resolution
                + ", text " + textLayers + "x" + textWidth + ", embed " + embedDim;
    }
}
