package io.capxai.data;

import java.util.List;

/**
 * Indexed images with optional class labels: what training, statistics and the audit iterate.
 * Images are plain {@link RgbImage}s; {@link Batches} turns them into preprocessed tensors.
 */
public interface Dataset {
    /** Label of an unlabelled image. */
    int UNLABELLED = -1;

    int size();

    RgbImage image(int index);

    /** Class index in {@link #classNames()}, or {@link #UNLABELLED}. */
    int label(int index);

    /** Class names by index; empty when the dataset is unlabelled. */
    List<String> classNames();

    /** A short description for logs and reports. */
    default String name() {
        return getClass().getSimpleName();
    }

    default void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(name() + ": index " + index + " outside 0.." + (size() - 1));
        }
    }
}
