package io.capxai.audit;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.List;

/**
 * Caption embeddings of one CLIP model, and the cosine similarities of image embeddings to them
 * (docs/method.md#caption-probe-and-verdict: both sides L2-normalised, no logit scale).
 */
final class CaptionProbe {
    private final Tensor captions; // [captions, embed], unit rows

    CaptionProbe(ClipModel clip, ClipTokenizer tokenizer, List<String> texts) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor tokens = tokenizer.tokenize(texts, (int) clip.config().contextLength(), false);
            captions = torch.normalize(clip.encodeText(tokens));
        }
    }

    /** Cosine similarity of every image embedding [N, embed] to every caption: float[N][captions]. */
    float[][] similarities(Tensor imageEmbeddings) {
        Tensor sims = torch.normalize(imageEmbeddings).matmul(captions.t());
        int n = (int) sims.size(0);
        int c = (int) sims.size(1);
        float[] flat = Tensors.toFloats(sims);
        float[][] out = new float[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }
}
