package io.capxai.spark;

import io.capxai.matching.CrossMoments;
import io.capxai.matching.ImageShard;
import io.capxai.matching.Moments;
import io.capxai.matching.TapBlock;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** What the statistics stage reduces by key: the channel moments of every tap, or one row block of a tap pair's cross-moments. */
sealed interface Sums extends Serializable {
    /** The key of the tap moments; block keys are {@link CrossMoments#key()}. */
    String MOMENTS = "#moments";

    Sums merge(Sums other);

    /** Channel moments of all taps (small), and which partitions they have seen. */
    record Taps(List<TapBlock> rowTaps, List<TapBlock> colTaps, List<Moments> rows, List<Moments> cols, long images,
                List<ImageShard> shards) implements Sums {
        @Override
        public Sums merge(Sums other) {
            Taps o = (Taps) other;
            List<ImageShard> union = new ArrayList<>(shards);
            for (ImageShard s : o.shards) {
                if (union.contains(s)) {
                    throw new IllegalStateException("partition " + s + " was counted twice");
                }
                union.add(s);
            }
            if (!rowTaps.equals(o.rowTaps) || !colTaps.equals(o.colTaps)) {
                throw new IllegalStateException("partitions saw different taps: " + rowTaps + " x " + colTaps + " vs "
                        + o.rowTaps + " x " + o.colTaps);
            }
            return new Taps(rowTaps, colTaps, merged(rows, o.rows), merged(cols, o.cols), images + o.images, union);
        }

        private static List<Moments> merged(List<Moments> a, List<Moments> b) {
            List<Moments> out = new ArrayList<>();
            for (int t = 0; t < a.size(); t++) {
                out.add(a.get(t).merge(b.get(t)));
            }
            return out;
        }
    }

    /** One row block of one tap pair's cross-moments. */
    record Block(CrossMoments sums) implements Sums {
        @Override
        public Sums merge(Sums other) {
            return new Block(sums.merge(((Block) other).sums));
        }
    }
}
