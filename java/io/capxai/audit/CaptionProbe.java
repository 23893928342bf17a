package io.capxai.audit;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import io.capxai.tensors.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;

/**
 * Caption embeddings of one CLIP model, and the cosine similarities of image embeddings to them
 * (docs/method.md#caption-probe-and-verdict: both sides L2-normalised, no logit scale).
 */
final class CaptionProbe {
    private final Tensor captions; // [captions, embed], unit rows

    /** Caption embeddings on the device of {@code clip}'s weights. */
    CaptionProbe(ClipModel clip, ClipTokenizer tokenizer, List<String> texts) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor tokens = tokenizer.tokenize(texts, (int) clip.config().contextLength(), false)
                    .to(clip.device(), ScalarType.Long);
            captions = torch.normalize(clip.encodeText(tokens));
        }
    }

    private CaptionProbe(Tensor captions) {
        this.captions = captions;
    }

    /** The same caption embeddings on {@code device} (for a worker there). */
    CaptionProbe on(Device device) {
        return new CaptionProbe(captions.to(device.torch(), ScalarType.Float));
    }

    /** Cosine similarity of every image embedding [N, embed] to every caption: [N, captions] on their device. */
    Tensor similarities(Tensor imageEmbeddings) {
        return torch.normalize(imageEmbeddings).matmul(captions.t());
    }
}
