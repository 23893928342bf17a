package io.capxai.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Iterates a {@link Dataset} in batches of preprocessed tensors: in order (statistics, audit)
 * or shuffled with a seed (training). The last batch may be smaller unless {@code dropLast}.
 */
public final class Batches implements Iterable<Batch> {
    private final Dataset dataset;
    private final ClipPreprocess preprocess;
    private final int batchSize;
    private final int[] order;
    private final boolean dropLast;

    private Batches(Dataset dataset, ClipPreprocess preprocess, int batchSize, int[] order, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.dataset = dataset;
        this.preprocess = preprocess;
        this.batchSize = batchSize;
        this.order = order;
        this.dropLast = dropLast;
    }

    /** All items in index order. */
    public static Batches inOrder(Dataset dataset, ClipPreprocess preprocess, int batchSize) {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new Batches(dataset, preprocess, batchSize, order, false);
    }

    /** The items {@code indices} in that order (e.g. one shard of a split). */
    public static Batches of(Dataset dataset, ClipPreprocess preprocess, int batchSize, int[] indices) {
        for (int i : indices) {
            dataset.checkIndex(i);
        }
        return new Batches(dataset, preprocess, batchSize, indices.clone(), false);
    }

    /** All items in an order shuffled by {@code seed}; the same seed gives the same batches. */
    public static Batches shuffled(Dataset dataset, ClipPreprocess preprocess, int batchSize, long seed, boolean dropLast) {
        List<Integer> idx = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        return new Batches(dataset, preprocess, batchSize, idx.stream().mapToInt(Integer::intValue).toArray(), dropLast);
    }

    public int count() {
        return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
    }

    /** Batch number {@code b} (0-based). */
    public Batch get(int b) {
        if (b < 0 || b >= count()) {
            throw new IndexOutOfBoundsException("batch " + b + " of " + count());
        }
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] indices = java.util.Arrays.copyOfRange(order, from, to);
        return batchOf(dataset, preprocess, indices);
    }

    /** The items {@code indices} of {@code dataset}, preprocessed into one batch. */
    public static Batch batchOf(Dataset dataset, ClipPreprocess preprocess, int[] indices) {
        List<RgbImage> images = new ArrayList<>(indices.length);
        long[] labels = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            dataset.checkIndex(indices[i]);
            images.add(dataset.image(indices[i]));
            labels[i] = dataset.label(indices[i]);
        }
        return new Batch(preprocess.apply(images), labels, indices.clone());
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }
}
