package io.capxai.concepts;

import io.capxai.models.ClipModel;
import io.capxai.models.text.ClipTokenizer;
import org.bytedeco.pytorch.Tensor;

import java.util.List;

/** Texts to (unnormalised) embeddings {@code [N, E]}; a CLIP text tower or a test double. */
@FunctionalInterface
public interface TextEncoder {
    Tensor encode(List<String> texts);

    /** CLIP's text tower; texts longer than the context are truncated (EOT kept last), as CLIP's {@code tokenize(truncate=True)}. */
    static TextEncoder of(ClipModel model, ClipTokenizer tokenizer) {
        int context = Math.toIntExact(model.config().contextLength());
        return texts -> model.encodeText(tokenizer.tokenize(texts, context, true).to(model.device(),
                org.bytedeco.pytorch.global.torch.ScalarType.Long));
    }
}
