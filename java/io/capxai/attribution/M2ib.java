package io.capxai.attribution;

import io.capxai.models.ClipImageTower;
import io.capxai.models.ModifiedResNet;
import io.capxai.models.TextTransformer;
import io.capxai.taps.TapSet;
import io.capxai.tensors.Optimiser;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * M2IB (Wang et al., NeurIPS 2023; docs/method.md#m2ib): for one image-caption pair, two small optimisations, one
 * per tower. A bottleneck mask alpha [1, tokens, channels] at the output of block l decides how much of
 * each feature passes (the rest is replaced by noise); Adam trades "keep the pair's cosine" against
 * "let little information through" (beta * KL). Features that must pass to keep the cosine have a
 * large KL: the map.
 *
 * <p>Cost: blocks 0..l and the other tower run once per explanation; each step runs only the
 * blocks after l on one batch of {@code samples} noise draws.
 */
public final class M2ib implements Attribution {
    private static final ScalarTypeOptional SAME_TYPE = new ScalarTypeOptional();

    private final ClipScorer scorer;
    private final M2ibOptions options;
    private final int imageBlock;
    private final int textBlock;
    private final boolean recomputeWholeTower;

    public M2ib(ClipScorer scorer, M2ibOptions options) {
        this(scorer, options, false);
    }

    private M2ib(ClipScorer scorer, M2ibOptions options, boolean recomputeWholeTower) {
        this.scorer = scorer;
        this.options = options;
        this.recomputeWholeTower = recomputeWholeTower;
        ClipImageTower visual = scorer.clip().visual();
        this.imageBlock = checkBlock(options.imageLayer() >= 0 ? options.imageLayer()
                : M2ibOptions.defaultLayer(visual.blockCount(), visual instanceof ModifiedResNet), visual.blockCount(), "image");
        int textDepth = scorer.clip().text().blockCount();
        this.textBlock = checkBlock(options.textLayer() >= 0 ? options.textLayer()
                : M2ibOptions.defaultLayer(textDepth, false), textDepth, "text");
    }

    /**
     * The same method but running the whole image tower on the noise batch at every step, as the
     * reference code does (its bottleneck is a forward hook). Same maps; only for timing the saving.
     */
    public M2ib recomputingWholeTower() {
        return new M2ib(scorer, options, true);
    }

    @Override
    public String name() {
        return "m2ib";
    }

    public M2ibOptions options() {
        return options;
    }

    /** Both maps: image relevance [R, R] and text relevance per token (SOT..EOT). */
    @Override
    public AttributionMap explain(Tensor image, String query) {
        scorer.checkImage(image);
        Tensor tokens = scorer.tokens(query, image);
        float[] imageMap = imageMap(image, tokens);
        float[] textMap = textMap(image, tokens);
        int r = scorer.resolution();
        Map<String, String> described = options.describe(imageBlock, textBlock);
        described.put("image_block", scorer.clip().visual().blockName(imageBlock));
        described.put("text_block", scorer.clip().text().blockName(textBlock));
        described.put("model", scorer.modelName());
        return new AttributionMap(name(), imageMap, r, r, textMap, described);
    }

    /** Image relevance, row-major [R, R] in [0, 1], for a checked image and its caption's tokens. */
    public float[] imageMap(Tensor image, Tensor tokens) {
        Tensor kl = imageBottleneck(image, tokens).kl();
        Tensor grid = kl.dim() == 3
                ? tokenGrid(kl.sum(new long[] {-1}, false, SAME_TYPE))
                : kl.sum(new long[] {1}, false, SAME_TYPE).select(0, 0);
        return Maps.minMax(Maps.resize(grid, scorer.resolution()));
    }

    /** Text relevance per token from SOT to EOT (inclusive), min-max scaled over those tokens. */
    public float[] textMap(Tensor image, Tensor tokens) {
        Tensor kl = textBottleneck(image, tokens).kl();
        Tensor perToken = kl.sum(new long[] {-1}, false, SAME_TYPE).select(0, 0);
        int eot = ClipScorer.eotIndex(tokens);
        return Maps.minMax(perToken.narrow(0, 0, eot + 1));
    }

    /**
     * The optimised bottleneck of one tower: the final lambda and the element-wise KL of the last
     * step, both [1, ...] in the layout of the cut block's output (ViT/text [1, tokens, width],
     * ModifiedResNet [1, channels, h, w]).
     */
    public record Fit(Tensor lambda, Tensor kl) {}

    /** Fits the image-side bottleneck for a checked image and its caption's tokens. */
    public Fit imageBottleneck(Tensor image, Tensor tokens) {
        return imageBottleneckTowards(image, scorer.textEmbedding(tokens));
    }

    /** The image bottleneck fitted to keep the cosine with any unit embedding {@code target} [1, embed]. */
    Fit imageBottleneckTowards(Tensor image, Tensor caption) {
        ClipImageTower visual = scorer.clip().visual();
        String cut = visual.blockName(imageBlock);
        Tensor features;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            TapSet taps = TapSet.capturing(cut);
            scorer.clip().encodeImage(image, taps);
            features = taps.captured(cut).detach();
        }
        Function<UnaryOperator<Tensor>, Tensor> forward;
        if (recomputeWholeTower) {
            Tensor batch = image.expand(options.samples(), -1, -1, -1);
            forward = bottleneck -> scorer.clip().encodeImage(batch, TapSet.none().replace(cut, bottleneck));
        } else {
            Tensor batch = features.expand(batchShape(features));
            forward = bottleneck -> visual.forwardAfterBlock(imageBlock, bottleneck.apply(batch), TapSet.none());
        }
        return optimise(features, forward, caption);
    }

    /** Fits the text-side bottleneck for a checked image and its caption's tokens. */
    public Fit textBottleneck(Tensor image, Tensor tokens) {
        TextTransformer text = scorer.clip().text();
        String cut = text.blockName(textBlock);
        Tensor picture = scorer.imageEmbedding(image);
        Tensor features;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            TapSet taps = TapSet.capturing(cut);
            scorer.clip().encodeText(tokens, taps);
            features = taps.captured(cut).detach();
        }
        Tensor batchTokens = tokens.expand(options.samples(), -1);
        Function<UnaryOperator<Tensor>, Tensor> forward;
        if (recomputeWholeTower) {
            forward = bottleneck -> scorer.clip().encodeText(batchTokens, TapSet.none().replace(cut, bottleneck));
        } else {
            Tensor batch = features.expand(batchShape(features));
            forward = bottleneck -> text.forwardAfterBlock(textBlock, bottleneck.apply(batch), batchTokens, TapSet.none());
        }
        return optimise(features, forward, picture);
    }

    /**
     * libtorch's Adam on alpha for {@code steps} steps; returns the final lambda and the element-wise
     * KL [1, ...] of the last step (before its update, as the reference code keeps it).
     * {@code forward} runs the rest of the tower on the bottleneck's output for the noise batch and
     * returns its embeddings [samples, embed].
     */
    private Fit optimise(Tensor features, Function<UnaryOperator<Tensor>, Tensor> forward, Tensor target) {
        torch.manual_seed(options.seed());
        long[] noiseShape = batchShape(features);
        double sigma = options.sigma();
        Tensor alpha = torch.full_like(features, new Scalar(options.initialAlpha()));
        Optimiser adam = new Optimiser(List.of(alpha), options.learningRate(), "M2IB");
        Tensor[] lastKl = new Tensor[1];
        for (int step = 1; step <= options.steps(); step++) {
            adam.step(() -> {
                Tensor eps = torch.randn(noiseShape).to(features.device(), ScalarType.Float);
                Tensor kl = InformationBottleneck.kl(features, alpha, sigma);
                Tensor embeddings = forward.apply(x -> InformationBottleneck.sample(x, alpha, eps, sigma));
                Tensor fit = ClipScorer.cosine(embeddings, target.expand_as(embeddings)).mean();
                lastKl[0] = keep(kl.detach());
                return kl.mean().mul(new Scalar(options.beta())).sub(fit);
            });
        }
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return new Fit(InformationBottleneck.lambda(alpha.detach()), lastKl[0]);
        }
    }

    /** Drops the class token of a ViT's [1, 1 + g*g] token values and lays the rest out as [g, g]. */
    private static Tensor tokenGrid(Tensor perToken) {
        long patches = perToken.size(1) - 1;
        long g = Math.round(Math.sqrt(patches));
        if (g * g != patches) {
            throw new IllegalStateException("ViT tokens " + perToken.size(1) + " are not 1 + a square patch grid");
        }
        return perToken.select(0, 0).narrow(0, 1, patches).reshape(g, g);
    }

    private long[] batchShape(Tensor features) {
        long[] shape = Tensors.shape(features);
        shape[0] = options.samples();
        return shape;
    }

    private static Tensor keep(Tensor t) {
        return TapSet.keep(t);
    }

    private static int checkBlock(int block, int depth, String tower) {
        if (block < 0 || block >= depth) {
            throw new IllegalArgumentException("M2IB: " + tower + " layer " + block + " out of range 0.." + (depth - 1));
        }
        return block;
    }
}
