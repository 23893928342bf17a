package io.capxai.evaluation;

import io.capxai.attribution.ClipScorer;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.taps.TapSet;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;

/**
 * Confidence drop / increase (docs/method.md#confidence-metrics), without the reference code's two defects: the image is
 * multiplied by the <b>whole</b> 2-D map, and masked text tokens are replaced by the padding token
 * while SOT and EOT are kept (so CLIP still pools at the real end of the sentence).
 */
public final class ConfidenceMetrics {
    /**
     * The padding token: CLIP's {@code <|endoftext|>} (what Hugging Face's CLIP tokenizer pads with),
     * not id 0, which is a real BPE token ("!").
     */
    public static final int DEFAULT_PAD_TOKEN = ClipTokenizer.END_OF_TEXT;

    private final ClipScorer scorer;
    private final int padToken;

    public ConfidenceMetrics(ClipScorer scorer, int padToken) {
        if (padToken < 0 || padToken >= scorer.clip().text().vocabSize()) {
            throw new IllegalArgumentException("padding token " + padToken + " is not in the vocabulary");
        }
        this.scorer = scorer;
        this.padToken = padToken;
    }

    public ConfidenceMetrics(ClipScorer scorer) {
        this(scorer, DEFAULT_PAD_TOKEN);
    }

    /** Cosine of the pair before and after multiplying the (normalised) image by {@code map} [R, R]. */
    public ConfidenceChange image(Tensor image, Tensor tokens, float[] map) {
        scorer.checkImage(image);
        int r = scorer.resolution();
        if (map.length != r * r) {
            throw new IllegalArgumentException("image map has " + map.length + " values, expected " + r + "x" + r);
        }
        Tensor weights = Tensors.fromFloats(map, 1, 1, r, r).to(image.device(), torch.ScalarType.Float);
        float[] both = scorer.cosines(torch.cat(new org.bytedeco.pytorch.TensorVector(image, image.mul(weights)), 0), tokens);
        return new ConfidenceChange(both[0], both[1]);
    }

    /**
     * Cosine of the pair before and after replacing the caption tokens whose relevance lies below
     * the median (over the tokens between SOT and EOT) by the padding token. {@code textMap} has
     * one value per token from SOT to EOT.
     */
    public ConfidenceChange text(Tensor image, Tensor tokens, float[] textMap) {
        boolean[] masked = tokensBelowMedian(textMap, ClipScorer.eotIndex(tokens));
        Tensor pictures = scorer.imageEmbedding(image);
        double original = pictures.matmul(scorer.textEmbedding(tokens).t()).item_double();
        long context = tokens.size(1);
        float[] keepRow = new float[(int) context];
        boolean any = false;
        for (int i = 0; i < context; i++) {
            keepRow[i] = i < masked.length && masked[i] ? 0f : 1f;
            any |= i < masked.length && masked[i];
        }
        if (!any) {
            return new ConfidenceChange(original, original);
        }
        Tensor keep = Tensors.fromFloats(keepRow, 1, context, 1).to(image.device(), torch.ScalarType.Float);
        Tensor padRow = scorer.clip().stateDict().get("token_embedding.weight").select(0, padToken);
        // The ids still mark the real EOT (CLIP pools at the largest id); only the embeddings of the
        // masked positions become the padding token's.
        TapSet taps = TapSet.none().replace("token_embedding", x -> x.mul(keep).add(padRow.mul(keep.neg().add(
                new org.bytedeco.pytorch.Scalar(1.0)))));
        double perturbed;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor text = ClipScorer.normalise(scorer.clip().encodeText(tokens, taps));
            perturbed = pictures.matmul(text.t()).item_double();
        }
        return new ConfidenceChange(original, perturbed);
    }

    /**
     * Which of the tokens 0..eot to mask: the content tokens (1..eot-1) whose value is strictly below
     * their median (numpy's median: the mean of the middle two for an even count). SOT and EOT stay.
     */
    public static boolean[] tokensBelowMedian(float[] textMap, int eot) {
        if (textMap.length != eot + 1) {
            throw new IllegalArgumentException("text map has " + textMap.length + " values but the caption has "
                    + (eot + 1) + " tokens from SOT to EOT");
        }
        boolean[] masked = new boolean[textMap.length];
        if (eot < 2) {
            return masked;
        }
        float[] content = Arrays.copyOfRange(textMap, 1, eot);
        float[] sorted = content.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        for (int i = 1; i < eot; i++) {
            masked[i] = textMap[i] < median;
        }
        return masked;
    }
}
