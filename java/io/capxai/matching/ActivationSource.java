package io.capxai.matching;

import org.bytedeco.pytorch.Tensor;

import java.util.Map;

/**
 * The activations of the standalone model and of CLIP on the same images, batch by batch.
 * Tap maps are ordered (tap order = row/column order of the score matrix); tensors are
 * float32 [N, C, H, W] on the compute device and are only valid during the callback.
 */
public interface ActivationSource {
    /** Calls {@code visitor} once per batch, in order. May be called more than once. */
    void forEachBatch(BatchVisitor visitor);

    @FunctionalInterface
    interface BatchVisitor {
        void accept(Map<String, Tensor> standalone, Map<String, Tensor> clip);
    }
}
