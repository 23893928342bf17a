package io.capxai.matching;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The accumulators of a matching pass over a subset of the images (docs/method.md#matching-in-one-pass): per tap the
 * channel moments, per tap pair the raw cross-moment sums. Everything is a sum over images, so
 * partials of disjoint shards {@link #merge merge} exactly, and {@link #finish()} turns a
 * partial (one run's, or a merge of many) into scores and statistics. Plain data: it travels
 * in a safetensors file ({@link Partials}) or a Spark task result.
 *
 * @param provenance what produced it (models' hashes, taps' source, options, dataset, engine version);
 *                   partials merge only when these agree exactly
 * @param shards     the image shards this partial covers (one split; distinct indices)
 * @param pairs      one per (row tap, column tap), row-major over {@code rows x cols}, whole taps
 */
public record MatchPartial(Map<String, String> provenance, List<ImageShard> shards, long images,
                           List<TapBlock> rows, List<TapBlock> cols, List<Moments> rowMoments, List<Moments> colMoments,
                           List<CrossMoments> pairs) implements Serializable {
    public MatchPartial {
        provenance = new TreeMap<>(provenance);
        shards = shards.stream().sorted(Comparator.comparingInt(ImageShard::index)).toList();
        rows = List.copyOf(rows);
        cols = List.copyOf(cols);
        rowMoments = List.copyOf(rowMoments);
        colMoments = List.copyOf(colMoments);
        pairs = List.copyOf(pairs);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a partial covers at least one shard");
        }
        if (rowMoments.size() != rows.size() || colMoments.size() != cols.size() || pairs.size() != rows.size() * cols.size()) {
            throw new IllegalArgumentException("partial: " + rows.size() + " x " + cols.size() + " taps, but " + rowMoments.size()
                    + " and " + colMoments.size() + " moments and " + pairs.size() + " tap pairs");
        }
    }

    /** The same accumulators with other provenance and shards (e.g. what the command line knows). */
    public MatchPartial describedAs(Map<String, String> newProvenance, ImageShard shard) {
        return new MatchPartial(newProvenance, List.of(shard), images, rows, cols, rowMoments, colMoments, pairs);
    }

    /** True when the shards together are the whole split (all {@code N} of {@code N}). */
    public boolean complete() {
        return shards.size() == shards.getFirst().count();
    }

    public CrossMoments pair(int row, int col) {
        return pairs.get(row * cols.size() + col);
    }

    /** The accumulators of both partials' images; refuses incompatible or overlapping partials with the reason. */
    public MatchPartial merge(MatchPartial other) {
        checkCompatible(other);
        List<ImageShard> union = new ArrayList<>(shards);
        union.addAll(other.shards);
        List<Moments> rm = new ArrayList<>();
        List<Moments> cm = new ArrayList<>();
        List<CrossMoments> p = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            rm.add(rowMoments.get(i).merge(other.rowMoments.get(i)));
        }
        for (int j = 0; j < cols.size(); j++) {
            cm.add(colMoments.get(j).merge(other.colMoments.get(j)));
        }
        for (int k = 0; k < pairs.size(); k++) {
            p.add(pairs.get(k).merge(other.pairs.get(k)));
        }
        return new MatchPartial(provenance, union, images + other.images, rows, cols, rm, cm, p);
    }

    private void checkCompatible(MatchPartial other) {
        if (!provenance.equals(other.provenance)) {
            List<String> diffs = new ArrayList<>();
            TreeMap<String, String> keys = new TreeMap<>(provenance);
            keys.putAll(other.provenance);
            for (String k : keys.keySet()) {
                if (!Objects.equals(provenance.get(k), other.provenance.get(k))) {
                    diffs.add(k + ": '" + provenance.get(k) + "' vs '" + other.provenance.get(k) + "'");
                }
            }
            throw new IllegalArgumentException("partials come from different runs: " + String.join("; ", diffs));
        }
        if (!rows.equals(other.rows) || !cols.equals(other.cols)) {
            throw new IllegalArgumentException("partials have different taps: " + rows + " x " + cols + " vs "
                    + other.rows + " x " + other.cols);
        }
        ImageShard a = shards.getFirst();
        ImageShard b = other.shards.getFirst();
        if (!a.sameSplit(b)) {
            throw new IllegalArgumentException("partials split the images differently (shard " + a + " vs " + b
                    + "): only shards of one split (same N and layout) are disjoint");
        }
        for (ImageShard s : other.shards) {
            if (shards.contains(s)) {
                throw new IllegalArgumentException("shard " + s + " is in both partials: merging it twice would count its images twice");
            }
        }
    }

    /** Channel statistics and the score matrix of the images seen. */
    public MatchResult finish() {
        if (images == 0) {
            throw new IllegalArgumentException("the partial has seen no image");
        }
        long t0 = System.nanoTime();
        ChannelStats statsS = standaloneStats();
        ChannelStats statsC = clipStats();
        int nCols = TapLayout.channels(cols);
        float[] values = new float[TapLayout.channels(rows) * nCols];
        for (int r = 0; r < rows.size(); r++) {
            TapBlock rb = rows.get(r);
            for (int c = 0; c < cols.size(); c++) {
                TapBlock cb = cols.get(c);
                float[] block = scores(pair(r, c), statsS, statsC);
                for (int i = 0; i < rb.channels(); i++) {
                    System.arraycopy(block, i * cb.channels(), values, (rb.offset() + i) * nCols + cb.offset(), cb.channels());
                }
            }
        }
        return new MatchResult(new ScoreMatrix(rows, cols, values), statsS, statsC,
                Map.of("scores", (System.nanoTime() - t0) / 1e9));
    }

    /** The scores of one block of cross-moments, with the statistics of the whole split. */
    public static float[] scores(CrossMoments block, ChannelStats standalone, ChannelStats clip) {
        int from = standalone.tap(block.row()).offset() + block.rowFrom();
        int to = from + block.rows();
        TapBlock cb = clip.tap(block.col());
        int cFrom = cb.offset();
        int cTo = cFrom + cb.channels();
        return block.scores(Arrays.copyOfRange(standalone.mean(), from, to), Arrays.copyOfRange(standalone.std(), from, to),
                Arrays.copyOfRange(clip.mean(), cFrom, cTo), Arrays.copyOfRange(clip.std(), cFrom, cTo));
    }

    /** Channel statistics of the standalone taps (the score matrix's rows). */
    public ChannelStats standaloneStats() {
        return stats(rows, rowMoments);
    }

    /** Channel statistics of the CLIP taps (the columns). */
    public ChannelStats clipStats() {
        return stats(cols, colMoments);
    }

    private ChannelStats stats(List<TapBlock> layout, List<Moments> moments) {
        int channels = TapLayout.channels(layout);
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int t = 0; t < layout.size(); t++) {
            Moments m = moments.get(t);
            System.arraycopy(m.mean(), 0, mean, layout.get(t).offset(), m.channels());
            System.arraycopy(m.std(), 0, std, layout.get(t).offset(), m.channels());
        }
        return new ChannelStats(layout, mean, std, images);
    }
}
