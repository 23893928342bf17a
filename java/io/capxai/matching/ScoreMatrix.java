package io.capxai.matching;

import java.util.List;

/**
 * Activation-matching scores (docs/method.md#matching): {@code score(i, j)} for standalone channel i (rows)
 * and CLIP channel j (columns), row-major in {@code values}. The axes are the concatenation of
 * the taps' channels in tap order.
 */
public record ScoreMatrix(List<TapBlock> rows, List<TapBlock> cols, float[] values) {
    public ScoreMatrix {
        rows = List.copyOf(rows);
        cols = List.copyOf(cols);
        long expected = (long) channels(rows) * channels(cols);
        if (values.length != expected) {
            throw new IllegalArgumentException("score matrix needs " + expected + " values for "
                    + channels(rows) + " x " + channels(cols) + ", got " + values.length);
        }
    }

    public int rowCount() {
        return channels(rows);
    }

    public int colCount() {
        return channels(cols);
    }

    public float score(int row, int col) {
        return values[row * colCount() + col];
    }

    /** The tap that owns row {@code row}. */
    public TapBlock rowTap(int row) {
        return find(rows, row);
    }

    /** The tap that owns column {@code col}. */
    public TapBlock colTap(int col) {
        return find(cols, col);
    }

    private static TapBlock find(List<TapBlock> blocks, int index) {
        for (TapBlock b : blocks) {
            if (b.contains(index)) {
                return b;
            }
        }
        throw new IndexOutOfBoundsException("channel " + index + " is in no tap");
    }

    private static int channels(List<TapBlock> blocks) {
        int n = 0;
        for (TapBlock b : blocks) {
            if (b.offset() != n) {
                throw new IllegalArgumentException("tap " + b.name() + " starts at " + b.offset() + ", expected " + n);
            }
            n += b.channels();
        }
        return n;
    }
}
