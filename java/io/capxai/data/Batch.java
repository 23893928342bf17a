package io.capxai.data;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * One batch: preprocessed images {@code [B, 3, R, R]} float32, their labels (-1 when unlabelled)
 * and their indices in the dataset (to look up per-item metadata such as colour).
 */
public record Batch(Tensor images, long[] labels, int[] indices) {
    public int size() {
        return indices.length;
    }

    /** Labels as an int64 tensor {@code [B]}. */
    public Tensor labelTensor() {
        return Tensors.fromLongs(labels, labels.length);
    }
}
