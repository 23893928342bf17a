package io.capxai.concepts;

import io.capxai.models.ClipModel;
import org.bytedeco.pytorch.Tensor;

/** CLIP-normalised images {@code [B, 3, R, R]} to (unnormalised) embeddings {@code [B, E]}; a CLIP image tower or a test double. */
public interface ImageEncoder {
    Tensor encode(Tensor images);

    /** The input side R the encoder expects. */
    int resolution();

    /** CLIP's image tower at its native resolution; images on another device are copied to the model's first. */
    static ImageEncoder of(ClipModel model) {
        int resolution = Math.toIntExact(model.config().imageResolution());
        return new ImageEncoder() {
            @Override
            public Tensor encode(Tensor images) {
                return model.encodeImage(images.to(model.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float));
            }

            @Override
            public int resolution() {
                return resolution;
            }
        };
    }
}
