package io.capxai.audit;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/**
 * Caption embeddings of one CLIP model, and the cosine similarities of image embeddings to them
 * (SPEC 1.6: both sides L2-normalised, no logit scale).
 */
final class CaptionProbe {
    private final Tensor captions; // [captions, embed], unit rows

    CaptionProbe(ClipModel clip, ClipTokenizer tokenizer, List<String> texts) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor tokens = tokenizer.tokenize(texts, (int) clip.config().contextLength(), false);
            captions = normalise(clip.encodeText(tokens));
        }
    }

    /** Cosine similarity of every image embedding [N, embed] to every caption: float[N][captions]. */
    float[][] similarities(Tensor imageEmbeddings) {
        Tensor sims = normalise(imageEmbeddings).matmul(captions.t());
        int n = (int) sims.size(0);
        int c = (int) sims.size(1);
        float[] flat = Tensors.toFloats(sims);
        float[][] out = new float[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    static Tensor normalise(Tensor x) {
        Tensor norm = x.square().sum(new long[] {1}, true, new ScalarTypeOptional()).sqrt();
        return x.div(norm.clamp_min(new Scalar(1e-12)));
    }
}
