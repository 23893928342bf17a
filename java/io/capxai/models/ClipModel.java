package io.capxai.models;

import io.capxai.taps.TapSet;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI CLIP (or a CLIP-style model in the same layout) from its state dict, keys exactly as
 * OpenAI's: {@code visual.*}, {@code token_embedding.weight}, {@code positional_embedding},
 * {@code transformer.resblocks.*}, {@code ln_final.*}, {@code text_projection}, {@code logit_scale}.
 * The image tower is a {@link ModifiedResNet} or a {@link VisionTransformer}, chosen and sized from the
 * tensors ({@link ClipConfig#infer}); fp16 weights are widened to float32 on load.
 */
public final class ClipModel {
    private static final String[] TORCHSCRIPT_EXTRAS = {"input_resolution", "context_length", "vocab_size"};
    private final ClipConfig config;
    private final ClipImageTower visual;
    private final TextTransformer text;
    private final ModuleState heads;
    private final Tensor logitScale;

    private ClipModel(StateDict weights) {
        this.config = ClipConfig.infer(weights);
        ModuleState visualState = new ModuleState(weights);
        this.visual = config.vit() ? new VisionTransformer(visualState, config) : new ModifiedResNet(visualState, config);
        this.text = new TextTransformer(new ModuleState(weights), config);
        this.heads = new ModuleState(weights);
        this.logitScale = heads.parameter("logit_scale");
        for (String extra : TORCHSCRIPT_EXTRAS) {
            heads.ignore(extra);
        }
        weights.requireAllUsed();
    }

    /** Builds the model; every tensor of {@code weights} must belong to it. */
    public static ClipModel fromStateDict(StateDict weights) {
        return new ClipModel(weights);
    }

    /** Unnormalised image embeddings {@code [N, embed]} of CLIP-normalised images {@code [N, 3, R, R]}. */
    public Tensor encodeImage(Tensor images) {
        return visual.forward(images, TapSet.none());
    }

    public Tensor encodeImage(Tensor images, TapSet taps) {
        return visual.forward(images, taps);
    }

    /** Unnormalised text embeddings {@code [N, embed]} of int64 tokens {@code [N, 77]}. */
    public Tensor encodeText(Tensor tokens) {
        return text.forward(tokens, TapSet.none());
    }

    public Tensor encodeText(Tensor tokens, TapSet taps) {
        return text.forward(tokens, taps);
    }

    public ClipImageTower visual() {
        return visual;
    }

    public TextTransformer text() {
        return text;
    }

    public ClipConfig config() {
        return config;
    }

    /** {@code logit_scale} (a log temperature: CLIP multiplies cosines by its exponential). */
    public Tensor logitScale() {
        return logitScale;
    }

    /** All learnable tensors by their state-dict names. */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(visual.state().parameters());
        all.putAll(text.state().parameters());
        all.putAll(heads.parameters());
        return all;
    }

    /** Parameters and buffers by state-dict name (what a checkpoint of this model holds). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> all = new LinkedHashMap<>(visual.state().stateDict());
        all.putAll(text.state().stateDict());
        all.putAll(heads.stateDict());
        return all;
    }

    public void requiresGrad(boolean on) {
        visual.state().requiresGrad(on);
        text.state().requiresGrad(on);
        heads.requiresGrad(on);
    }

    /** The device of the weights (all of them: {@link #to} moves them together). */
    public org.bytedeco.pytorch.Device device() {
        return logitScale.device();
    }

    /** Moves all weights to {@code device} (e.g. {@code new Device("cuda:0")}). */
    public void to(org.bytedeco.pytorch.Device device) {
        visual.state().to(device);
        text.state().to(device);
        heads.to(device);
    }

    /** Training mode: the image tower's BatchNorm uses batch statistics. */
    public void train(boolean on) {
        visual.train(on);
        text.train(on);
    }
}
