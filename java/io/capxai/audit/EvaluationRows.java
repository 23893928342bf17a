package io.capxai.audit;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Caption similarities of evaluation images: row i of {@code before} and of {@code after[v]}
 * belongs to image {@code indices[i]}; columns follow the captions.
 */
public record EvaluationRows(int[] indices, float[][] before, float[][][] after) implements Serializable {
    public EvaluationRows {
        for (float[][] variant : after) {
            if (variant.length != indices.length) {
                throw new IllegalArgumentException("every variant needs one row per image (" + indices.length + "), got " + variant.length);
            }
        }
        if (before.length != indices.length) {
            throw new IllegalArgumentException("before needs one row per image (" + indices.length + "), got " + before.length);
        }
    }

    /** The rows of several shards (any split), ordered by image index. */
    public static EvaluationRows concat(List<EvaluationRows> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no evaluation rows to join");
        }
        int variants = parts.getFirst().after().length;
        int n = parts.stream().mapToInt(p -> p.indices.length).sum();
        int[][] where = new int[n][]; // {image, part, row}
        int at = 0;
        for (int p = 0; p < parts.size(); p++) {
            for (int i = 0; i < parts.get(p).indices.length; i++) {
                where[at++] = new int[] {parts.get(p).indices[i], p, i};
            }
        }
        Arrays.sort(where, Comparator.comparingInt(w -> w[0]));
        int[] indices = new int[n];
        float[][] before = new float[n][];
        float[][][] after = new float[variants][n][];
        for (int k = 0; k < n; k++) {
            EvaluationRows part = parts.get(where[k][1]);
            int row = where[k][2];
            indices[k] = where[k][0];
            before[k] = part.before[row];
            for (int v = 0; v < variants; v++) {
                after[v][k] = part.after[v][row];
            }
        }
        return new EvaluationRows(indices, before, after);
    }
}
