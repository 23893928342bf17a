package io.capxai.matching;

import java.io.Serializable;
import java.util.stream.IntStream;

/**
 * Shard {@code index} of {@code count} of a dataset: the images {@code i} with
 * {@code i mod count == index} (strided), or the {@code index}-th of {@code count} contiguous,
 * near-equal ranges. Shards of one count and layout are disjoint and together cover every image.
 */
public record ImageShard(int index, int count, boolean contiguous) implements Serializable {
    /** The whole dataset. */
    public static final ImageShard ALL = new ImageShard(0, 1, false);

    public ImageShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": expected 0 <= I < N");
        }
        if (count == 1) {
            contiguous = false; // one shard is the whole dataset either way
        }
    }

    /** Parses {@code I/N} (strided) or {@code I/N:contiguous}. */
    public static ImageShard parse(String text) {
        String s = text.strip();
        boolean contiguous = s.endsWith(":contiguous");
        if (contiguous) {
            s = s.substring(0, s.length() - ":contiguous".length());
        }
        String[] parts = s.split("/");
        try {
            if (parts.length == 2) {
                return new ImageShard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()), contiguous);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("shard must be I/N or I/N:contiguous (0 <= I < N), got '" + text + "'");
    }

    /** The dataset indices of this shard, ascending, for a dataset of {@code total} images. */
    public int[] indices(int total) {
        if (contiguous) {
            return IntStream.range(start(total, index), start(total, index + 1)).toArray();
        }
        return IntStream.range(0, total).filter(i -> i % count == index).toArray();
    }

    private int start(int total, int shard) {
        return (int) ((long) total * shard / count);
    }

    /** True when both shards split the data the same way (same count and layout), so distinct indices are disjoint. */
    public boolean sameSplit(ImageShard other) {
        return count == other.count && contiguous == other.contiguous;
    }

    @Override
    public String toString() {
        return index + "/" + count + (contiguous ? ":contiguous" : "");
    }
}
