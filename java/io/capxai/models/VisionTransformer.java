package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.tensors.Tensors;
import io.capxai.weights.WeightsException;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's ViT image tower (ViT-B/32, B/16, L/14: one code, sizes from the weights):
 * <pre>
 *   conv1 (patch embedding) -> [class token; patches] + positional_embedding -> ln_pre
 *   -> transformer.resblocks.0 .. L-1 -> ln_post(class token) -> @ proj
 * </pre>
 * Tap names: {@code visual.conv1} [N, width, g, g], {@code visual.ln_pre},
 * {@code visual.transformer.resblocks.i} and {@code visual.ln_post}. Token taps are batch-first
 * {@code [N, 1 + g*g, width]} (PyTorch's CLIP runs the transformer sequence-first).
 */
public final class VisionTransformer implements ClipImageTower {
    private static final String P = "visual.";
    private final ModuleState state;
    private final ClipConfig config;
    private final String name;
    private final Conv2d conv1;
    private final Tensor classEmbedding;
    private final Tensor positionalEmbedding;
    private final LayerNorm lnPre;
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();
    private final LayerNorm lnPost;
    private final Tensor proj;
    private final long width;
    private final int resolution;

    VisionTransformer(ModuleState state, ClipConfig config) {
        this.state = state;
        this.config = config;
        long patch = config.visionPatchSize();
        this.width = config.visionWidth();
        this.resolution = (int) config.imageResolution();
        long grid = resolution / patch;
        this.name = "CLIP ViT-" + config.visionLayers()[0] + "x" + width + "/" + patch;
        conv1 = new Conv2d(state, P + "conv1", 3, patch, patch, 0, false);
        classEmbedding = state.parameter(P + "class_embedding", width);
        positionalEmbedding = state.parameter(P + "positional_embedding", grid * grid + 1, width);
        lnPre = new LayerNorm(state, P + "ln_pre", width);
        for (int i = 0; i < config.visionLayers()[0]; i++) {
            blocks.add(new ResidualAttentionBlock(state, blockName(i), width, config.visionHeads()));
        }
        lnPost = new LayerNorm(state, P + "ln_post", width);
        proj = state.parameterOfRank(P + "proj", 2);
        if (proj.size(0) != width) {
            throw new WeightsException("tensor 'visual.proj' has shape " + Tensors.shapeString(proj) + ", expected ["
                    + width + ", embed]");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor images, TapSet taps) {
        Tensor input = Inputs.images(images, name, 1, state);
        if (input.size(2) != resolution || input.size(3) != resolution) {
            throw new IllegalArgumentException(name + ": expects " + resolution + "x" + resolution
                    + " images (its positional embedding is fixed), got " + Tensors.shapeString(input));
        }
        taps.begin(name, tapPoints());
        Tensor out = Scoped.run(() -> {
            Tensor x = taps.at(P + "conv1", conv1.forward(input));                      // [N, width, g, g]
            x = x.flatten(2, -1).permute(0, 2, 1);                                      // [N, g*g, width]
            Tensor cls = classEmbedding.reshape(1, 1, width).expand(x.size(0), 1, width);
            x = torch.cat(new TensorVector(cls, x), 1).add(positionalEmbedding);
            x = taps.at(P + "ln_pre", lnPre.forward(x));
            return blocksAndHead(0, x, taps);
        });
        taps.end();
        return out;
    }

    @Override
    public Tensor forwardAfterBlock(int i, Tensor blockOutput, TapSet taps) {
        checkBlock(i);
        if (blockOutput.dim() != 3 || blockOutput.size(2) != width) {
            throw new IllegalArgumentException(name + ": block output must be [N, tokens, " + width + "], got "
                    + Tensors.shapeString(blockOutput));
        }
        Inputs.sameDevice(blockOutput, state, name, blockName(i) + " output");
        taps.begin(name + " after " + blockName(i), tapPoints());
        Tensor out = Scoped.run(() -> blocksAndHead(i + 1, blockOutput, taps));
        taps.end();
        return out;
    }

    private Tensor blocksAndHead(int first, Tensor x, TapSet taps) {
        for (int i = first; i < blocks.size(); i++) {
            x = taps.at(blockName(i), blocks.get(i).forward(x, false));
        }
        Tensor cls = taps.at(P + "ln_post", lnPost.forward(x.select(1, 0)));          // [N, width]
        return cls.matmul(proj);
    }

    private void checkBlock(int i) {
        if (i < 0 || i >= blocks.size()) {
            throw new IllegalArgumentException(name + ": block index " + i + " out of range 0.." + (blocks.size() - 1));
        }
    }

    @Override
    public List<String> tapPoints() {
        List<String> points = new ArrayList<>(List.of(P + "conv1", P + "ln_pre"));
        for (int i = 0; i < blocks.size(); i++) {
            points.add(blockName(i));
        }
        points.add(P + "ln_post");
        return points;
    }

    /** Every residual block output. */
    @Override
    public List<String> defaultTaps() {
        List<String> taps = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            taps.add(blockName(i));
        }
        return taps;
    }

    @Override
    public ModuleState state() {
        return state;
    }

    @Override
    public VisionTransformer copyTo(org.bytedeco.pytorch.Device device) {
        VisionTransformer copy = new VisionTransformer(new ModuleState(state.copyTo(device)), config);
        copy.train(state.training());
        return copy;
    }

    @Override
    public int resolution() {
        return resolution;
    }

    @Override
    public long outputDim() {
        return proj.size(1);
    }

    @Override
    public int blockCount() {
        return blocks.size();
    }

    @Override
    public String blockName(int i) {
        return P + "transformer.resblocks." + i;
    }
}
