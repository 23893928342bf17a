package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;

/**
 * One streaming pass over a row-major score matrix that keeps, for every column, its k best
 * rows. Rows are visited in order and the matrix is read sequentially (22,720 x 3,840 floats in
 * well under a second); per column only a small min-heap of primitive arrays is kept.
 * Ties keep the lower row index, so results are deterministic.
 */
final class ColumnScan {
    private ColumnScan() {}

    /** The best {@code k} rows of every column, best first: {@code [col][rank]} rows and scores. */
    static Result topK(ScoreMatrix matrix, int k) {
        int[] all = new int[matrix.colCount()];
        for (int j = 0; j < all.length; j++) {
            all[j] = j;
        }
        return topK(matrix, k, all, null);
    }

    /**
     * The best {@code k} rows of each of {@code columns} (result index = position in
     * {@code columns}), ignoring the rows marked in {@code skipRows} (may be null).
     */
    static Result topK(ScoreMatrix matrix, int k, int[] columns, boolean[] skipRows) {
        int rows = matrix.rowCount();
        int available = rows;
        if (skipRows != null) {
            for (boolean skip : skipRows) {
                available -= skip ? 1 : 0;
            }
        }
        if (k < 1 || k > available) {
            throw new IllegalArgumentException("k must be in 1.." + available + " (the number of standalone channels), got " + k);
        }
        int cols = matrix.colCount();
        int n = columns.length;
        float[] v = matrix.values();
        // Per selected column a min-heap of size k: heapScore[a*k + slot], heapRow[a*k + slot].
        float[] heapScore = new float[n * k];
        int[] heapRow = new int[n * k];
        int filled = 0;
        for (int i = 0; i < rows; i++) {
            if (skipRows != null && skipRows[i]) {
                continue;
            }
            int base = i * cols;
            if (filled < k) {
                for (int a = 0; a < n; a++) {
                    float s = checked(v[base + columns[a]], i, columns[a]);
                    siftUp(heapScore, heapRow, a * k, filled, s, i);
                }
                filled++;
                continue;
            }
            for (int a = 0; a < n; a++) {
                float s = v[base + columns[a]];
                // Strictly greater: an equal later row never displaces an earlier one.
                if (s > heapScore[a * k]) {
                    replaceMin(heapScore, heapRow, a * k, k, s, i);
                } else if (s != s) {
                    checked(s, i, columns[a]);
                }
            }
        }
        return Result.fromHeaps(heapScore, heapRow, n, k);
    }

    /** Sorted per-column candidates; {@code rows[col][0]} is the column's argmax. */
    record Result(int[][] rows, float[][] scores) {
        static Result fromHeaps(float[] heapScore, int[] heapRow, int cols, int k) {
            int[][] rows = new int[cols][k];
            float[][] scores = new float[cols][k];
            for (int j = 0; j < cols; j++) {
                int base = j * k;
                // Pop the min-heap: worst first, so fill from the back.
                for (int size = k; size > 0; size--) {
                    rows[j][size - 1] = heapRow[base];
                    scores[j][size - 1] = heapScore[base];
                    int lastRow = heapRow[base + size - 1];
                    float lastScore = heapScore[base + size - 1];
                    siftDown(heapScore, heapRow, base, size - 1, lastScore, lastRow);
                }
            }
            return new Result(rows, scores);
        }
    }

    private static float checked(float s, int row, int col) {
        if (Float.isNaN(s)) {
            throw new IllegalArgumentException("score matrix has NaN at row " + row + ", column " + col);
        }
        return s;
    }

    /** Heap order: a smaller score is "lower"; at equal score the later row is lower (evicted first). */
    private static boolean lower(float sa, int ra, float sb, int rb) {
        return sa < sb || (sa == sb && ra > rb);
    }

    private static void siftUp(float[] hs, int[] hr, int base, int size, float s, int row) {
        int pos = size;
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!lower(s, row, hs[base + parent], hr[base + parent])) {
                break;
            }
            hs[base + pos] = hs[base + parent];
            hr[base + pos] = hr[base + parent];
            pos = parent;
        }
        hs[base + pos] = s;
        hr[base + pos] = row;
    }

    private static void replaceMin(float[] hs, int[] hr, int base, int size, float s, int row) {
        siftDown(hs, hr, base, size, s, row);
    }

    /** Places (s, row) at the root of a heap of {@code size} elements and restores heap order. */
    private static void siftDown(float[] hs, int[] hr, int base, int size, float s, int row) {
        if (size == 0) {
            return;
        }
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && lower(hs[base + child + 1], hr[base + child + 1], hs[base + child], hr[base + child])) {
                child++;
            }
            if (!lower(hs[base + child], hr[base + child], s, row)) {
                break;
            }
            hs[base + pos] = hs[base + child];
            hr[base + pos] = hr[base + child];
            pos = child;
        }
        hs[base + pos] = s;
        hr[base + pos] = row;
    }
}
