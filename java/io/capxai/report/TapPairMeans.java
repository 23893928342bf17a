package io.capxai.report;

import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;

import java.util.List;

/**
 * The score matrix shrunk to one number per (standalone tap, CLIP tap) block: the mean score
 * of the block (a 49 x 4 thumbnail for ResNet-50 vs RN50). One streaming pass over the rows.
 */
public record TapPairMeans(List<String> rowTaps, List<String> colTaps, double[][] mean) {
    public TapPairMeans {
        rowTaps = List.copyOf(rowTaps);
        colTaps = List.copyOf(colTaps);
        if (mean.length != rowTaps.size()) {
            throw new IllegalArgumentException("need one row of means per standalone tap");
        }
        for (double[] row : mean) {
            if (row.length != colTaps.size()) {
                throw new IllegalArgumentException("need one mean per CLIP tap in every row");
            }
        }
    }

    public static TapPairMeans of(ScoreMatrix m) {
        List<TapBlock> rows = m.rows();
        List<TapBlock> cols = m.cols();
        double[][] sum = new double[rows.size()][cols.size()];
        float[] v = m.values();
        int width = m.colCount();
        for (int t = 0; t < rows.size(); t++) {
            TapBlock r = rows.get(t);
            for (int i = r.offset(); i < r.offset() + r.channels(); i++) {
                int base = i * width;
                for (int c = 0; c < cols.size(); c++) {
                    TapBlock col = cols.get(c);
                    double s = 0;
                    for (int j = col.offset(); j < col.offset() + col.channels(); j++) {
                        s += v[base + j];
                    }
                    sum[t][c] += s;
                }
            }
            for (int c = 0; c < cols.size(); c++) {
                sum[t][c] /= (double) r.channels() * cols.get(c).channels();
            }
        }
        return new TapPairMeans(rows.stream().map(TapBlock::name).toList(), cols.stream().map(TapBlock::name).toList(), sum);
    }
}
