package io.capxai.models;

import io.capxai.weights.StateDict;
import io.capxai.weights.WeightsException;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * CLIP's architecture, inferred from the tensors exactly as OpenAI's {@code build_model} does.
 *
 * @param vit               true when {@code visual.proj} exists (VisionTransformer), else ModifiedResNet
 * @param visionLayers      blocks per stage (ResNet, 4 values) or the transformer's layer count (ViT, 1 value)
 * @param visionWidth       ResNet: {@code layer1.0.conv1} width (64 for RN50); ViT: token width
 * @param visionPatchSize   ViT patch size, 0 for a ResNet
 * @param imageResolution   input side: patch * grid (ViT) or 32 * attention-pool side (ResNet)
 * @param visionHeads       {@code width * 32 / 64} (ResNet) or {@code width / 64} (ViT)
 * @param embedDim          joint embedding width ({@code text_projection} columns)
 * @param contextLength     text positions (77)
 * @param vocabSize         BPE vocabulary (49408)
 * @param transformerWidth  text width ({@code ln_final})
 * @param transformerHeads  {@code transformerWidth / 64}
 * @param transformerLayers text residual blocks
 */
public record ClipConfig(boolean vit, int[] visionLayers, long visionWidth, long visionPatchSize,
                         long imageResolution, long visionHeads, long embedDim, long contextLength,
                         long vocabSize, long transformerWidth, long transformerHeads, int transformerLayers) {

    /**
     * Reads the architecture from key names and shapes. Head counts follow {@code build_model}
     * (width / 64); a file may override them with the metadata entries {@code vision_heads} and
     * {@code text_heads} (for small CLIP-style models whose widths are not multiples of 64).
     */
    public static ClipConfig infer(StateDict sd) {
        boolean vit = sd.contains("visual.proj");
        int[] visionLayers;
        long visionWidth;
        long patch = 0;
        long resolution;
        long visionHeads;
        if (vit) {
            long[] conv1 = shape(sd, "visual.conv1.weight", 4);
            visionWidth = conv1[0];
            visionLayers = new int[] {(int) sd.keys().stream()
                    .filter(k -> k.startsWith("visual.") && k.endsWith(".attn.in_proj_weight")).count()};
            patch = conv1[3];
            long tokens = shape(sd, "visual.positional_embedding", 2)[0];
            long grid = Math.round(Math.sqrt(tokens - 1));
            if (grid * grid + 1 != tokens) {
                throw new WeightsException("tensor 'visual.positional_embedding' has " + tokens + " rows, expected grid^2 + 1");
            }
            resolution = patch * grid;
            visionHeads = heads(sd, "vision_heads", visionWidth, "visual.conv1.weight");
        } else {
            visionLayers = new int[4];
            for (int b = 1; b <= 4; b++) {
                String prefix = "visual.layer" + b + ".";
                TreeSet<String> blocks = new TreeSet<>();
                sd.keys().stream().filter(k -> k.startsWith(prefix)).forEach(k -> blocks.add(k.split("\\.")[2]));
                visionLayers[b - 1] = blocks.size();
            }
            if (Arrays.stream(visionLayers).anyMatch(n -> n == 0)) {
                throw new WeightsException("not a CLIP state dict: neither 'visual.proj' (ViT) nor all of"
                        + " 'visual.layer1..4' (ModifiedResNet); blocks found per stage " + Arrays.toString(visionLayers));
            }
            visionWidth = shape(sd, "visual.layer1.0.conv1.weight", 4)[0];
            long tokens = shape(sd, "visual.attnpool.positional_embedding", 2)[0];
            long side = Math.round(Math.sqrt(tokens - 1));
            if (side * side + 1 != tokens) {
                throw new WeightsException("tensor 'visual.attnpool.positional_embedding' has " + tokens
                        + " rows, expected side^2 + 1");
            }
            resolution = side * 32;
            visionHeads = heads(sd, "vision_heads", visionWidth * 32, "visual.layer1.0.conv1.weight (x32)");
        }
        long embedDim = shape(sd, "text_projection", 2)[1];
        long contextLength = shape(sd, "positional_embedding", 2)[0];
        long vocabSize = shape(sd, "token_embedding.weight", 2)[0];
        long transformerWidth = shape(sd, "ln_final.weight", 1)[0];
        TreeSet<String> textBlocks = new TreeSet<>();
        sd.keys().stream().filter(k -> k.startsWith("transformer.resblocks."))
                .forEach(k -> textBlocks.add(k.split("\\.")[2]));
        long textHeads = heads(sd, "text_heads", transformerWidth, "ln_final.weight");
        return new ClipConfig(vit, visionLayers, visionWidth, patch, resolution, visionHeads, embedDim, contextLength,
                vocabSize, transformerWidth, textHeads, textBlocks.size());
    }

    private static long heads(StateDict sd, String metadataKey, long width, String source) {
        String override = sd.metadata().get(metadataKey);
        if (override != null) {
            long h = Long.parseLong(override.strip());
            if (h <= 0 || width % h != 0) {
                throw new WeightsException("metadata " + metadataKey + "=" + h + " does not divide the width " + width);
            }
            return h;
        }
        if (width % 64 != 0) {
            throw new WeightsException("width " + width + " (from " + source + ") is not a multiple of 64, so CLIP's"
                    + " rule heads = width / 64 does not apply; set the metadata entry '" + metadataKey + "'");
        }
        return width / 64;
    }

    private static long[] shape(StateDict sd, String key, int rank) {
        long[] s = sd.shapeOf(key);
        if (s == null) {
            throw new WeightsException("not a CLIP state dict: missing tensor '" + key + "'");
        }
        if (s.length != rank) {
            throw new WeightsException("tensor '" + key + "' has shape " + Arrays.toString(s) + ", expected " + rank
                    + " dimensions");
        }
        return s;
    }

    @Override
    public int[] visionLayers() {
        return visionLayers.clone();
    }

    @Override
    public String toString() {
        return (vit ? "ViT" : "ModifiedResNet") + " layers=" + Arrays.toString(visionLayers) + " width=" + visionWidth
                + (vit ? " patch=" + visionPatchSize : "") + " resolution=" + imageResolution + " heads=" + visionHeads
                + " embed=" + embedDim + " | text ctx=" + contextLength + " vocab=" + vocabSize + " width="
                + transformerWidth + " heads=" + transformerHeads + " layers=" + transformerLayers;
    }
}
