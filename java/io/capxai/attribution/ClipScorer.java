package io.capxai.attribution;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;

/**
 * A frozen CLIP model seen by the explanation methods: tokenises captions, checks inputs before
 * they reach libtorch, and scores an image against a caption by the cosine of their embeddings
 * (no logit scale), as every method here does.
 */
public final class ClipScorer {
    private final ClipModel clip;
    private final ClipTokenizer tokenizer;
    private final String modelName;

    /** {@code modelName} is what every output calls this model (e.g. "CLIP-style model trained locally"). */
    public ClipScorer(ClipModel clip, ClipTokenizer tokenizer, String modelName) {
        this.clip = clip;
        this.tokenizer = tokenizer;
        this.modelName = modelName;
        clip.requiresGrad(false); // CLIP stays frozen: only the explanation's own tensors get gradients
    }

    public ClipModel clip() {
        return clip;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public String modelName() {
        return modelName;
    }

    public int resolution() {
        return clip.visual().resolution();
    }

    /** Token ids {@code [1, context]} of {@code caption}, on the device of {@code like}. */
    public Tensor tokens(String caption, Tensor like) {
        if (caption == null || caption.isBlank()) {
            throw new IllegalArgumentException("the caption to explain is empty");
        }
        Tensor ids = tokenizer.tokenize(List.of(caption), (int) clip.text().contextLength(), false);
        return ids.to(like.device(), ScalarType.Long);
    }

    /** Index of the end-of-text token in a row of token ids (CLIP pools there: the largest id). */
    public static int eotIndex(Tensor tokens) {
        return (int) tokens.select(0, 0).argmax().item_long();
    }

    /** Throws unless {@code image} is one finite float CLIP-preprocessed image [1, 3, R, R] of this model. */
    public void checkImage(Tensor image) {
        int r = resolution();
        if (image == null || image.dim() != 4 || image.size(0) != 1 || image.size(1) != 3 || image.size(2) != r
                || image.size(3) != r) {
            throw new IllegalArgumentException("expected one preprocessed image [1, 3, " + r + ", " + r + "], got "
                    + (image == null ? "null" : Tensors.shapeString(image)));
        }
        if (!Tensors.hasType(image, ScalarType.Float)) {
            throw new IllegalArgumentException("image must be float32, got " + image.scalar_type());
        }
        if (!torch.isfinite(image).all().item_bool()) {
            throw new IllegalArgumentException("image contains NaN or infinite values");
        }
    }

    /** L2-normalised embedding of the caption {@code [1, embed]}, without gradients. */
    public Tensor textEmbedding(Tensor tokens) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return normalise(clip.encodeText(tokens));
        }
    }

    /** L2-normalised image embeddings {@code [N, embed]}, without gradients. */
    public Tensor imageEmbedding(Tensor images) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return normalise(clip.encodeImage(images));
        }
    }

    /** Cosine of every image [N, 3, R, R] with the caption: float[N]. */
    public float[] cosines(Tensor images, Tensor tokens) {
        Tensor text = textEmbedding(tokens);
        return Tensors.toFloats(imageEmbedding(images).matmul(text.t()).flatten());
    }

    /** Rows scaled to unit length (guarded against zero rows). */
    public static Tensor normalise(Tensor x) {
        return torch.normalize(x); // F.normalize: p = 2, dim = 1, eps = 1e-12
    }

    /** Cosine similarity with eps 1e-6 along the last dimension, as torch.nn.functional.cosine_similarity. */
    public static Tensor cosine(Tensor a, Tensor b) {
        return torch.cosine_similarity(a, b, -1, 1e-6);
    }
}
