package io.capxai.attribution;

import io.capxai.tensors.Autograd;
import org.bytedeco.pytorch.Tensor;

import java.util.Map;

/**
 * Plain gradient saliency (Simonyan et al.): |d cos(image, caption) / d pixel|, the largest over the
 * three colour channels, min-max scaled.
 */
public final class GradientSaliency implements Attribution {
    private final ClipScorer scorer;

    public GradientSaliency(ClipScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    public String name() {
        return "saliency";
    }

    @Override
    public AttributionMap explain(Tensor image, String query) {
        scorer.checkImage(image);
        Tensor caption = scorer.textEmbedding(scorer.tokens(query, image));
        Tensor input = image.detach().clone().requires_grad_(true);
        Tensor similarity = ClipScorer.cosine(scorer.clip().encodeImage(input), caption).sum();
        Autograd.backward(similarity);
        Tensor perPixel = input.grad().abs().amax(new long[] {1}, false).select(0, 0);   // [R, R]
        int r = scorer.resolution();
        return new AttributionMap(name(), Maps.minMax(perPixel), r, r, null,
                Map.of("reduction", "max |gradient| over channels", "model", scorer.modelName()));
    }
}
