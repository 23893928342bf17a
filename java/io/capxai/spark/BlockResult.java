package io.capxai.spark;

import io.capxai.matching.ChannelStats;
import io.capxai.matching.CrossMoments;
import io.capxai.matching.MatchPartial;
import io.capxai.matching.TapBlock;
import io.capxai.report.TapPairMeans;

import java.io.Serializable;
import java.util.List;

/** What one merged row block sends to the driver: its selection candidates and the sum of its scores (for the report). */
record BlockResult(String rowTap, ColumnCandidates candidates, double scoreSum) implements Serializable {
    static BlockResult of(CrossMoments block, ChannelStats standalone, ChannelStats clip, int k) {
        float[] scores = MatchPartial.scores(block, standalone, clip);
        double sum = 0;
        for (float s : scores) {
            sum += s;
        }
        int firstRow = standalone.tap(block.row()).offset() + block.rowFrom();
        return new BlockResult(block.row(), ColumnCandidates.of(block.col(), scores, block.rows(), block.cols(), firstRow, k), sum);
    }

    /** The mean score of every tap pair, from its blocks' sums. */
    static TapPairMeans means(List<BlockResult> blocks, ChannelStats standalone, ChannelStats clip) {
        List<TapBlock> rows = standalone.taps();
        List<TapBlock> cols = clip.taps();
        double[][] mean = new double[rows.size()][cols.size()];
        for (BlockResult b : blocks) {
            mean[rows.indexOf(standalone.tap(b.rowTap))][cols.indexOf(clip.tap(b.candidates.colTap()))] += b.scoreSum;
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                mean[r][c] /= (double) rows.get(r).channels() * cols.get(c).channels();
            }
        }
        return new TapPairMeans(rows.stream().map(TapBlock::name).toList(), cols.stream().map(TapBlock::name).toList(), mean);
    }
}
